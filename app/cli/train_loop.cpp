#include "app/cli/train_loop.hpp"

#include <cstdio>

#include "app/cli/progress.hpp"

namespace scorelab {

TrainLoopResult train_with_progress(TrainingRun& run, int steps, const std::string& label) {
  ProgressBar progress(label, steps, "steps");
  double smoothed = 0;
  char loss[48];
  for (int i = 1; i <= steps; ++i) {
    const StepReport report = run.step();
    if (!report.ok()) return {false, i, report.problem};
    smoothed = i == 1 ? report.loss : 0.98 * smoothed + 0.02 * report.loss;
    if (i % 25 == 0 || i == steps) {
      std::snprintf(loss, sizeof loss, "loss %.4f", smoothed);
      progress.update(i, loss);
    }
  }
  return {};
}

}  // namespace scorelab
