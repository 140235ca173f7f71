// Trained models as JSON files:
//   {"format": "scorelab-model", "version": 1,
//    "model": {"hidden": [...], "activation": ..., "fourier": F, "fourier_scale": ..., "energy": ...,
//              "classes": K (class-conditional nets only; absent: 0)},
//    "step": N, "data_rms": r, "fourier_freqs": [F numbers],
//    "weights": [{"w": [[fan_in numbers] × fan_out rows], "b": [fan_out numbers]}, … one per layer],
//    "scene": {the scene the model was trained on, or null}}
// Weights are written as the exact double value of each float, so a save/load round trip is
// lossless. Loading validates everything; a bad file gives one InputError line naming the file and
// the problem. Saving is atomic (temporary file, then rename).
#pragma once

#include <filesystem>
#include <string>
#include <nlohmann/json.hpp>

#include "core/nn/mlp.hpp"

namespace scorelab {

struct SavedModel {
  Mlp<float> net;
  int64_t step = 0;
  nlohmann::json scene;  // null when the file has none
};

inline constexpr const char* kModelFormat = "scorelab-model";
inline constexpr int kModelVersion = 1;

nlohmann::json model_to_json(const Mlp<float>& net, int64_t step, const nlohmann::json& scene = nullptr);
// label names the source in messages (a path). Throws InputError.
SavedModel model_from_json(const nlohmann::json& j, const std::string& label = "model");

// Throws InputError when the weights are not finite or the file cannot be written.
void save_model(const std::filesystem::path& path, const Mlp<float>& net, int64_t step,
                const nlohmann::json& scene = nullptr);
SavedModel load_model(const std::filesystem::path& path);

// A network learns the scores of one noising process; asked about another it answers wrongly
// without any sign of it, so a model is used only under the noise schedule it was trained with.
// noise: the scene's "noise" section as JSON (to_json(scene)["noise"]). A model saved without a scene
// passes. Throws InputError "<label> was trained with noise {...} but the scene uses {...}".
void check_trained_noise(const SavedModel& saved, const nlohmann::json& noise, const std::string& label);

}  // namespace scorelab
