#include "app/cli/score_source.hpp"

#include "core/nn/model_io.hpp"
#include "core/nn/score_network.hpp"

namespace scorelab {

void add_score_source_flags(CLI::App& command, ScoreSourceOptions& options) {
  auto* exact = command.add_flag("--exact", options.exact, "Use the scene's exact score (mixtures: exact; point sets: the ideal empirical score)");
  auto* model = command.add_option("--model", options.model_path, "A trained model (JSON from 'scorelab train')");
  exact->excludes(model);
  model->excludes(exact);
}

std::unique_ptr<ScoreFunction> make_score_source(const ScoreSourceOptions& options, const Scene& scene) {
  if (options.exact) return exact_score(scene.data);
  if (!options.model_path.empty()) {
    SavedModel saved = load_model(options.model_path);
    check_trained_noise(saved, to_json(scene)["noise"], "--model: " + options.model_path);
    return std::make_unique<NetworkScore>(std::make_shared<const Mlp<float>>(std::move(saved.net)));
  }
  throw InputError("choose the score: --exact or --model M");
}

}  // namespace scorelab
