// Scenes: every preset loads, load/save round trips, and every malformed input is refused with one
// line naming its key.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <unistd.h>

#include "core/csv.hpp"
#include "core/scene.hpp"

using namespace scorelab;
using scorelab::testing::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kScenes = fs::path(__FILE__).parent_path().parent_path().parent_path() / "assets/scenes";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A small valid scene touching every section; cases below break one thing each.
json base_scene() {
  return json::parse(R"({
    "version": 1, "title": "t", "description": "d",
    "data": {"kind": "mixture", "weights": [0.2, 0.8], "means": [[-5, -5], [5, 5]],
             "covs": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]], "count": 100, "seed": 3},
    "noise": {"kind": "geometric", "sigma_max": 20, "sigma_min": 1, "levels": 10},
    "sampler": {"kind": "annealed", "eps": 0.1, "steps_per_level": 100, "particles": 1280,
                "init": {"kind": "uniform", "low": [-8, -8], "high": [8, 8]}}
  })");
}

// Every field of two scenes agrees. Mixture weights are renormalised on load, which may move
// them by an ulp or two; everything else must be bit-identical.
void check_same(const Scene& a, const Scene& b) {
  CHECK(a.version == b.version);
  CHECK(a.title == b.title);
  CHECK(a.description == b.description);
  CHECK(a.data.kind == b.data.kind);
  CHECK(a.data.toy == b.data.toy);
  CHECK(a.data.count == b.data.count);
  CHECK(a.data.seed == b.data.seed);
  CHECK(a.data.file == b.data.file);
  CHECK(a.data.points == b.data.points);
  REQUIRE(a.data.mixture.size() == b.data.mixture.size());
  for (int k = 0; k < a.data.mixture.size(); ++k) {
    const auto &ca = a.data.mixture.components()[k], &cb = b.data.mixture.components()[k];
    CHECK(ca.weight == doctest::Approx(cb.weight).epsilon(1e-15));
    CHECK(ca.mean == cb.mean);
    CHECK(ca.cov == cb.cov);
  }
  const NoiseConfig &na = a.noise, &nb = b.noise;
  CHECK(na.kind == nb.kind);
  CHECK(na.sigma_min == nb.sigma_min);
  CHECK(na.sigma_max == nb.sigma_max);
  CHECK(na.levels == nb.levels);
  CHECK(na.rho == nb.rho);
  CHECK(na.beta_min == nb.beta_min);
  CHECK(na.beta_max == nb.beta_max);
  const SamplerConfig &sa = a.sampler, &sb = b.sampler;
  CHECK(sa.kind == sb.kind);
  CHECK(sa.eps == sb.eps);
  CHECK(sa.steps == sb.steps);
  CHECK(sa.steps_per_level == sb.steps_per_level);
  CHECK(sa.snr == sb.snr);
  CHECK(sa.corrector_steps == sb.corrector_steps);
  CHECK(sa.solver == sb.solver);
  CHECK(sa.denoise == sb.denoise);
  CHECK(sa.langevin_sigma == sb.langevin_sigma);
  CHECK(sa.particles == sb.particles);
  CHECK(sa.seed == sb.seed);
  CHECK(sa.init.kind == sb.init.kind);
  CHECK(sa.init.low == sb.init.low);
  CHECK(sa.init.high == sb.init.high);
  CHECK(a.train == b.train);
  CHECK(a.model == b.model);
  CHECK(a.show == b.show);
  CHECK(a.lecture.caption == b.lecture.caption);
  CHECK(a.lecture.formula == b.lecture.formula);
  CHECK(a.lecture.notice == b.lecture.notice);
}

}  // namespace

TEST_CASE("every preset loads, has a title and a description, and round-trips") {
  REQUIRE(fs::is_directory(kScenes));
  int count = 0;
  for (const auto& entry : fs::directory_iterator(kScenes)) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    Scene s;
    CHECK_NOTHROW(s = load_scene(entry.path()));
    CHECK(!s.title.empty());
    CHECK(s.description.size() > 40);
    check_same(s, parse_scene(to_json(s), kScenes));
    ++count;
  }
  CHECK(count >= 7);
}

TEST_CASE("the presets say what the lecture needs") {
  Scene d = load_scene(kScenes / "default.json");
  CHECK(d.data.kind == DataKind::toy);
  CHECK(d.data.toy == "8gaussians");
  CHECK(d.noise.kind == NoiseKind::vp);
  CHECK(d.noise.beta_min == 0.1);
  CHECK(d.noise.beta_max == 20.0);
  CHECK(d.sampler.kind == SamplerKind::pc);
  CHECK(d.sampler.snr == 0.16);
  CHECK(d.sampler.corrector_steps == 1);
  CHECK(d.sampler.steps == 500);
  CHECK(d.sampler.particles == 4000);
  CHECK(d.sampler.init.kind == InitKind::prior);

  // THEORY.md §7: p = 0.2 N((-5,-5), I) + 0.8 N((5,5), I), 1280 samples from U[-8, 8]².
  Scene pit = load_scene(kScenes / "ncsn_pitfall_langevin.json");
  Scene fix = load_scene(kScenes / "ncsn_annealed.json");
  for (const Scene* s : {&pit, &fix}) {
    REQUIRE(s->data.kind == DataKind::mixture);
    REQUIRE(s->data.mixture.size() == 2);
    CHECK(s->data.mixture.components()[0].weight == doctest::Approx(0.2));
    CHECK(s->data.mixture.components()[1].mean == Vec2(5, 5));
    CHECK(s->data.mixture.components()[0].cov == Mat2::Identity());
    CHECK(s->noise.kind == NoiseKind::geometric);
    CHECK(s->noise.sigma_max == 20.0);
    CHECK(s->noise.sigma_min == 1.0);
    CHECK(s->noise.levels == 10);
    CHECK(s->sampler.eps == 0.1);
    CHECK(s->sampler.particles == 1280);
    CHECK(s->sampler.init.kind == InitKind::uniform);
    CHECK(s->sampler.init.low == Vec2(-8, -8));
    CHECK(s->sampler.init.high == Vec2(8, 8));
  }
  CHECK(pit.sampler.kind == SamplerKind::langevin);
  CHECK(pit.sampler.steps == 1000);
  CHECK(pit.sampler.langevin_sigma == 0.0);
  CHECK(fix.sampler.kind == SamplerKind::annealed);
  CHECK(fix.sampler.steps_per_level == 100);

  CHECK(load_scene(kScenes / "checkerboard_ve.json").noise.kind == NoiseKind::ve);
  CHECK(load_scene(kScenes / "swissroll_ode.json").sampler.solver == OdeSolver::rk4);
  CHECK(load_scene(kScenes / "moons_ddpm.json").sampler.kind == SamplerKind::ddpm);
  CHECK(load_scene(kScenes / "rings_subvp.json").noise.kind == NoiseKind::subvp);
}

TEST_CASE("missing keys take the struct defaults; a missing version means 1") {
  Scene s = parse_scene(json::parse(R"({"data": {"kind": "toy", "name": "moons"}})"));
  Scene defaults;
  defaults.data.toy = "moons";
  check_same(s, defaults);
  CHECK(s.version == 1);
}

TEST_CASE("a scene with every field changed survives to_json/parse and save/load") {
  TempDir dir;
  Scene s;
  s.title = "Über-scene ✓";
  s.description = "line one; \"quoted\"";
  s.data.kind = DataKind::mixture;
  Mat2 cov;
  cov << 2.0, 0.3, 0.3, 0.5;
  s.data.mixture = GaussianMixture({{1.0, Vec2(0.1, -0.7), cov}, {2.0, Vec2(1.0 / 3.0, 4), Mat2::Identity()}});
  s.data.count = 1234;
  s.data.seed = 4000000000u;
  s.noise = {NoiseKind::edm, 0.002, 80.0, 18, 5.5, 0.2, 15.0};
  s.sampler.kind = SamplerKind::ode;
  s.sampler.eps = 0.0123;
  s.sampler.steps = 77;
  s.sampler.steps_per_level = 9;
  s.sampler.snr = 0.01;
  s.sampler.corrector_steps = 3;
  s.sampler.solver = OdeSolver::heun;
  s.sampler.denoise = true;
  s.sampler.langevin_sigma = 0.25;
  s.sampler.particles = 99;
  s.sampler.seed = 17;
  s.sampler.init = {InitKind::uniform, Vec2(-1.5, -2), Vec2(3, 0.1)};
  // Objects inside arrays must not be taken for duplicate keys by the loader.
  s.train = {{"steps", 5000}, {"lr", 1e-3}, {"nested", {{"a", {1, 2, 3}}}}, {"layers", {{{"w", 1}}, {{"w", 2}}}}};
  s.model = {{"hidden", {128, 128}}};
  s.lecture = {"Two sentences. Of caption.", "s(x) = ∇ₓ log p(x)", "the arrows point uphill"};
  s.show = {{"score", "learned"}, {"layers", "heatmap=true"}, {"panels", {"noise"}}};

  check_same(s, parse_scene(to_json(s)));
  save_scene(s, dir.path / "s.json");
  check_same(s, load_scene(dir.path / "s.json"));
  // The saved file documents every default, version first.
  json j = json::parse(std::ifstream(dir.path / "s.json"));
  CHECK(j["sampler"].contains("steps_per_level"));
  CHECK(j["noise"].contains("rho"));
  std::ifstream in(dir.path / "s.json");
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  CHECK(second.find("\"version\": 1") != std::string::npos);
}

TEST_CASE("malformed scenes are refused with one line naming the key") {
  struct Case {
    const char* expect;  // the message must contain this
    std::function<void(json&)> edit;
  };
  const Case cases[] = {
      {"scene.version: 2 is newer than this ScoreLab understands (1)", [](json& j) { j["version"] = 2; }},
      {"scene.version: expected an integer, got string", [](json& j) { j["version"] = "1"; }},
      {"scene.version: must be 1 (got 0)", [](json& j) { j["version"] = 0; }},
      {"scene.smapler: unknown key (expected one of: version, title,", [](json& j) { j["smapler"] = json::object(); }},
      {"scene.sampler.stepz: unknown key (expected one of: kind, eps, steps,", [](json& j) { j["sampler"]["stepz"] = 5; }},
      {"scene.noise.sigma_mx: unknown key", [](json& j) { j["noise"]["sigma_mx"] = 5; }},
      {"scene.lecture.captoin: unknown key (expected one of: caption, formula, notice)",
       [](json& j) { j["lecture"] = {{"captoin", "x"}}; }},
      {"scene.lecture.formula: expected a string, got number", [](json& j) { j["lecture"] = {{"formula", 1}}; }},
      {"scene.show: expected an object, got array", [](json& j) { j["show"] = json::array(); }},
      {"scene.sampler.init.extra: unknown key", [](json& j) { j["sampler"]["init"]["extra"] = 1; }},
      {"scene.noise.sigma_max: expected a number, got string", [](json& j) { j["noise"]["sigma_max"] = "20"; }},
      {"scene.noise.sigma_max: must be above sigma_min", [](json& j) { j["noise"]["sigma_max"] = 0.5; }},
      {"scene.noise.levels: must be an integer in [2, 10000]", [](json& j) { j["noise"]["levels"] = 1; }},
      {"scene.noise.kind: unknown noise kind 'cosine'", [](json& j) { j["noise"]["kind"] = "cosine"; }},
      {"scene.noise: expected an object, got array", [](json& j) { j["noise"] = json::array(); }},
      {"scene.sampler.kind: unknown sampler 'heun'", [](json& j) { j["sampler"]["kind"] = "heun"; }},
      {"scene.sampler.kind: expected a string, got number", [](json& j) { j["sampler"]["kind"] = 3; }},
      {"scene.sampler.solver: unknown ODE solver 'rk45'", [](json& j) { j["sampler"]["solver"] = "rk45"; }},
      {"scene.sampler.eps: must be in (0, 10] (got -1)", [](json& j) { j["sampler"]["eps"] = -1; }},
      {"scene.sampler.eps: must be in (0, 10] (got 1e+300)", [](json& j) { j["sampler"]["eps"] = 1e300; }},
      {"scene.sampler.steps: expected an integer, got 1.5", [](json& j) { j["sampler"]["steps"] = 1.5; }},
      {"scene.sampler.steps: is out of range for an integer (got 1e+20)", [](json& j) { j["sampler"]["steps"] = 1e20; }},
      {"scene.sampler.steps: must be an integer in [1, 100000] (got 0)", [](json& j) { j["sampler"]["steps"] = 0; }},
      {"scene.sampler.particles: must be an integer in [1, 100000000] (got 200000000)",
       [](json& j) { j["sampler"]["particles"] = 200000000; }},
      {"scene.sampler.corrector_steps: must be an integer in [0, 100]", [](json& j) { j["sampler"]["corrector_steps"] = 101; }},
      {"scene.sampler.snr: must be in (0, 10]", [](json& j) { j["sampler"]["snr"] = 0; }},
      {"scene.sampler.denoise: expected true or false, got string", [](json& j) { j["sampler"]["denoise"] = "yes"; }},
      {"scene.sampler.seed: must be an integer in [0, 4294967295] (got -1)", [](json& j) { j["sampler"]["seed"] = -1; }},
      {"scene.sampler.sigma: must be finite and at most 10000", [](json& j) { j["sampler"]["sigma"] = 1e5; }},
      {"scene.sampler.init.kind: unknown kind 'gaussian'", [](json& j) { j["sampler"]["init"]["kind"] = "gaussian"; }},
      {"scene.sampler.init: low must be below high in x", [](json& j) { j["sampler"]["init"]["low"] = {9, -9}; }},
      {"scene.sampler.init.low: expected [x, y]", [](json& j) { j["sampler"]["init"]["low"] = {1}; }},
      {"scene.sampler.init.high[1]: expected a number, got null", [](json& j) { j["sampler"]["init"]["high"] = {1, nullptr}; }},
      {"scene.data: missing (expected an object", [](json& j) { j.erase("data"); }},
      {"scene.data: expected an object, got array", [](json& j) { j["data"] = json::array(); }},
      {"scene.data.kind: missing (expected mixture, toy or points)", [](json& j) { j["data"].erase("kind"); }},
      {"scene.data.kind: unknown kind 'image'", [](json& j) { j["data"]["kind"] = "image"; }},
      {"scene.data.name: unknown key for kind 'mixture'", [](json& j) { j["data"]["name"] = "moons"; }},
      {"scene.data.count: must be an integer in [1, 1000000] (got 0)", [](json& j) { j["data"]["count"] = 0; }},
      {"scene.data.count: must be an integer in [1, 1000000] (got 2000000)", [](json& j) { j["data"]["count"] = 2000000; }},
      {"scene.data.means: missing", [](json& j) { j["data"].erase("means"); }},
      {"scene.data.means: expected a list of 1 to 10000", [](json& j) { j["data"]["means"] = json::array(); }},
      {"scene.data.means[1]: expected [x, y]", [](json& j) { j["data"]["means"][1] = {1, 2, 3}; }},
      {"scene.data.means[0]: must have |value| <= 1e6", [](json& j) { j["data"]["means"][0] = {1e300, 0}; }},
      {"scene.data.weights: expected 2 numbers, one per mean (got 3)", [](json& j) { j["data"]["weights"] = {1, 1, 1}; }},
      {"scene.data.weights: must be positive numbers (got -1 at index 0)", [](json& j) { j["data"]["weights"][0] = -1; }},
      {"scene.data.weights: must be positive numbers (got 0 at index 1)", [](json& j) { j["data"]["weights"][1] = 0; }},
      {"scene.data.covs: expected 2 2x2 matrices, one per mean (got 1)",
       [](json& j) { j["data"]["covs"] = json::array({j["data"]["covs"][0]}); }},
      {"scene.data.covs[0]: expected a 2x2 matrix", [](json& j) { j["data"]["covs"][0] = {{1, 0}}; }},
      {"scene.data.covs[1][0]: expected [x, y]", [](json& j) { j["data"]["covs"][1] = {{1, 0, 0}, {0, 1}}; }},
      {"scene.data: component 0: covariance must be finite and symmetric",
       [](json& j) { j["data"]["covs"][0] = {{1, 0.5}, {0, 1}}; }},
      {"scene.data: component 1: covariance must be positive definite",
       [](json& j) { j["data"]["covs"][1] = {{1, 2}, {2, 1}}; }},
      {"scene.title: expected a string, got number", [](json& j) { j["title"] = 5; }},
  };
  for (const Case& c : cases) {
    json j = base_scene();
    c.edit(j);
    std::string err = error_of([&] { parse_scene(j); });
    CAPTURE(c.expect);
    CHECK(err.find(c.expect) != std::string::npos);
    CHECK(err.find('\n') == std::string::npos);
  }
  CHECK(error_of([] { parse_scene(json::array()); }) == "scene: expected an object, got array");
  CHECK(error_of([] { parse_scene(base_scene()); }) == "");  // the base itself is valid
}

TEST_CASE("sampler eps: a number, or \"auto\" (also when absent) for Song & Ermon's annealed step") {
  json j = base_scene();
  j["sampler"].erase("eps");
  CHECK(parse_scene(j, ".").sampler.eps_auto);
  j["sampler"]["eps"] = "auto";
  const Scene automatic = parse_scene(j, ".");
  CHECK(automatic.sampler.eps_auto);
  CHECK(to_json(automatic)["sampler"]["eps"] == "auto");  // saved as it was given
  j["sampler"]["eps"] = 0.05;
  const Scene fixed = parse_scene(j, ".");
  CHECK_FALSE(fixed.sampler.eps_auto);
  CHECK(fixed.sampler.eps == 0.05);
  CHECK(parse_scene(to_json(fixed), ".").sampler.eps == 0.05);
  j["sampler"]["eps"] = "fast";
  CHECK(error_of([&] { parse_scene(j, "."); }) ==
        "scene.sampler.eps: expected a number or \"auto\", got string");
  j["sampler"]["eps"] = 0.1;
  j["sampler"]["s_churn"] = -1;
  CHECK(error_of([&] { parse_scene(j, "."); }).rfind("scene.sampler.s_churn: must be in [0, 1000]", 0) == 0);
}

TEST_CASE("toy names are checked against the known sets") {
  json j = base_scene();
  j["data"] = {{"kind", "toy"}, {"name", "8gausians"}};
  std::string err = error_of([&] { parse_scene(j); });
  CHECK(err.rfind("scene.data.name: unknown toy set '8gausians' (expected one of: ", 0) == 0);
  CHECK(err.find("swissroll") != std::string::npos);
  for (const char* name : {"8gaussians", "checkerboard", "rings", "circles", "moons", "swissroll", "2spirals",
                           "pinwheel", "ncsn"}) {
    j["data"]["name"] = name;
    CHECK(parse_scene(j).data.toy == name);
  }
  j["data"].erase("name");
  CHECK(error_of([&] { parse_scene(j); }).rfind("scene.data.name: missing", 0) == 0);
}

TEST_CASE("NaN, infinities and huge values are refused wherever a number is read") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const std::pair<const char*, std::function<void(json&)>> cases[] = {
      {"scene.sampler.eps", [&](json& j) { j["sampler"]["eps"] = nan; }},
      {"scene.noise.sigma_min", [&](json& j) { j["noise"]["sigma_min"] = inf; }},
      {"scene.noise.rho", [&](json& j) { j["noise"]["rho"] = nan; }},
      {"scene.noise.sigma_max", [&](json& j) { j["noise"]["sigma_max"] = 1e300; }},
      {"scene.data.means[0][1]", [&](json& j) { j["data"]["means"][0][1] = -inf; }},
      {"scene.data.covs[0][0][0]", [&](json& j) { j["data"]["covs"][0][0][0] = nan; }},
      {"scene.data.weights[1]", [&](json& j) { j["data"]["weights"][1] = inf; }},
      {"scene.sampler.init.high[0]", [&](json& j) { j["sampler"]["init"]["high"][0] = nan; }},
      {"scene.sampler.steps", [&](json& j) { j["sampler"]["steps"] = inf; }},
      {"scene.sampler.particles", [&](json& j) { j["sampler"]["particles"] = nan; }},
  };
  for (const auto& entry : cases) {
    // Named, not a structured binding: clang 14 (the sanitizer tree) cannot capture one in CAPTURE's lambda.
    const char* key = entry.first;
    const auto& edit = entry.second;
    json j = base_scene();
    edit(j);
    std::string err = error_of([&] { parse_scene(j); });
    CAPTURE(key);
    CHECK(err.rfind(std::string(key) + ": ", 0) == 0);
  }
  // JSON text cannot spell NaN; a number too large for a double is refused by name of the file.
  TempDir dir;
  fs::path p = dir.write("big.json", R"({"data": {"kind": "toy", "name": "moons"}, "sampler": {"eps": 1e400}})");
  std::string err = error_of([&] { load_scene(p); });
  CHECK(err.rfind(p.string() + ": invalid JSON", 0) == 0);
  CHECK(err.find("1e400") != std::string::npos);
}

TEST_CASE("a points scene reads its CSV relative to the scene's folder, and keeps the path as written") {
  TempDir dir;
  dir.write("lecture/data/pts.csv", "x,y\n1,2\n-3,4.5\n");
  fs::path scene_path = dir.write("lecture/scene.json", R"({"data": {"kind": "points", "file": "data/pts.csv"}})");
  Scene s = load_scene(scene_path);  // the working directory is elsewhere: only the scene's folder works
  REQUIRE(s.data.kind == DataKind::points);
  REQUIRE(s.data.points.cols() == 2);
  CHECK(s.data.points.col(1) == Vec2(-3, 4.5));
  CHECK(s.data.file == "data/pts.csv");
  CHECK(to_json(s)["data"]["file"] == "data/pts.csv");
  check_same(s, parse_scene(to_json(s), dir.path / "lecture"));

  // Saved elsewhere with a relative path, the scene no longer finds its file: said by key and file.
  dir.write("lecture/data/bad.csv", "x,y\n1,2\n3\n");
  json j = to_json(s);
  j["data"]["file"] = "data/bad.csv";
  std::string err = error_of([&] { parse_scene(j, dir.path / "lecture"); });
  CHECK(err.rfind("scene.data.file: ", 0) == 0);
  CHECK(err.find("bad.csv:3: expected two numbers 'x,y' (got '3')") != std::string::npos);
  j["data"]["file"] = "data/none.csv";
  err = error_of([&] { parse_scene(j, dir.path / "lecture"); });
  CHECK(err.rfind("scene.data.file: cannot read ", 0) == 0);
  CHECK(err.find("No such file or directory") != std::string::npos);
  // An absolute path is used as it is.
  j["data"]["file"] = (dir.path / "lecture/data/pts.csv").string();
  CHECK(parse_scene(j, "/nonexistent").data.points.cols() == 2);
}

TEST_CASE("load_scene names unreadable files, JSON syntax errors by line and column, duplicate keys") {
  TempDir dir;
  fs::path missing = dir.path / "x.json";
  CHECK(error_of([&] { load_scene(missing); }) ==
        "cannot read scene '" + missing.string() + "': No such file or directory");

  // The second comma of line 3 is at column 26 (counted by hand).
  fs::path bad = dir.write("bad.json", "{\n  \"version\": 1,\n  \"data\": {\"kind\": \"toy\",, }\n}");
  std::string err = error_of([&] { load_scene(bad); });
  CHECK(err.rfind(bad.string() + ": invalid JSON at line 3, column 26: ", 0) == 0);
  CHECK(err.find('\n') == std::string::npos);

  fs::path cut = dir.write("cut.json", "{\"data\": {\"kind\": \"toy");
  err = error_of([&] { load_scene(cut); });
  CHECK(err.rfind(cut.string() + ": invalid JSON at line 1, column ", 0) == 0);
  CHECK(err.find("unexpected end of input") != std::string::npos);

  fs::path empty = dir.write("empty.json", "");
  CHECK(error_of([&] { load_scene(empty); }).rfind(empty.string() + ": invalid JSON at line 1, column 1", 0) == 0);

  fs::path dup = dir.write("dup.json", R"({"data": {"kind": "toy"}, "sampler": {"steps": 5, "steps": 50}})");
  CHECK(error_of([&] { load_scene(dup); }) == dup.string() + ": duplicate key scene.sampler.steps");
}

TEST_CASE("save_scene is atomic: a failed save leaves nothing, a good one replaces the file") {
  TempDir dir;
  Scene s = parse_scene(base_scene());
  fs::path missing = dir.path / "no_dir" / "s.json";
  CHECK(error_of([&] { save_scene(s, missing); }) == "cannot write " + missing.string() + ": No such file or directory");
  fs::create_directory(dir.path / "taken.json");
  CHECK(error_of([&] { save_scene(s, dir.path / "taken.json"); }).rfind("cannot write ", 0) == 0);
  for (const auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);

  fs::path out = dir.write("s.json", "garbage");
  save_scene(s, out);
  check_same(s, load_scene(out));
}

TEST_CASE("hostile scene files are refused fast and in bounded memory, with one short line") {
  TempDir dir;
  // 200 kB of brackets: the nesting limit stops it at level 64 (it used to cost > 8 GB).
  const fs::path deep = dir.write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  const auto start = std::chrono::steady_clock::now();
  CHECK(error_of([&] { load_scene(deep); }) ==
        deep.string() + ": nesting deeper than 64 levels of objects and arrays (the limit; no scene needs more)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  // 64 levels are still read (and then refused by the scene's own checks, not the nesting limit).
  const fs::path ok = dir.write("ok.json", "{\"a\":" + std::string(62, '[') + std::string(62, ']') + "}");
  CHECK(error_of([&] { load_scene(ok); }).find("nesting") == std::string::npos);
  CHECK(error_of([] { load_scene("/dev/zero"); }) == "cannot read scene '/dev/zero': not a text file (a NUL byte at offset 0)");
  // A duplicate key deep down still names its path; a 1 MB key is clipped to one short line.
  const fs::path dup = dir.write("dup.json", R"({"data": {"kind": "toy", "x": [{"a": 1, "a": 2}]}})");
  CHECK(error_of([&] { load_scene(dup); }) == dup.string() + ": duplicate key scene.data.x[].a");
  const std::string key(1 << 20, 'k');
  const fs::path huge = dir.write("huge.json", "{\"version\": 1, \"" + key + "\": 1}");
  const std::string err = error_of([&] { load_scene(huge); });
  CHECK(err.find("kkkkkkkk") != std::string::npos);
  CHECK(err.size() < huge.string().size() + 300);
  const fs::path huge_dup = dir.write("huge_dup.json", "{\"" + key + "\": 1, \"" + key + "\": 2}");
  CHECK(error_of([&] { load_scene(huge_dup); }).size() < huge_dup.string().size() + 200);
}
