#include "core/nn/model_io.hpp"

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/file_io.hpp"
#include "core/nn/model_config.hpp"

namespace scorelab {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& label, const std::string& problem) {
  throw InputError(label + ": " + problem);
}

// A finite number that fits a float.
float get_float(const json& v, const std::string& label, const std::string& at) {
  if (!v.is_number()) fail(label, at + ": expected a number, got " + std::string(v.type_name()));
  const double x = v.get<double>();
  if (!(std::isfinite(x) && std::abs(x) <= std::numeric_limits<float>::max()))
    fail(label, at + ": must be a finite float (got " + v.dump() + ")");
  return static_cast<float>(x);
}

// Reads an array of exactly n floats into out[0..n).
template <typename Out>
void get_floats(const json& v, Eigen::Index n, const std::string& label, const std::string& at, Out&& out) {
  if (!v.is_array() || static_cast<Eigen::Index>(v.size()) != n)
    fail(label, at + ": expected " + std::to_string(n) + " numbers, got " +
                    (v.is_array() ? std::to_string(v.size()) + " entries" : std::string(v.type_name())));
  for (Eigen::Index i = 0; i < n; ++i) out(i) = get_float(v[i], label, at + "[" + std::to_string(i) + "]");
}

const json& member(const json& j, const char* key, const std::string& label) {
  auto it = j.find(key);
  if (it == j.end()) fail(label, std::string("missing key '") + key + "'");
  return *it;
}

}  // namespace

json model_to_json(const Mlp<float>& net, int64_t step, const json& scene) {
  if (!net.params().allFinite() || !net.fourier_freqs().allFinite() || !std::isfinite(net.data_rms()))
    throw InputError("cannot save a model whose weights are not finite");
  json layers = json::array();
  for (int l = 0; l < net.layers(); ++l) {
    auto w = net.weight(l);
    json rows = json::array();
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      json row = json::array();
      for (Eigen::Index c = 0; c < w.cols(); ++c) row.push_back(double(w(r, c)));
      rows.push_back(std::move(row));
    }
    json b = json::array();
    for (Eigen::Index r = 0; r < w.rows(); ++r) b.push_back(double(net.bias(l)[r]));
    layers.push_back({{"w", std::move(rows)}, {"b", std::move(b)}});
  }
  json freqs = json::array();
  for (Eigen::Index k = 0; k < net.fourier_freqs().size(); ++k) freqs.push_back(double(net.fourier_freqs()[k]));
  return {{"format", kModelFormat}, {"version", kModelVersion}, {"model", to_json(net.config())},
          {"step", step}, {"data_rms", net.data_rms()}, {"fourier_freqs", std::move(freqs)},
          {"weights", std::move(layers)}, {"scene", scene}};
}

SavedModel model_from_json(const json& j, const std::string& label) {
  if (!j.is_object()) fail(label, "expected a JSON object, got " + std::string(j.type_name()));
  const json& format = member(j, "format", label);
  if (!format.is_string() || format.get<std::string>() != kModelFormat)
    fail(label, "not a ScoreLab model (format is " + format.dump() + ", expected \"" + kModelFormat + "\")");
  const json& version = member(j, "version", label);
  if (!version.is_number_integer() || version.get<int64_t>() != kModelVersion)
    fail(label, "unsupported model version " + version.dump() + " (this build reads version " +
                    std::to_string(kModelVersion) + ")");
  ModelConfig config;
  try {
    config = parse_model_config(member(j, "model", label), "model");
  } catch (const InputError& e) {
    if (std::string(e.what()).rfind(label + ":", 0) == 0) throw;
    fail(label, e.what());
  }
  SavedModel out{Mlp<float>(config), 0, nullptr};
  Mlp<float>& net = out.net;
  const json& step = member(j, "step", label);
  if (!step.is_number_integer() || step.get<int64_t>() < 0) fail(label, "step: expected an integer >= 0, got " + step.dump());
  out.step = step.get<int64_t>();
  const float rms = get_float(member(j, "data_rms", label), label, "data_rms");
  if (rms < 0) fail(label, "data_rms: must be >= 0");
  net.set_data_rms(member(j, "data_rms", label).get<double>());
  get_floats(member(j, "fourier_freqs", label), config.fourier, label, "fourier_freqs",
             [&](Eigen::Index i) -> float& { return net.fourier_freqs()[i]; });
  const json& weights = member(j, "weights", label);
  if (!weights.is_array() || static_cast<int>(weights.size()) != net.layers())
    fail(label, "weights: expected " + std::to_string(net.layers()) + " layers for the model's architecture, got " +
                    (weights.is_array() ? std::to_string(weights.size()) : std::string(weights.type_name())));
  for (int l = 0; l < net.layers(); ++l) {
    const std::string at = "weights[" + std::to_string(l) + "]";
    const json& layer = weights[l];
    if (!layer.is_object()) fail(label, at + ": expected an object with \"w\" and \"b\"");
    const json& w = member(layer, "w", label + ": " + at);
    if (!w.is_array() || static_cast<int>(w.size()) != net.fan_out(l))
      fail(label, at + ".w: expected " + std::to_string(net.fan_out(l)) + " rows of " +
                      std::to_string(net.fan_in(l)) + " numbers, got " +
                      (w.is_array() ? std::to_string(w.size()) + " rows" : std::string(w.type_name())));
    auto wm = net.weight(l);
    for (int r = 0; r < net.fan_out(l); ++r)
      get_floats(w[r], net.fan_in(l), label, at + ".w[" + std::to_string(r) + "]",
                 [&](Eigen::Index c) -> float& { return wm(r, c); });
    auto b = net.bias(l);
    get_floats(member(layer, "b", label + ": " + at), net.fan_out(l), label, at + ".b",
               [&](Eigen::Index i) -> float& { return b[i]; });
  }
  if (auto it = j.find("scene"); it != j.end()) out.scene = *it;
  return out;
}

void save_model(const std::filesystem::path& path, const Mlp<float>& net, int64_t step, const json& scene) {
  write_text_atomically(path, model_to_json(net, step, scene).dump() + "\n");
}

SavedModel load_model(const std::filesystem::path& path) {
  const std::string label = path.string();
  const std::string text = read_text_file(path, label, ReadLimits{kMaxJsonBytes, true});
  json j;
  try {
    // A model is three levels deep; bound the nesting so that '[' * 100000 costs nothing (issue 17).
    j = json::parse(text, [&](int depth, json::parse_event_t event, json&) {
      if (depth >= int(kMaxJsonDepth) &&
          (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start))
        fail(label, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels (the limit)");
      return true;
    });
  } catch (const json::parse_error& e) {
    // e.byte locates the problem; the library's own message is long and multi-part.
    fail(label, "not valid JSON (" + std::string(text.empty() ? "empty file" : "syntax error near byte " +
                                                                                 std::to_string(e.byte)) + ")");
  } catch (const json::exception& e) {
    // e.g. out_of_range.406, a number too large for a double ("1e400", 400 digits; found by
    // tests/fuzz/fuzz_model): the library's message echoes the whole literal, so it is clipped.
    const std::string what = e.what();
    const size_t end = what.find("] ");
    fail(label, "invalid JSON: " + clip_for_message(end == std::string::npos ? what : what.substr(end + 2), 120));
  }
  return model_from_json(j, label);
}

namespace {

// The keys whose values differ, as "{kind: vp, beta_max: 20}" for each side (whole dumps when the
// sections are not both objects).
std::pair<std::string, std::string> noise_difference(const json& a, const json& b) {
  if (!a.is_object() || !b.is_object()) return {a.dump(), b.dump()};
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  std::string left, right;
  json keys = a;
  keys.update(b);  // the union of the keys, in the library's (sorted) order; "kind" first below
  std::vector<std::string> order{"kind"};
  for (const auto& [key, _] : keys.items())
    if (key != "kind") order.push_back(key);
  for (const std::string& key : order) {
    const json va = a.value(key, json()), vb = b.value(key, json());
    if (va == vb) continue;
    left += (left.empty() ? "" : ", ") + key + ": " + (va.is_null() ? "(none)" : text(va));
    right += (right.empty() ? "" : ", ") + key + ": " + (vb.is_null() ? "(none)" : text(vb));
  }
  return {"{" + left + "}", "{" + right + "}"};
}

}  // namespace

void check_trained_noise(const SavedModel& saved, const json& noise, const std::string& label) {
  if (!saved.scene.is_object() || !saved.scene.contains("noise")) return;
  const json& trained = saved.scene["noise"];
  if (trained == noise) return;
  const auto [was, is] = noise_difference(trained, noise);
  throw InputError(label + " was trained with noise " + was + " but the scene uses " + is);
}

}  // namespace scorelab
