#include "app/cli/score_source.hpp"

#include "core/nn/model_io.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

void add_score_source_flags(CLI::App& command, ScoreSourceOptions& options) {
  auto* exact = command.add_flag("--exact", options.exact, "Use the scene's exact score (mixtures: exact; point sets: the ideal empirical score)");
  auto* model = command.add_option("--model", options.model_path, "A trained model (JSON from 'scorelab train')");
  exact->excludes(model);
  model->excludes(exact);
}

namespace {

// The train section saved with the model (none when it was saved without a scene or one).
std::optional<TrainConfig> saved_train(const SavedModel& saved, const NoiseConfig& noise, const std::string& label) {
  if (!saved.scene.is_object() || !saved.scene.contains("train")) return std::nullopt;
  try {
    return parse_train_config(saved.scene["train"], noise.kind, "scene.train");
  } catch (const InputError& e) {
    throw InputError(label + ": its saved " + e.what());
  }
}

}  // namespace

LoadedScore load_score_source(const ScoreSourceOptions& options, const Scene& scene) {
  if (options.exact) {
    const bool density = exact_mixture(scene.data).has_value();
    return {exact_score(scene.data), density ? sigma_level(scene.noise, 0.0) : discrete_levels(scene.noise).back(),
            density, std::nullopt};
  }
  if (!options.model_path.empty()) {
    const std::string label = "--model: " + options.model_path;
    SavedModel saved = load_model(options.model_path);
    check_trained_noise(saved, to_json(scene)["noise"], label);
    const std::optional<TrainConfig> train = saved_train(saved, scene.noise, label);
    auto net = std::make_shared<const Mlp<float>>(std::move(saved.net));
    std::optional<double> trained_sigma;
    if (train && is_single_level(train->objective)) trained_sigma = train->sigma;
    auto network = std::make_unique<NetworkScore>(std::move(net));
    network->set_trained_sigma(trained_sigma);
    return {std::move(network),
            train ? lowest_trained_level(*train, scene.noise) : discrete_levels(scene.noise).back(), true,
            trained_sigma};
  }
  throw InputError("choose the score: --exact or --model M");
}

std::unique_ptr<ScoreFunction> make_score_source(const ScoreSourceOptions& options, const Scene& scene) {
  return load_score_source(options, scene).score;
}

}  // namespace scorelab
