#include "core/training/train_config.hpp"

#include <cmath>
#include <string>

#include "core/json_section.hpp"
#include "core/nn/mlp.hpp"

namespace scorelab {

using nlohmann::json;

namespace {

void require(bool ok, std::string_view prefix, const char* key, const std::string& problem) {
  if (!ok) fail_at(std::string(prefix) + "." + key, problem);
}

}  // namespace

Objective default_objective(NoiseKind kind) {
  return kind == NoiseKind::geometric || kind == NoiseKind::edm ? Objective::ncsn : Objective::continuous;
}

TrainConfig default_train_config(NoiseKind kind) {
  TrainConfig c;
  c.objective = default_objective(kind);
  return c;
}

void validate(const TrainConfig& c, std::string_view prefix) {
  require(c.batch >= 1 && c.batch <= 65536, prefix, "batch",
          "must be an integer in [1, 65536] (got " + std::to_string(c.batch) + ")");
  require(std::isfinite(c.lr) && c.lr > 0 && c.lr <= 1, prefix, "lr", "must be in (0, 1] (got " + format_number(c.lr) + ")");
  require(c.steps >= 1 && c.steps <= 100000000, prefix, "steps",
          "must be an integer in [1, 100000000] (got " + std::to_string(c.steps) + ")");
  require(std::isfinite(c.ema) && c.ema >= 0 && c.ema < 1, prefix, "ema", "must be in [0, 1) (got " + format_number(c.ema) + ")");
  require(std::isfinite(c.clip) && c.clip >= 0, prefix, "clip",
          "must be a finite number >= 0, 0 for no clipping (got " + format_number(c.clip) + ")");
  require(c.projections >= 1 && c.projections <= 64, prefix, "projections",
          "must be an integer in [1, 64] (got " + std::to_string(c.projections) + ")");
  const std::string sigma = sigma_problem(c.objective, c.sigma);
  require(sigma.empty(), prefix, "sigma", sigma);
  // p = 1 would never show the net a label, p = 0 never the ∅ slot that guidance needs.
  require(std::isfinite(c.label_dropout) && c.label_dropout > 0 && c.label_dropout < 1, prefix, "label_dropout",
          "must be in (0, 1), e.g. 0.15 (got " + format_number(c.label_dropout) + ")");
  // ESM's target is the unconditional exact score whatever the label: it cannot teach s(x, t, k).
  require(!c.conditional || c.objective != Objective::esm, prefix, "conditional",
          "esm matches the unconditional exact score and cannot learn class scores; use dsm, ncsn, continuous, "
          "ism, ssm or ssm_vr");
}

void check_train_data(const TrainConfig& c, const DataConfig& data, std::string_view prefix) {
  if (!c.sigma || *c.sigma > 0) return;
  require(data.kind != DataKind::points, prefix, "sigma",
          "0 needs data with a density (a mixture or a toy set); the score of a drawn point set at sigma = 0 is "
          "a sum of spikes: use a sigma > 0");
  require(c.objective != Objective::esm || exact_mixture(data).has_value(), prefix, "sigma",
          "esm at 0 needs the exact score of the data, which toy set '" + data.toy +
              "' does not have: use ism, ssm or ssm_vr, or a sigma > 0");
}

NoiseLevel lowest_trained_level(const TrainConfig& train, const NoiseConfig& noise) {
  if (!is_single_level(train.objective)) return discrete_levels(noise).back();
  return single_level(objective_config(train, noise));
}

TrainConfig parse_train_config(const json& j, NoiseKind kind, std::string_view prefix) {
  TrainConfig c = default_train_config(kind);
  if (j.is_null()) return c;
  const JsonSection s(j, std::string(prefix), {"objective", "weighting", "batch", "lr", "steps", "seed", "ema", "clip",
                                               "projections", "projection", "sigma", "conditional", "label_dropout"});
  c.objective = s.named("objective", c.objective, parse_objective);
  c.weighting = s.named("weighting", c.weighting, parse_weighting);
  c.projection = s.named("projection", c.projection, parse_projection);
  c.batch = s.integer("batch", c.batch);
  c.lr = s.number("lr", c.lr);
  c.steps = s.integer("steps", c.steps);
  c.seed = s.seed("seed", c.seed);
  c.ema = s.number("ema", c.ema);
  c.clip = s.number("clip", c.clip);
  c.projections = s.integer("projections", c.projections);
  c.sigma = s.optional_number("sigma");
  c.conditional = s.boolean("conditional", c.conditional);
  c.label_dropout = s.number("label_dropout", c.label_dropout);
  validate(c, prefix);
  return c;
}

json to_json(const TrainConfig& c) {
  json j = {{"objective", to_string(c.objective)}, {"weighting", to_string(c.weighting)}, {"batch", c.batch},
            {"lr", c.lr}, {"steps", c.steps}, {"seed", c.seed}, {"ema", c.ema}, {"clip", c.clip},
            {"projections", c.projections}, {"projection", to_string(c.projection)}};
  if (c.sigma) j["sigma"] = *c.sigma;  // absent means σ_min, as in every scene written before it existed
  if (c.conditional) {  // absent: unconditional, as in every scene written before it existed
    j["conditional"] = true;
    j["label_dropout"] = c.label_dropout;
  }
  return j;
}

ObjectiveConfig objective_config(const TrainConfig& train, const NoiseConfig& noise,
                                 std::shared_ptr<const ScoreFunction> true_score) {
  ObjectiveConfig c;
  c.objective = train.objective;
  c.weighting = train.weighting;
  c.projections = train.projections;
  c.projection = train.projection;
  c.sigma = train.sigma;
  c.label_dropout = train.conditional ? train.label_dropout : 0.0;
  c.noise = noise;
  c.true_score = std::move(true_score);
  return c;
}

std::shared_ptr<NetworkScore> trained_score(std::shared_ptr<const Mlp<float>> net, const TrainConfig& train) {
  auto score = std::make_shared<NetworkScore>(std::move(net));
  if (is_single_level(train.objective)) score->set_trained_sigma(train.sigma);
  return score;
}

}  // namespace scorelab
