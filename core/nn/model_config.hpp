// Architecture of the score network: widths, activation, time embedding, output parametrisation; the
// scene's "model" section parsed into it and written back.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace scorelab {

enum class Activation { silu, softplus, tanh };

Activation parse_activation(std::string_view name);  // silu softplus tanh; throws InputError otherwise
const char* to_string(Activation activation);

struct ModelConfig {
  // Hidden widths; the network is in → hidden[0] → … → hidden.back() → out.
  std::vector<int> hidden{128, 128, 128};
  Activation activation = Activation::silu;
  // Time embedding: 0 feeds t itself (input (x1, x2, t), 3 features); F > 0 feeds F Gaussian Fourier
  // pairs (x1, x2, sin 2πf₁t, …, sin 2πf_Ft, cos 2πf₁t, …, cos 2πf_Ft), f_k ~ N(0, fourier_scale²),
  // drawn once at initialisation and saved with the weights.
  int fourier = 0;
  double fourier_scale = 4.0;
  // Energy parametrisation: the net outputs a scalar E and the score is −∇ₓE / s (a conservative field).
  bool energy = false;
  // Class conditioning (classifier-free guidance, THEORY.md §6): K > 0 appends K + 1 one-hot rows to
  // the input, one per class and a last "no label" slot (∅) that label dropout trains, so one net
  // gives both s(x, t, k) and s(x, t, ∅). 0: an unconditional net (every file before it existed).
  // Training sets it from the data (train.conditional: the mixture's component count).
  int classes = 0;
};

// Throws InputError "<prefix>.<key>: …" for widths, depth or Fourier settings out of range.
void validate(const ModelConfig& config, std::string_view prefix = "scene.model");

// The scene's "model" section (core/json_section.hpp reads it); j may be null (defaults).
//   "model": {"hidden": [128, 128, 128], "activation": "silu"|"softplus"|"tanh", "fourier": 0,
//             "fourier_scale": 4, "energy": false, "classes": 0}
// Throws InputError with one line naming the key, e.g. "scene.model.fourier: must be an integer in [0, 64] (got 65)".
ModelConfig parse_model_config(const nlohmann::json& j, std::string_view prefix = "scene.model");
nlohmann::json to_json(const ModelConfig& config);

}  // namespace scorelab
