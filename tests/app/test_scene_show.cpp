// A scene's "show" section (app/plane/scene_show.hpp): defaults when absent, every key read, every
// preset's section valid, bad values refused with one line naming the key.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/plane/scene_show.hpp"
#include "core/scene.hpp"

using namespace scorelab;
using json = nlohmann::json;

namespace {
const std::filesystem::path kScenes =
    std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "assets/scenes";
}  // namespace

TEST_CASE("an absent show section gives the app's defaults") {
  const SceneShow show = parse_scene_show(json());
  const FieldSettings field;
  const HeatmapSettings heatmap;
  CHECK(!show.learned_score);
  CHECK(!show.gpu_backend);
  CHECK(show.field.show == field.show);
  CHECK(show.field.style == field.style);
  CHECK(show.heatmap.show == heatmap.show);
  CHECK(show.points);
  CHECK(show.particles);
  CHECK(!show.train);
  CHECK(!show.forward);
  CHECK(show.frames_per_step == 1);
  CHECK(show.panels.empty());
  CHECK(!show.view);
  CHECK(show.pin == PinnedFigure::none);
}

TEST_CASE("every key of the show section is read") {
  const SceneShow show = parse_scene_show(json::parse(R"({
    "score": "learned", "backend": "cpu", "layers": "heatmap=error_p,field=streamlines,points=0",
    "particles": false, "forward": true, "train": true, "steps_per_frame": 5, "frames_per_step": 60,
    "panels": ["noise", "metrics"], "view": {"center": [1, -2], "half_width": 3.5}, "pin": "mode_weights"})"));
  CHECK(show.learned_score == true);
  CHECK(show.gpu_backend == false);
  CHECK(show.heatmap.show);
  CHECK(show.heatmap.kind == HeatmapKind::score_error);
  CHECK(show.heatmap.weight_by_p);
  CHECK(show.field.style == FieldStyle::streamlines);
  CHECK(!show.points);
  CHECK(!show.particles);
  CHECK(show.forward);
  CHECK(show.train);
  CHECK(show.steps_per_frame == 5);
  CHECK(show.frames_per_step == 60);
  CHECK(show.panels == std::vector<std::string>{"noise", "metrics"});
  REQUIRE(show.view);
  CHECK(show.view->center == Vec2(1, -2));
  CHECK(show.view->half_width == 3.5);
  CHECK(show.pin == PinnedFigure::mode_weights);
}

TEST_CASE("bad show sections are refused with one line naming the key") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"scroe": "exact"})", "scene.show.scroe: unknown key"},
      {R"({"score": "ideal"})", "scene.show.score: unknown value 'ideal' (expected one of: exact, learned)"},
      {R"({"backend": 1})", "scene.show.backend: expected a string, got number"},
      {R"({"layers": "heatmap=hot"})", "scene.show.layers: SCORELAB_LAYERS: 'heatmap=hot'"},
      {R"({"frames_per_step": 0})", "scene.show.frames_per_step: must be an integer in [1, 120] (got 0)"},
      {R"({"panels": ["nosie"]})", "scene.show.panels[0]: unknown panel 'nosie'"},
      {R"({"panels": "noise"})", "scene.show.panels: expected a list of panel names, got string"},
      {R"({"view": {"half_width": 0}})", "scene.show.view.half_width: must be in [0.001, 1e6]"},
      {R"({"view": {"center": [1]}})", "scene.show.view.center: expected [x, y], got array"},
      {R"({"pin": "weights"})", "scene.show.pin: unknown value 'weights'"},
      {R"([1])", "scene.show: expected an object, got array"},
  };
  for (const auto& [text, expect] : cases) {
    CAPTURE(text);
    std::string message;
    try {
      parse_scene_show(json::parse(text));
    } catch (const InputError& e) {
      message = e.what();
    }
    CHECK(message.find(expect) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("every preset's show section is valid") {
  int with_show = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kScenes)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    const Scene scene = load_scene(entry.path());
    CHECK_NOTHROW(parse_scene_show(scene.show));
    with_show += !scene.show.is_null();
  }
  CHECK(with_show >= 1);
}
