// scorelab train --scene S [--steps N] [--seed K] --out model.json
#include <cstdio>

#include "app/cli/commands.hpp"
#include "app/cli/train_loop.hpp"
#include "core/file_io.hpp"
#include "core/nn/model_io.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/training_run.hpp"
#include "core/scene.hpp"

namespace scorelab {

namespace {

struct TrainOptions {
  std::string scene_path, out;
  int steps = 0;        // 0: the scene's
  long long seed = -1;  // < 0: the scene's
};

int run_train(const TrainOptions& o) {
  check_output_path(o.out, "--out");  // before minutes of training, not after
  Scene scene = load_scene(o.scene_path);
  TrainConfig train = parse_train_config(scene.train, scene.noise.kind);
  if (o.steps > 0) train.steps = o.steps;
  if (o.seed >= 0) train.seed = static_cast<uint32_t>(o.seed);
  validate(train);
  check_train_data(train, scene.data);
  scene.train = to_json(train);  // the saved scene records what was actually run
  const Points points = training_points(scene.data);
  // A conditional run: the model gets the data's classes as inputs, the points their labels.
  const LabelledTraining labelled = labelled_training(train, parse_model_config(scene.model), scene.data, points);
  std::shared_ptr<const ScoreFunction> truth = exact_score(scene.data);
  TrainingRun run(points, scene.noise, labelled.model, train, truth, labelled.labels);

  const TrainLoopResult result = train_with_progress(run, train.steps, "scorelab train");
  if (!result.ok) {
    // Keep what was learnt: the EMA weights are only updated by healthy steps.
    save_model(o.out, run.ema_net(), run.steps_done(), to_json(scene));
    std::fprintf(stderr, "scorelab train: stopped at step %d: %s; kept the last good weights (step %lld) in %s\n",
                 result.failed_step, result.problem.c_str(), static_cast<long long>(run.steps_done()), o.out.c_str());
    return 1;
  }
  save_model(o.out, run.ema_net(), run.steps_done(), to_json(scene));
  std::fprintf(stderr, "scorelab train: %d steps of %s -> %s\n", train.steps, to_string(train.objective), o.out.c_str());
  return 0;
}

}  // namespace

CommandRunner add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a score network on the scene's data and save it as JSON");
  cmd->add_option("--scene", o->scene_path, "Scene JSON (its train and model sections; defaults otherwise)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--steps", o->steps, "Training steps (default: the scene's)")->check(CLI::Range(1, 10000000));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scene's)")->check(CLI::Range(0LL, 4294967295LL));
  cmd->add_option("--out", o->out, "Output model JSON")->required();
  return [o] { return run_train(*o); };
}

}  // namespace scorelab
