// Counter-based random numbers: a pure function of (seed, stream, counter).
//
// Why counter-based: a particle's noise at a step depends only on (seed, particle, step), so the CPU
// reference and the GLSL kernels (shaders/rng.glsl mirrors this file line for line, in uint32
// arithmetic) draw the same numbers in any order, on any number of threads.
#pragma once

#include <algorithm>

#include "core/types.hpp"

namespace scorelab {

// PCG-RXS-M-XS output permutation of one LCG step (Jarzynski & Olano, JCGT 2020, "pcg_hash").
constexpr uint32_t pcg_hash(uint32_t v) {
  uint32_t state = v * 747796405u + 2891336453u;
  uint32_t word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// Three nested rounds: each input word passes through a full permutation before the next is mixed in.
constexpr uint32_t hash3(uint32_t seed, uint32_t stream, uint32_t counter) {
  return pcg_hash(seed ^ pcg_hash(stream ^ pcg_hash(counter)));
}

// Uniform in the open interval (0, 1): (2k + 1) / 2^24 with k the top 23 bits of the hash.
// Every value is exact in float and double, so C++ and GLSL agree bit for bit.
inline double uniform01(uint32_t seed, uint32_t stream, uint32_t counter) {
  uint32_t k = ((hash3(seed, stream, counter) >> 9u) << 1u) | 1u;
  return static_cast<double>(k) * (1.0 / 16777216.0);
}

// Standard normal pair by Box–Muller from the uniforms at counters 2c and 2c + 1.
Vec2 normal2(uint32_t seed, uint32_t stream, uint32_t counter);

// A sequential view of one stream, for CPU-side work that just needs "the next number".
class RngStream {
 public:
  RngStream(uint32_t seed, uint32_t stream) : seed_(seed), stream_(stream) {}
  double uniform() { return uniform01(seed_, stream_, counter_++); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  Vec2 normal2() {  // the next unused pair of uniforms (counters 2p, 2p + 1), as the free function
    uint32_t pair = (counter_ + 1u) / 2u;
    counter_ = 2u * pair + 2u;
    return scorelab::normal2(seed_, stream_, pair);
  }
  double normal() { return normal2().x(); }
  // Uniform integer in [0, n); n > 0. Multiply-shift, no modulo bias worth measuring for n << 2^24.
  int below(int n) { return std::min(n - 1, static_cast<int>(uniform() * n)); }

 private:
  uint32_t seed_, stream_, counter_ = 0;
};

}  // namespace scorelab
