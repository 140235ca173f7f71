#include "app/cli/train_loop.hpp"

#include <cstdio>

#include "app/cli/progress.hpp"
#include "core/data_source.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/train_config.hpp"

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

std::shared_ptr<const NetworkScore> train_scene_network(const LoadedScene& scene, std::string& score_label,
                                                        const std::string& progress_label) {
  const Scene& s = scene.scene;
  const TrainConfig train = parse_train_config(s.train, s.noise.kind);
  check_train_data(train, s.data);
  const LabelledTraining labelled = labelled_training(train, parse_model_config(s.model), s.data, scene.points);
  TrainingRun run(scene.points, s.noise, labelled.model, train, exact_score(s.data), labelled.labels);
  const TrainLoopResult result = train_with_progress(run, train.steps, progress_label);
  if (!result.ok) throw InputError("training stopped at step " + std::to_string(result.failed_step) + ": " + result.problem);
  score_label = "learned score (" + std::to_string(train.steps) + " training steps)";
  return trained_score(std::make_shared<const Mlp<float>>(run.ema_net()), train);
}

}  // namespace scorelab
