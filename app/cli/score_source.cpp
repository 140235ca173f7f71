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
    // A network learns the scores of one noising process; asked about another it answers wrongly
    // without any sign of it, so a mismatch is refused.
    if (saved.scene.is_object() && saved.scene.contains("noise")) {
      nlohmann::json trained = saved.scene["noise"], wanted = to_json(scene)["noise"];
      if (trained != wanted)
        throw InputError("--model: " + options.model_path + " was trained with noise " + trained.dump() +
                         " but the scene uses " + wanted.dump());
    }
    return std::make_unique<NetworkScore>(std::make_shared<const Mlp<float>>(std::move(saved.net)));
  }
  throw InputError("choose the score: --exact or --model M");
}

}  // namespace scorelab
