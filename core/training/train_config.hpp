// The scene's "train" section as a typed config: parse with validation (core/json_section.hpp),
// defaults that train well, and back to JSON. The "model" section is the network's own
// (core/nn/model_config.hpp, included here for the callers that read both).
//
//   "train": {"objective": "esm"|"ism"|"ssm"|"ssm_vr"|"dsm"|"ncsn"|"continuous", "weighting": "s2"|"g2",
//             "batch": 512, "lr": 1e-3, "steps": N, "seed": K, "ema": 0.999, "clip": 1,
//             "projections": 1, "projection": "gaussian"|"rademacher", "sigma": σ,
//             "conditional": false, "label_dropout": 0.15}
// Every key is optional; unknown keys are errors (a typo must not silently train something else).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/data_source.hpp"
#include "core/nn/model_config.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/objectives.hpp"

namespace scorelab {

struct TrainConfig {
  Objective objective = Objective::ncsn;
  Weighting weighting = Weighting::s2;
  int batch = 512;
  double lr = 2e-3;
  int steps = 4000;
  uint32_t seed = 0;
  double ema = 0.999;  // EMA decay of the weights used for sampling (0: no averaging)
  double clip = 1.0;   // global gradient-norm clip (0: off)
  int projections = 1;                           // ssm, ssm_vr
  Projection projection = Projection::gaussian;  // ssm, ssm_vr
  // esm, ism, ssm, ssm_vr, dsm: the σ they train at (m = 1, see sigma_level); unset: the schedule's
  // smallest level. 0 is the clean data (not for dsm, nor for drawn point sets: check_train_data).
  std::optional<double> sigma;
  // A class-conditional network for classifier-free guidance (THEORY.md §6): the net also takes the
  // mixture component of each point as its label, dropped to ∅ with probability label_dropout.
  bool conditional = false;
  double label_dropout = 0.15;
};

// The objective a scene without "train.objective" uses: discrete levels (geometric, edm) train
// multi-noise NCSN; SDEs (ve, vp, subvp) train continuous time.
Objective default_objective(NoiseKind kind);
TrainConfig default_train_config(NoiseKind kind);

// j may be null (defaults). Throws InputError with one line naming the key, e.g.
// "scene.train.lr: must be in (0, 1] (got 5)".
TrainConfig parse_train_config(const nlohmann::json& j, NoiseKind kind, std::string_view prefix = "scene.train");

void validate(const TrainConfig& config, std::string_view prefix = "scene.train");

// What validate() cannot see: train.sigma = 0 needs data with a density (a mixture or a toy set; a
// drawn point set's score at σ = 0 is a sum of spikes), and esm there needs the data's exact mixture.
// Throws InputError "<prefix>.sigma: ...".
void check_train_data(const TrainConfig& config, const DataConfig& data, std::string_view prefix = "scene.train");

// The level a network trained with `train` knows best, where querying it is meaningful by default:
// a single-level objective's own level, else the schedule's smallest discrete level.
NoiseLevel lowest_trained_level(const TrainConfig& train, const NoiseConfig& noise);
// The network as a score that knows the level a single-level objective trained it at (train.sigma),
// so that samplers never ask it below that level (ScoreFunction::lowest_noise).
std::shared_ptr<NetworkScore> trained_score(std::shared_ptr<const Mlp<float>> net, const TrainConfig& train);

nlohmann::json to_json(const TrainConfig& config);

// What the objective needs from the training config and the scene's noise schedule.
ObjectiveConfig objective_config(const TrainConfig& train, const NoiseConfig& noise,
                                 std::shared_ptr<const ScoreFunction> true_score = nullptr);

}  // namespace scorelab
