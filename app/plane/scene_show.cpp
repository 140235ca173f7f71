#include "app/plane/scene_show.hpp"

#include <algorithm>

#include "core/json_section.hpp"

namespace scorelab {

const std::vector<std::string>& scene_show_panel_names() {
  static const std::vector<std::string> names{"scene", "data", "particles", "condition", "field",
                                              "training", "noise", "metrics",   "export"};
  return names;
}

namespace {

using json = nlohmann::json;

template <typename T>
T one_of(const JsonSection& s, std::string_view key, const std::vector<std::pair<std::string, T>>& names,
         T fallback) {
  const json* v = s.find(key);
  if (!v) return fallback;
  const std::string name = json_string(*v, s.at(key));
  std::vector<std::string> allowed;
  for (const auto& [n, value] : names) {
    if (n == name) return value;
    allowed.push_back(n);
  }
  fail_at(s.at(key), "unknown value '" + name + "' (expected one of: " + join_names(allowed) + ")");
}

SceneView parse_view(const json& j, const std::string& at) {
  JsonSection s(j, at, {"center", "half_width"});
  SceneView view;
  if (const json* c = s.find("center")) {
    expect_json_type(c->is_array() && c->size() == 2, *c, s.at("center"), "[x, y]");
    view.center = Vec2(json_number((*c)[0], s.at("center") + "[0]"), json_number((*c)[1], s.at("center") + "[1]"));
    if (view.center.cwiseAbs().maxCoeff() > 1e6) fail_at(s.at("center"), "must lie within ±1e6");
  }
  view.half_width = s.number("half_width", view.half_width);
  if (!(view.half_width >= 1e-3 && view.half_width <= 1e6)) fail_at(s.at("half_width"), "must be in [0.001, 1e6]");
  return view;
}

std::vector<std::string> parse_panels(const json& j, const std::string& at) {
  expect_json_type(j.is_array(), j, at, "a list of panel names");
  std::vector<std::string> panels;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string name = json_string(j[i], at + "[" + std::to_string(i) + "]");
    const auto& known = scene_show_panel_names();
    if (std::find(known.begin(), known.end(), name) == known.end())
      fail_at(at + "[" + std::to_string(i) + "]", "unknown panel '" + name + "' (expected one of: " + join_names(known) + ")");
    panels.push_back(name);
  }
  return panels;
}

int bounded(const JsonSection& s, std::string_view key, int fallback, int lo, int hi) {
  const int v = s.integer(key, fallback);
  if (v < lo || v > hi)
    fail_at(s.at(key), "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " +
                           std::to_string(v) + ")");
  return v;
}

}  // namespace

SceneShow parse_scene_show(const json& j) {
  SceneShow show;
  if (j.is_null()) return show;
  const std::string path = "scene.show";
  expect_json_type(j.is_object(), j, path, "an object");
  JsonSection s(j, path, {"score", "backend", "layers", "points", "particles", "forward", "train", "steps_per_frame",
                          "frames_per_step", "panels", "view", "pin"});
  if (s.find("score")) show.learned_score = one_of<bool>(s, "score", {{"exact", false}, {"learned", true}}, false);
  if (s.find("backend")) show.gpu_backend = one_of<bool>(s, "backend", {{"cpu", false}, {"gpu", true}}, true);
  if (const json* v = s.find("layers")) {
    try {
      OtherLayers other;
      apply_layers_spec(json_string(*v, s.at("layers")), show.field, show.heatmap, &other);
      if (other.points) show.points = *other.points;
      if (other.particles) show.particles = *other.particles;
    } catch (const InputError& e) {
      fail_at(s.at("layers"), e.what());
    }
  }
  show.points = s.boolean("points", show.points);
  show.particles = s.boolean("particles", show.particles);
  show.forward = s.boolean("forward", show.forward);
  show.train = s.boolean("train", show.train);
  show.steps_per_frame = bounded(s, "steps_per_frame", show.steps_per_frame, 1, 1000);
  show.frames_per_step = bounded(s, "frames_per_step", show.frames_per_step, 1, 120);
  if (const json* v = s.find("panels")) show.panels = parse_panels(*v, s.at("panels"));
  if (const json* v = s.find("view")) show.view = parse_view(*v, s.at("view"));
  show.pin = one_of<PinnedFigure>(s, "pin", {{"none", PinnedFigure::none}, {"mode_weights", PinnedFigure::mode_weights}},
                                  PinnedFigure::none);
  return show;
}

}  // namespace scorelab
