#include "app/lab/run_failure.hpp"

#include <cctype>

namespace scorelab {
namespace {

// "try a smaller step" → "Try a smaller step": core's hints are written to follow a semicolon.
std::string sentence(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

std::optional<RunFailure> run_failure(const RunHealth& h) {
  if (!h.sampler_error.empty())
    return RunFailure{"The sampler run was refused: " + h.sampler_error,
                      "Change that setting in the Particles panel (or the scene's sampler section)."};
  if (h.non_finite > 0)
    return RunFailure{"The sampler diverged: " + std::to_string(h.non_finite) + " of " + std::to_string(h.particles) +
                          " particles are NaN or infinite",
                      sentence(divergence_hint(h.sampler)) + ", then Restart (R)."};
  if (h.training && h.training->state == TrainerState::diverged)
    return RunFailure{"Training diverged and stopped (" + h.training->message + "); the last good weights are kept",
                      "Try a smaller learning rate (train.lr) or a smaller batch in the Training panel, then Reset."};
  if (!h.trainer_error.empty())
    return RunFailure{"The training settings were refused: " + h.trainer_error,
                      "Change that setting in the Training panel (or the scene's train section)."};
  return std::nullopt;
}

int count_non_finite(const Points& x) {
  int bad = 0;
  for (Eigen::Index j = 0; j < x.cols(); ++j) bad += x.col(j).allFinite() ? 0 : 1;
  return bad;
}

}  // namespace scorelab
