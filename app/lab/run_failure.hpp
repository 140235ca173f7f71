// What went wrong with the live run, for the banner on the plane and a `--frames` run's stderr
// (issue 17: the GUI hid failures: a refused --particles showed nothing, NaN particles left an empty
// plane). Pure: tests/app/test_run_failure.cpp builds each case without a window.
#pragma once

#include <optional>
#include <string>

#include "core/sampler_config.hpp"
#include "core/training/trainer.hpp"

namespace scorelab {

struct RunFailure {
  std::string what;    // what happened, e.g. "The sampler diverged: 3990 of 4000 particles are NaN or infinite"
  std::string change;  // what to change, e.g. "Try a smaller step (sampler.eps) or more steps, then Restart (R)."
  std::string line() const { return what + ". " + change; }  // one line for stderr
};

// The lab's parts that can fail, read once a frame.
struct RunHealth {
  std::string sampler_error;  // the run was refused (bad sampler settings); empty: it runs
  SamplerKind sampler = SamplerKind::pc;
  int non_finite = 0;         // particles that are NaN or ±∞ (at the last check)
  int particles = 0;
  std::optional<TrainerStatus> training;  // none: no trainer
  std::string trainer_error;  // training settings refused (no trainer, or a reconfigure refused)
};

// The first failure in the order a user should fix them: a refused run, diverged particles, a
// diverged training run (stopped, the last good weights kept), refused training settings. None
// when everything runs.
std::optional<RunFailure> run_failure(const RunHealth& health);

// The number of non-finite particles in x (2, N): a column counts once.
int count_non_finite(const Points& x);

}  // namespace scorelab
