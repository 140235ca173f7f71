#include "core/training/train_config.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <string>

#include "core/nn/mlp.hpp"

namespace scorelab {

using nlohmann::json;

namespace {

// Typed reads of one key of an object section; `at` is "prefix.key" for the messages.
class Reader {
 public:
  Reader(const json& j, std::string_view prefix, const std::set<std::string>& keys) : j_(j), prefix_(prefix) {
    if (!j.is_object()) throw InputError(prefix_ + ": expected an object, got " + j.type_name());
    for (const auto& item : j.items())
      if (!keys.count(item.key())) {
        std::string list;
        for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
        throw InputError(at(item.key()) + ": unknown key (expected one of: " + list + ")");
      }
  }
  std::string at(const std::string& key) const { return prefix_ + "." + key; }
  const json* find(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  double number(const char* key, double fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    expect(v->is_number(), *v, key, "a number");
    double x = v->get<double>();
    if (!std::isfinite(x)) throw InputError(at(key) + ": must be a finite number (got " + format_number(x) + ")");
    return x;
  }
  long long integer(const char* key, long long fallback) const {
    const json* v = find(key);
    return v ? integer_value(*v, at(key)) : fallback;
  }
  long long integer_value(const json& v, const std::string& where) const {
    if (!v.is_number()) throw InputError(where + ": expected an integer, got " + v.type_name());
    double x = v.get<double>();
    if (!(std::isfinite(x) && x == std::floor(x) && std::abs(x) < 9e15))
      throw InputError(where + ": expected an integer, got " + v.dump());
    return static_cast<long long>(x);
  }
  std::string string(const char* key, const std::string& fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    expect(v->is_string(), *v, key, "a string");
    return v->get<std::string>();
  }
  bool boolean(const char* key, bool fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    expect(v->is_boolean(), *v, key, "true or false");
    return v->get<bool>();
  }
  // Parses a name with the given parser, prefixing its InputError with the key.
  template <typename Parse>
  auto named(const char* key, const char* fallback, Parse parse) const {
    std::string name = string(key, fallback);
    try {
      return parse(name);
    } catch (const InputError& e) {
      throw InputError(at(key) + ": " + e.what());
    }
  }

 private:
  void expect(bool ok, const json& v, const char* key, const char* what) const {
    if (!ok) throw InputError(at(key) + ": expected " + what + ", got " + v.type_name());
  }
  const json& j_;
  std::string prefix_;
};

void require(bool ok, std::string_view prefix, const char* key, const std::string& problem) {
  if (!ok) throw InputError(std::string(prefix) + "." + key + ": " + problem);
}

int clamp_int(long long v) {
  return static_cast<int>(std::clamp<long long>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
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
  Reader r(j, prefix, {"objective", "weighting", "batch", "lr", "steps", "seed", "ema", "clip", "projections",
                       "projection", "sigma"});
  c.objective = r.named("objective", to_string(c.objective), parse_objective);
  c.weighting = r.named("weighting", to_string(c.weighting), parse_weighting);
  c.projection = r.named("projection", to_string(c.projection), parse_projection);
  c.batch = clamp_int(r.integer("batch", c.batch));
  c.lr = r.number("lr", c.lr);
  c.steps = clamp_int(r.integer("steps", c.steps));
  long long seed = r.integer("seed", c.seed);
  require(seed >= 0 && seed <= std::numeric_limits<uint32_t>::max(), prefix, "seed",
          "must be an integer in [0, 4294967295] (got " + std::to_string(seed) + ")");
  c.seed = static_cast<uint32_t>(seed);
  c.ema = r.number("ema", c.ema);
  c.clip = r.number("clip", c.clip);
  c.projections = clamp_int(r.integer("projections", c.projections));
  if (r.find("sigma")) c.sigma = r.number("sigma", 0.0);
  validate(c, prefix);
  return c;
}

ModelConfig parse_model_config(const json& j, std::string_view prefix) {
  ModelConfig c;
  if (j.is_null()) return c;
  Reader r(j, prefix, {"hidden", "activation", "fourier", "fourier_scale", "energy"});
  if (const json* h = r.find("hidden")) {
    if (!h->is_array()) throw InputError(r.at("hidden") + ": expected a list of widths, got " + h->type_name());
    c.hidden.clear();
    for (size_t i = 0; i < h->size(); ++i)
      c.hidden.push_back(clamp_int(r.integer_value((*h)[i], r.at("hidden") + "[" + std::to_string(i) + "]")));
  }
  c.activation = r.named("activation", to_string(c.activation), parse_activation);
  c.fourier = clamp_int(r.integer("fourier", c.fourier));
  c.fourier_scale = r.number("fourier_scale", c.fourier_scale);
  c.energy = r.boolean("energy", c.energy);
  validate(c, prefix);
  return c;
}

json to_json(const TrainConfig& c) {
  json j = {{"objective", to_string(c.objective)}, {"weighting", to_string(c.weighting)}, {"batch", c.batch},
            {"lr", c.lr}, {"steps", c.steps}, {"seed", c.seed}, {"ema", c.ema}, {"clip", c.clip},
            {"projections", c.projections}, {"projection", to_string(c.projection)}};
  if (c.sigma) j["sigma"] = *c.sigma;  // absent means σ_min, as in every scene written before it existed
  return j;
}

json to_json(const ModelConfig& c) {
  return {{"hidden", c.hidden}, {"activation", to_string(c.activation)}, {"fourier", c.fourier},
          {"fourier_scale", c.fourier_scale}, {"energy", c.energy}};
}

ObjectiveConfig objective_config(const TrainConfig& train, const NoiseConfig& noise,
                                 std::shared_ptr<const ScoreFunction> true_score) {
  ObjectiveConfig c;
  c.objective = train.objective;
  c.weighting = train.weighting;
  c.projections = train.projections;
  c.projection = train.projection;
  c.sigma = train.sigma;
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
