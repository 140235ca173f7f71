#include "app/cli/score_source.hpp"

namespace scorelab {

void add_score_source_flags(CLI::App& command, ScoreSourceOptions& options) {
  auto* exact = command.add_flag("--exact", options.exact, "Use the scene's exact score (mixtures: exact; point sets: the ideal empirical score)");
  auto* model = command.add_option("--model", options.model_path, "A trained model (JSON from 'scorelab train')");
  exact->excludes(model);
  model->excludes(exact);
}

std::unique_ptr<ScoreFunction> make_score_source(const ScoreSourceOptions& options, const Scene& scene) {
  if (options.exact) return exact_score(scene.data);
  if (!options.model_path.empty())
    throw InputError("--model: trained models are not supported by this build yet; use --exact");
  throw InputError("choose the score: --exact or --model M");
}

}  // namespace scorelab
