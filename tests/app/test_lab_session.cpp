// LabSession (app/session/lab_session.hpp), the document without a window: open a scene (and a
// malformed one: a clear message, the old document kept), save and reopen, undo of a scene
// replacement, autosave when due and not before, restore after a crash, model save/load. The lab is
// built on the CPU backend: no GL context is needed.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "app/session/lab_session.hpp"
#include "core/training/trainer.hpp"
#include "temp_dir.hpp"

using namespace scorelab;
using scorelab::testing::TempDir;
namespace fs = std::filesystem;

namespace {

fs::path preset(const char* name) { return default_scene_path().parent_path() / name; }

// Counts lab builds and keeps the particles on the CPU (the GPU backend would need a GL context).
struct BuildLog {
  int builds = 0;
  std::string last_title;  // the scene the lab was last built for
};
LabSession::LabBuilder cpu_builder(BuildLog& log) {
  return [&log](Lab& lab, const LoadedScene& scene) {
    ParticleSettings particles = lab.particles();
    particles.backend = ParticleBackend::cpu;
    lab.set_particles(particles);
    lab.load(scene);
    ++log.builds;
    log.last_title = scene_title(scene);
  };
}

AutosavePolicy saving_to(const fs::path& dir, bool restore = false) {
  AutosavePolicy p;
  p.dir = dir;
  p.save = true;
  p.restore = restore;
  p.interval_s = 30.0;
  return p;
}

std::string scene_json(const LabSession& doc) { return to_json(doc.scene().scene).dump(); }

// A small network: another architecture than a scene's default model section.
std::shared_ptr<const Mlp<float>> small_net(uint32_t seed) {
  ModelConfig config;
  config.hidden = {8, 8};
  auto net = std::make_shared<Mlp<float>>(config);
  net->init(seed);
  net->set_data_rms(1.5);
  return net;
}

}  // namespace

TEST_CASE("open a scene; a malformed one is a clear message and the document stays as it was") {
  TempDir dir;
  BuildLog log;
  LabSession doc(AutosavePolicy{}, cpu_builder(log));
  const StartReport report = doc.start(builtin_scene());
  CHECK_FALSE(report.found);  // the policy restores nothing
  CHECK(log.builds == 1);
  CHECK_FALSE(doc.dirty());

  REQUIRE(doc.open(preset("default.json")) == "");
  CHECK(doc.path() == preset("default.json"));
  CHECK(doc.title() == "Eight Gaussians: VP SDE, predictor-corrector");
  CHECK(log.builds == 2);
  CHECK(log.last_title == doc.title());
  CHECK(doc.scene().points.cols() > 0);
  CHECK_FALSE(doc.dirty());
  CHECK(doc.status().text.find("Opened") == 0);
  CHECK_FALSE(doc.status().error);

  const std::string before = scene_json(doc);
  const fs::path bad = dir.write("bad.json", R"({"version": 1, "data": )");
  const std::string problem = doc.open(bad);
  CHECK_FALSE(problem.empty());
  CHECK(problem.find("bad.json") != std::string::npos);  // says which file
  CHECK(doc.path() == preset("default.json"));
  CHECK(scene_json(doc) == before);
  CHECK(log.builds == 2);  // the lab was not rebuilt

  CHECK_FALSE(doc.open(dir.path / "missing.json").empty());
  CHECK(doc.path() == preset("default.json"));
}

TEST_CASE("save, then reopen: the same scene; saving clears the dirty flag") {
  TempDir dir;
  BuildLog log;
  LabSession doc(AutosavePolicy{}, cpu_builder(log));
  doc.start(load_scene_for_view(preset("moons_ddpm.json")));
  doc.scene().scene.title = "Moons, edited";
  doc.scene().scene.sampler.particles = 321;
  CHECK(doc.dirty());
  const fs::path out = dir.path / "saved.json";
  REQUIRE(doc.save(out) == "");
  CHECK(doc.path() == out);
  CHECK_FALSE(doc.dirty());
  CHECK(doc.status().text == "Saved the scene to " + out.string());

  BuildLog other_log;
  LabSession other(AutosavePolicy{}, cpu_builder(other_log));
  other.start(builtin_scene());
  REQUIRE(other.open(out) == "");
  CHECK(scene_json(other) == scene_json(doc));
  CHECK(other.title() == "Moons, edited");
  CHECK(other.scene().scene.sampler.particles == 321);
  CHECK(other.scene().points == doc.scene().points);
  CHECK(doc.save(dir.path / "no_such_folder" / "x.json") != "");
}

TEST_CASE("undo after an open brings back the previous scene, edits included; undo again goes forward") {
  BuildLog log;
  LabSession doc(AutosavePolicy{}, cpu_builder(log));
  doc.start(load_scene_for_view(preset("default.json")));
  CHECK_FALSE(doc.undo());  // nothing to undo yet
  CHECK_FALSE(doc.undo_title());
  doc.scene().scene.title = "Mine";
  const std::string edited = scene_json(doc);

  REQUIRE(doc.open(preset("moons_ddpm.json")) == "");
  const std::string moons = scene_json(doc);
  CHECK(moons != edited);
  REQUIRE(doc.undo_title());
  CHECK(*doc.undo_title() == "Mine");

  const int builds = log.builds;
  CHECK(doc.undo());
  CHECK(scene_json(doc) == edited);
  CHECK(doc.path() == preset("default.json"));
  CHECK(doc.dirty());  // the edit was never saved
  CHECK(log.builds == builds + 1);
  CHECK(log.last_title == "Mine");

  CHECK(doc.undo());
  CHECK(scene_json(doc) == moons);
  CHECK(doc.path() == preset("moons_ddpm.json"));
  CHECK_FALSE(doc.dirty());
}

TEST_CASE("autosave writes when due and something changed, not before; on exit whenever it changed") {
  TempDir dir;
  const fs::path state = dir.path / "state";
  BuildLog log;
  LabSession doc(saving_to(state), cpu_builder(log));
  doc.start(load_scene_for_view(preset("default.json")));
  const double t0 = session_seconds();
  const SessionFiles files{state};

  CHECK(doc.autosave_if_due(t0 + 1.0) == AutosaveResult::not_due);
  CHECK(doc.autosave_if_due(t0 + 29.0) == AutosaveResult::not_due);
  CHECK_FALSE(fs::exists(files.scene()));
  CHECK(doc.autosave_if_due(t0 + 31.0) == AutosaveResult::written);
  CHECK(fs::exists(files.scene()));
  CHECK(load_scene(files.scene()).title == doc.title());
  // The next look is one interval after the write; nothing changed then.
  CHECK(doc.autosave_if_due(t0 + 40.0) == AutosaveResult::not_due);
  CHECK(doc.autosave_if_due(t0 + 62.0) == AutosaveResult::unchanged);
  doc.scene().scene.title = "Changed";
  CHECK(doc.autosave_if_due(t0 + 70.0) == AutosaveResult::not_due);
  CHECK(load_scene(files.scene()).title != "Changed");
  CHECK(doc.autosave_if_due(t0 + 93.0) == AutosaveResult::written);
  CHECK(load_scene(files.scene()).title == "Changed");
  doc.scene().scene.title = "On exit";
  CHECK(doc.autosave_if_due(t0 + 94.0, true) == AutosaveResult::written);
  CHECK(load_scene(files.scene()).title == "On exit");
  CHECK(doc.autosave_if_due(t0 + 95.0, true) == AutosaveResult::unchanged);

  LabSession off(AutosavePolicy{}, cpu_builder(log));
  off.start(builtin_scene());
  CHECK(off.autosave_if_due(t0 + 1000.0, true) == AutosaveResult::off);
}

TEST_CASE("after a crash, a fresh session restores the autosaved scene and model") {
  TempDir dir;
  const fs::path state = dir.path / "state";
  const auto net = small_net(11);
  uint64_t checksum = 0;
  {
    BuildLog log;
    LabSession doc(saving_to(state), cpu_builder(log));
    doc.start(load_scene_for_view(preset("moons_ddpm.json")));
    doc.scene().scene.title = "Before the crash";
    REQUIRE(doc.apply_model(net, 25) == "");
    REQUIRE(doc.model().net);
    CHECK(doc.model().step == 25);
    checksum = doc.model().checksum;
    CHECK(checksum == weights_checksum(*net));
    REQUIRE(doc.autosave_if_due(session_seconds() + 31.0) == AutosaveResult::written);
    // The crash: the session goes without an exit save (none is made by its destructor either).
  }
  REQUIRE(fs::exists(SessionFiles{state}.scene()));
  REQUIRE(fs::exists(SessionFiles{state}.model()));

  BuildLog log;
  LabSession fresh(saving_to(state, true), cpu_builder(log));
  const StartReport report = fresh.start(builtin_scene(), [](Scene& s) { s.sampler.particles = 123; });
  CHECK(report.found);
  CHECK(report.restored);
  CHECK_FALSE(report.error);
  CHECK(report.message.find("Restored your last session") == 0);
  REQUIRE(report.model_step);
  CHECK(*report.model_step == 25);
  CHECK(fresh.title() == "Before the crash");
  CHECK(fresh.path() == preset("moons_ddpm.json"));
  CHECK(fresh.scene().scene.sampler.particles == 123);  // the overrides apply after the restore
  CHECK(log.builds == 1);  // built once, for the restored scene
  CHECK(log.last_title == "Before the crash");
  CHECK(fresh.model().step == 25);
  CHECK(fresh.model().checksum == checksum);
  CHECK(fresh.status().text == report.message);
  // What was restored counts as written: nothing new to autosave until it changes.
  CHECK(fresh.autosave_if_due(session_seconds() + 31.0, true) == AutosaveResult::unchanged);

  // Without restore in the policy, the given scene is kept.
  LabSession kept(saving_to(state, false), cpu_builder(log));
  const StartReport none = kept.start(load_scene_for_view(preset("default.json")));
  CHECK_FALSE(none.found);
  CHECK(kept.path() == preset("default.json"));
}

TEST_CASE("model save and load round-trip; no model is a message") {
  TempDir dir;
  BuildLog log;
  LabSession doc(AutosavePolicy{}, cpu_builder(log));
  doc.start(load_scene_for_view(preset("moons_ddpm.json")));
  CHECK_FALSE(doc.model().net);
  CHECK(doc.save_model(dir.path / "none.json").find("no learned model") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path / "none.json"));

  const auto net = small_net(3);
  REQUIRE(doc.apply_model(net, 40) == "");
  const ModelRef saved = doc.model();
  const fs::path file = dir.path / "model.json";
  REQUIRE(doc.save_model(file) == "");
  CHECK(fs::exists(file));

  BuildLog other_log;
  LabSession other(AutosavePolicy{}, cpu_builder(other_log));
  other.start(load_scene_for_view(preset("moons_ddpm.json")));
  REQUIRE(other.load_model(file) == "");
  CHECK(other.model().step == 40);
  CHECK(other.model().checksum == saved.checksum);
  CHECK(other.scene().scene.model == doc.scene().scene.model);  // the architecture came along
  CHECK(other.status().text.find("Loaded the model model.json (step 40)") == 0);

  // A model trained under another noise schedule is refused, and the document keeps its model.
  LabSession ve(AutosavePolicy{}, cpu_builder(other_log));
  ve.start(load_scene_for_view(preset("checkerboard_ve.json")));
  const std::string problem = ve.load_model(file);
  CHECK_FALSE(problem.empty());
  CHECK_FALSE(ve.model().net);
}
