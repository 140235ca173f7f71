// The CLI's training loop (train, and render when it trains first): steps with a progress bar and
// a smoothed loss, stopping at the first step that fails a health check.
#pragma once

#include <string>

#include "core/training/training_run.hpp"

namespace scorelab {

struct TrainLoopResult {
  bool ok = true;
  int failed_step = 0;   // the step that failed (1-based), when !ok
  std::string problem;   // why it failed
};

// Runs `steps` steps of `run`, reporting progress on stderr as `label` ("scorelab train").
TrainLoopResult train_with_progress(TrainingRun& run, int steps, const std::string& label);

}  // namespace scorelab
