#include "core/nn/model_config.hpp"

#include <cmath>
#include <string>

#include "core/json_section.hpp"

namespace scorelab {

using nlohmann::json;

Activation parse_activation(std::string_view name) {
  if (name == "silu") return Activation::silu;
  if (name == "softplus") return Activation::softplus;
  if (name == "tanh") return Activation::tanh;
  throw InputError("unknown activation '" + std::string(name) + "' (expected silu, softplus or tanh)");
}

const char* to_string(Activation activation) {
  switch (activation) {
    case Activation::silu: return "silu";
    case Activation::softplus: return "softplus";
    case Activation::tanh: return "tanh";
  }
  return "?";
}

void validate(const ModelConfig& c, std::string_view prefix) {
  auto fail = [&](const char* key, const std::string& problem) { fail_at(std::string(prefix) + "." + key, problem); };
  if (c.hidden.empty() || c.hidden.size() > 8)
    fail("hidden", "must list 1 to 8 layer widths (got " + std::to_string(c.hidden.size()) + ")");
  for (size_t i = 0; i < c.hidden.size(); ++i)
    if (c.hidden[i] < 1 || c.hidden[i] > 1024)
      fail("hidden", "widths must be integers in [1, 1024] (got " + std::to_string(c.hidden[i]) +
                         " at index " + std::to_string(i) + ")");
  if (c.fourier < 0 || c.fourier > 64)
    fail("fourier", "must be an integer in [0, 64] (got " + std::to_string(c.fourier) + ")");
  if (c.classes < 0 || c.classes > 64)
    fail("classes", "must be an integer in [0, 64] (got " + std::to_string(c.classes) + ")");
  if (!(std::isfinite(c.fourier_scale) && c.fourier_scale > 0 && c.fourier_scale <= 1000))
    fail("fourier_scale", "must be in (0, 1000] (got " + format_number(c.fourier_scale) + ")");
}

ModelConfig parse_model_config(const json& j, std::string_view prefix) {
  ModelConfig c;
  if (j.is_null()) return c;
  const JsonSection s(j, std::string(prefix), {"hidden", "activation", "fourier", "fourier_scale", "energy", "classes"});
  if (const json* h = s.find("hidden")) {
    expect_json_type(h->is_array(), *h, s.at("hidden"), "a list of widths");
    c.hidden.clear();
    for (size_t i = 0; i < h->size(); ++i) c.hidden.push_back(json_int((*h)[i], s.at("hidden") + "[" + std::to_string(i) + "]"));
  }
  c.activation = s.named("activation", c.activation, parse_activation);
  c.fourier = s.integer("fourier", c.fourier);
  c.fourier_scale = s.number("fourier_scale", c.fourier_scale);
  c.energy = s.boolean("energy", c.energy);
  c.classes = s.integer("classes", c.classes);
  validate(c, prefix);
  return c;
}

json to_json(const ModelConfig& c) {
  json j = {{"hidden", c.hidden}, {"activation", to_string(c.activation)}, {"fourier", c.fourier},
            {"fourier_scale", c.fourier_scale}, {"energy", c.energy}};
  if (c.classes > 0) j["classes"] = c.classes;  // absent: unconditional, as in every older file
  return j;
}

}  // namespace scorelab
