// Sessions on disk: the state folder's precedence, when autosave runs and what a start restores, a
// scene + model round trip, corrupt files moved aside with a message, the preset listing, and
// saving a point-set scene with its CSV.
#include <doctest/doctest.h>

#include <fstream>

#include <map>
#include <regex>

#include "app/session/session_store.hpp"
#include "core/csv.hpp"
#include "temp_dir.hpp"

using namespace scorelab;
using scorelab::testing::TempDir;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

Scene vp_mixture_scene() {
  return parse_scene(json::parse(R"({"version": 1, "title": "Two blobs",
    "data": {"kind": "mixture", "weights": [0.3, 0.7], "means": [[-2, 0], [2, 1]],
             "covs": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 0.4]]]},
    "noise": {"kind": "vp", "beta_min": 0.1, "beta_max": 20},
    "sampler": {"kind": "pc", "particles": 300, "seed": 4},
    "train": {"steps": 123}, "model": {"hidden": [8, 8]}})"));
}

Mlp<float> small_net(uint32_t seed) {
  ModelConfig config;
  config.hidden = {8, 8};
  Mlp<float> net(config);
  net.init(seed);
  net.set_data_rms(1.5);
  return net;
}

// A point-set scene in `dir`: pts.csv with three points and scene.json referring to it.
fs::path write_points_scene(const TempDir& dir) {
  dir.write("pts.csv", "x,y\n0.5,1\n-2,3.25\n4,-1\n");
  return dir.write("scene.json", R"({"version": 1, "data": {"kind": "points", "file": "pts.csv"},
                                     "noise": {"kind": "ve"}})");
}

}  // namespace

TEST_CASE("state folder: SCORELAB_STATE_DIR, then XDG_STATE_HOME/scorelab, then ~/.local/state/scorelab") {
  CHECK(state_dir(env_of({{"SCORELAB_STATE_DIR", "/a"}, {"XDG_STATE_HOME", "/b"}, {"HOME", "/c"}})) == fs::path("/a"));
  CHECK(state_dir(env_of({{"XDG_STATE_HOME", "/b"}, {"HOME", "/c"}})) == fs::path("/b/scorelab"));
  CHECK(state_dir(env_of({{"HOME", "/c"}})) == fs::path("/c/.local/state/scorelab"));
  CHECK(state_dir(env_of({{"SCORELAB_STATE_DIR", ""}, {"HOME", "/c"}})) == fs::path("/c/.local/state/scorelab"));
  CHECK(state_dir(env_of({{"XDG_STATE_HOME", "relative"}, {"HOME", "/c"}})) == fs::path("/c/.local/state/scorelab"));
  CHECK(!state_dir(env_of({})));
}

TEST_CASE("autosave policy: --frames runs leave it alone unless SCORELAB_STATE_DIR is set") {
  const EnvLookup home = env_of({{"HOME", "/h"}});
  const EnvLookup explicit_dir = env_of({{"HOME", "/h"}, {"SCORELAB_STATE_DIR", "/s"}});
  GuiOptions interactive;
  AutosavePolicy p = autosave_policy(interactive, home);
  CHECK(p.save);
  CHECK(p.restore);
  CHECK(p.interval_s == kDefaultAutosaveSeconds);
  CHECK(p.dir == fs::path("/h/.local/state/scorelab"));

  GuiOptions frames;
  frames.frames = 30;
  p = autosave_policy(frames, home);
  CHECK(!p.save);
  CHECK(!p.restore);
  p = autosave_policy(frames, explicit_dir);
  CHECK(p.save);
  CHECK(p.restore);

  GuiOptions scene = frames;
  scene.scene = "x.json";
  p = autosave_policy(scene, explicit_dir);
  CHECK(p.save);
  CHECK(!p.restore);  // the scene asked for wins
  const GuiOptions no_restore = parse_gui_options({"--no-restore"});
  CHECK(no_restore.no_restore);
  CHECK(!parse_gui_options({}).no_restore);
  p = autosave_policy(no_restore, home);
  CHECK(p.save);
  CHECK(!p.restore);

  p = autosave_policy(interactive, env_of({}));  // no folder at all
  CHECK(!p.save);
  CHECK(!p.restore);

  CHECK(autosave_policy(interactive, env_of({{"HOME", "/h"}, {"SCORELAB_AUTOSAVE_SECONDS", "0.5"}})).interval_s == 0.5);
  for (const char* bad : {"0", "-3", "ten", "5s", "nan"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(autosave_policy(interactive, env_of({{"HOME", "/h"}, {"SCORELAB_AUTOSAVE_SECONDS", bad}})),
                         ("SCORELAB_AUTOSAVE_SECONDS: expected a number of seconds > 0 (got '" + std::string(bad) + "')").c_str(),
                         InputError);
  }
}

TEST_CASE("autosave clock: looked at once per interval, written only when something changed") {
  AutosaveClock clock;
  clock.mark_checked(100.0);  // start
  CHECK(!clock.check_due(110.0, 30.0));
  CHECK(clock.check_due(130.0, 30.0));
  CHECK(clock.changed("a"));  // nothing written yet
  clock.mark_written(130.0, "a");
  CHECK(!clock.changed("a"));
  CHECK(!clock.check_due(150.0, 30.0));
  CHECK(clock.check_due(160.0, 30.0));
  clock.mark_checked(160.0);  // unchanged: look again one interval later
  CHECK(!clock.check_due(170.0, 30.0));
  CHECK(clock.changed("b"));
  CHECK(clock.written == "a");
}

TEST_CASE("fingerprint: follows the scene, the drawn points and the model") {
  const Scene scene = vp_mixture_scene();
  const std::string base = session_fingerprint(scene, 0, 0);
  CHECK(session_fingerprint(scene, 0, 0) == base);
  Scene edited = scene;
  edited.sampler.particles = 301;
  CHECK(session_fingerprint(edited, 0, 0) != base);
  CHECK(session_fingerprint(scene, 42, 10) != base);
  CHECK(session_fingerprint(scene, 42, 11) != session_fingerprint(scene, 42, 10));

  TempDir dir;
  Scene points = load_scene(write_points_scene(dir));
  const std::string before = session_fingerprint(points, 0, 0);
  points.data.points(0, 1) += 0.25;  // one point dragged: to_json() alone would not see it
  CHECK(session_fingerprint(points, 0, 0) != before);
}

TEST_CASE("session round trip: scene, where it came from, and the model") {
  TempDir dir;
  const Scene scene = vp_mixture_scene();
  const Mlp<float> net = small_net(3);
  write_session(dir.path / "state", scene, "/lectures/blobs.json", &net, 77);
  const RestoredSession r = read_session(dir.path / "state");
  REQUIRE(r.found);
  REQUIRE(r.scene);
  CHECK(!r.error);
  CHECK(to_json(*r.scene) == to_json(scene));
  CHECK(r.scene_path == fs::path("/lectures/blobs.json"));
  REQUIRE(r.model);
  CHECK(r.model->step == 77);
  CHECK(r.model->net.params() == net.params());
  CHECK(r.model->net.data_rms() == net.data_rms());
  CHECK(std::regex_match(r.message, std::regex(R"(Restored your last session \(saved [0-2][0-9]:[0-5][0-9]\))")));

  // Saved again without a model: the old model file must not come back with the new scene.
  write_session(dir.path / "state", scene, {}, nullptr, 0);
  const RestoredSession again = read_session(dir.path / "state");
  CHECK(!again.model);
  CHECK(again.scene_path.empty());
  CHECK(!fs::exists(SessionFiles{dir.path / "state"}.model()));
}

TEST_CASE("session round trip: a point set is saved beside the scene and restored from anywhere") {
  TempDir dir;
  const Scene scene = load_scene(write_points_scene(dir));
  Scene drawn = scene;
  drawn.data.points(0, 0) = -7.5;  // edited in the GUI: differs from pts.csv
  const SessionFiles files{dir.path / "state"};
  write_session(files.dir, drawn, dir.path / "scene.json", nullptr, 0);
  CHECK(read_points_csv(files.points()) == drawn.data.points);
  CHECK(read_points_csv(dir.path / "pts.csv") == scene.data.points);  // the original is untouched
  const RestoredSession r = read_session(files.dir);
  REQUIRE(r.scene);
  CHECK(r.scene->data.points == drawn.data.points);
  CHECK(fs::path(r.scene->data.file).is_absolute());
  CHECK(fs::equivalent(r.scene->data.file, files.points()));
}

TEST_CASE("a corrupt autosave is moved aside and reported in one line; the default scene is used") {
  TempDir dir;
  const SessionFiles files{dir.path};
  dir.write("autosave.json", "{\"version\": 1, \"data\": ");
  const RestoredSession r = read_session(dir.path);
  CHECK(r.found);
  CHECK(!r.scene);
  CHECK(r.error);
  CHECK(r.message.find("could not be restored") != std::string::npos);
  CHECK(r.message.find("autosave.json.bad") != std::string::npos);
  CHECK(r.message.find('\n') == std::string::npos);
  CHECK(!fs::exists(files.scene()));
  CHECK(fs::exists(dir.path / "autosave.json.bad"));
  CHECK(!read_session(dir.path).found);  // the next start is clean

  CHECK(!read_session(dir.path / "nothing_here").found);
}

TEST_CASE("a corrupt or mismatched autosaved model is left out, the scene still restored") {
  TempDir dir;
  const SessionFiles files{dir.path};
  const Scene scene = vp_mixture_scene();
  const Mlp<float> net = small_net(5);
  write_session(dir.path, scene, {}, &net, 9);
  dir.write("autosave_model.json", "[1, 2");
  RestoredSession r = read_session(dir.path);
  CHECK(r.scene);
  CHECK(!r.model);
  CHECK(r.error);
  CHECK(r.message.rfind("Restored your last session", 0) == 0);
  CHECK(r.message.find("autosave_model.json.bad") != std::string::npos);
  CHECK(fs::exists(dir.path / "autosave_model.json.bad"));

  // A model trained under VE next to a VP scene.
  json ve_scene = to_json(scene);
  ve_scene["noise"] = {{"kind", "ve"}};
  save_model(files.model(), net, 9, ve_scene);
  r = read_session(dir.path);
  CHECK(r.scene);
  CHECK(!r.model);
  CHECK(r.message.find("another noise schedule") != std::string::npos);
}

TEST_CASE("presets: sorted by title, file name without a title, bad files skipped with a note") {
  TempDir dir;
  dir.write("b.json", R"({"version": 1, "title": "zeta", "data": {"kind": "toy", "name": "moons"}})");
  dir.write("a.json", R"({"version": 1, "title": "Alpha", "data": {"kind": "toy", "name": "rings"}})");
  dir.write("middle.json", R"({"version": 1, "data": {"kind": "toy", "name": "rings"}})");
  dir.write("broken.json", R"({"version": 1, "title": "Broken", )");
  dir.write("typo.json", R"({"version": 1, "data": {"kind": "toy", "nmae": "rings"}})");
  dir.write("notes.txt", "not a scene");
  const PresetListing listing = list_presets(dir.path);
  REQUIRE(listing.presets.size() == 3);
  CHECK(listing.presets[0].title == "Alpha");
  CHECK(listing.presets[0].file.filename() == "a.json");
  CHECK(listing.presets[1].title == "middle");
  CHECK(listing.presets[2].title == "zeta");
  REQUIRE(listing.notes.size() == 2);
  CHECK(listing.notes[0].find("broken.json") != std::string::npos);
  CHECK(listing.notes[1].find("typo.json") != std::string::npos);
  CHECK(list_presets(dir.path / "missing").presets.empty());
}

TEST_CASE("presets: the folder's teaching order first, then the rest by title; a stale name is noted") {
  TempDir dir;
  dir.write("b.json", R"({"version": 1, "title": "zeta", "data": {"kind": "toy", "name": "moons"}})");
  dir.write("a.json", R"({"version": 1, "title": "Alpha", "data": {"kind": "toy", "name": "rings"}})");
  dir.write("c.json", R"({"version": 1, "title": "Gamma", "data": {"kind": "toy", "name": "rings"}})");
  dir.write(kTeachingOrderFile, "# the lecture's order\nb.json\n  gone.json  # renamed since\n\nc.json\n");
  const PresetListing listing = list_presets(dir.path);
  REQUIRE(listing.presets.size() == 3);
  CHECK(listing.presets[0].file.filename() == "b.json");
  CHECK(listing.presets[1].file.filename() == "c.json");
  CHECK(listing.presets[2].file.filename() == "a.json");
  REQUIRE(listing.notes.size() == 1);
  CHECK(listing.notes[0].find("lists gone.json, which is not a preset here") != std::string::npos);
}

TEST_CASE("the shipped presets: every one in the teaching order, the default first") {
  const std::filesystem::path scenes =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "assets/scenes";
  const PresetListing listing = list_presets(scenes);
  CHECK(listing.notes.empty());
  REQUIRE(!listing.presets.empty());
  CHECK(listing.presets.front().file.filename() == "default.json");
  // Every shipped scene is placed on purpose: none falls through to the alphabetical tail.
  std::ifstream order(scenes / kTeachingOrderFile);
  int listed = 0;
  for (std::string line; std::getline(order, line);)
    if (!line.empty() && line[0] != '#') ++listed;
  CHECK(listed == int(listing.presets.size()));
}

TEST_CASE("json file lists: folder by folder, sorted, each file once, missing folders skipped") {
  TempDir dir;
  dir.write("one/b.json", "{}");
  dir.write("one/a.json", "{}");
  dir.write("one/c.csv", "x,y");
  dir.write("two/a.json", "{}");
  const auto files = list_json_files({dir.path / "two", dir.path / "one", dir.path / "missing", dir.path / "two"});
  REQUIRE(files.size() == 3);
  CHECK(files[0] == dir.path / "two" / "a.json");
  CHECK(files[1] == dir.path / "one" / "a.json");
  CHECK(files[2] == dir.path / "one" / "b.json");
}

TEST_CASE("saving a point-set scene elsewhere: an unchanged CSV is referred to, edited points are written") {
  TempDir dir;
  const fs::path from = write_points_scene(dir);
  const Scene scene = load_scene(from);
  fs::create_directories(dir.path / "sub");

  const Scene moved = save_scene_with_points(scene, from, dir.path / "sub" / "copy.json");
  CHECK(moved.data.file == "../pts.csv");
  CHECK(load_scene(dir.path / "sub" / "copy.json").data.points == scene.data.points);
  CHECK(!fs::exists(dir.path / "sub" / "copy_points.csv"));

  Scene edited = scene;
  edited.data.points(1, 2) = 9.0;
  const Scene written = save_scene_with_points(edited, from, dir.path / "sub" / "edited.json");
  CHECK(written.data.file == "edited_points.csv");
  CHECK(load_scene(dir.path / "sub" / "edited.json").data.points == edited.data.points);
  CHECK(read_points_csv(dir.path / "pts.csv") == scene.data.points);

  // A CSV inside the autosave folder is never referred to: it is rewritten at any time.
  const Scene copied = save_scene_with_points(scene, from, dir.path / "out.json", PointsFile::reference_if_unchanged,
                                              dir.path);
  CHECK(copied.data.file == "out_points.csv");

  Scene empty = scene;
  empty.data.points.resize(2, 0);
  CHECK_THROWS_AS(save_scene_with_points(empty, from, dir.path / "empty.json"), InputError);
  CHECK(!fs::exists(dir.path / "empty.json"));
}
