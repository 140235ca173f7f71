#include "core/score_function.hpp"

namespace scorelab {

void ScoreFunction::log_prob(const Points&, const NoiseLevel&, Scalars&) const {
  throw std::logic_error("this score function has no exact log-density");
}

}  // namespace scorelab
