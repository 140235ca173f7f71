#include "core/rng.hpp"

#include <cmath>
#include <numbers>

namespace scorelab {

Vec2 normal2(uint32_t seed, uint32_t stream, uint32_t counter) {
  double u1 = uniform01(seed, stream, 2u * counter);
  double u2 = uniform01(seed, stream, 2u * counter + 1u);
  double r = std::sqrt(-2.0 * std::log(u1));
  double theta = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(theta), r * std::sin(theta)};
}

}  // namespace scorelab
