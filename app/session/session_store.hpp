// Floor 5, app/session/: the document around a lab, no ImGui: LabSession (lab_session.hpp: scene,
// lab, model, open/save, undo, autosave and restore, status), start-up options (options.hpp),
// autosave files and presets (this file), point edits with undo (point_editing.hpp).
//
// Sessions on disk, without GL (the GUI's File menu and autosave use these; tests/app tests them):
// where the autosave lives and when it is written, what a start restores, the preset list, and
// saving a scene together with its point set.
//
// The autosave is a folder of files, each written atomically (core/file_io.hpp):
//   autosave.json          the scene (written last: a session is never newer than its scene)
//   autosave_points.csv    the point set of a "points" scene (the scene's data.file points at it)
//   autosave_model.json    the learned model with the scene embedded (absent when nothing was trained)
//   autosave_session.json  {"format": "scorelab-session", "scene_path": where the scene came from, "saved_at": unix s}
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/session/options.hpp"
#include "core/nn/model_io.hpp"
#include "core/scene.hpp"

namespace scorelab {

// ---- where ----------------------------------------------------------------------------------------

// Reads an environment variable; nullopt when unset. Empty values count as unset.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup process_env();  // std::getenv

// $SCORELAB_STATE_DIR, else $XDG_STATE_HOME/scorelab, else $HOME/.local/state/scorelab; nullopt
// when none of them is set.
std::optional<std::filesystem::path> state_dir(const EnvLookup& env);

struct AutosavePolicy {
  std::optional<std::filesystem::path> dir;  // state_dir(); none: no autosave at all
  bool restore = false;     // load the autosave at start
  bool save = false;        // write it every interval while something changed, and on exit
  double interval_s = 30.0;
};
inline constexpr double kDefaultAutosaveSeconds = 30.0;

// --frames runs (tests, screenshots) neither read nor write the autosave unless SCORELAB_STATE_DIR
// is set, and without a state folder nothing is; --scene and --no-restore skip the restore.
// SCORELAB_AUTOSAVE_SECONDS (a number > 0) sets the interval; anything else there is an InputError
// naming the variable.
AutosavePolicy autosave_policy(const GuiOptions& options, const EnvLookup& env);

// ---- when -----------------------------------------------------------------------------------------

// What the autosave holds, as a comparable string: the scene's JSON, a hash of its points, and the
// model's checksum and step (model_checksum 0: no model).
std::string session_fingerprint(const Scene& scene, uint64_t model_checksum, int64_t model_step);

// Remembers what was last written and when it was last looked at (seconds on a monotonic clock).
// The state is looked at once per interval (its fingerprint costs a JSON dump) and written when it
// changed since the last write; on exit it is written whenever it changed.
struct AutosaveClock {
  std::string written;     // fingerprint of the last write ("" before any)
  double checked_at = 0.0;

  bool check_due(double now_s, double interval_s) const { return now_s - checked_at >= interval_s; }
  bool changed(const std::string& fingerprint) const { return fingerprint != written; }
  void mark_checked(double now_s) { checked_at = now_s; }
  void mark_written(double now_s, std::string fingerprint) {
    written = std::move(fingerprint);
    checked_at = now_s;
  }
};

// ---- what -----------------------------------------------------------------------------------------

struct SessionFiles {
  std::filesystem::path dir;
  std::filesystem::path scene() const { return dir / "autosave.json"; }
  std::filesystem::path points() const { return dir / "autosave_points.csv"; }
  std::filesystem::path model() const { return dir / "autosave_model.json"; }
  std::filesystem::path info() const { return dir / "autosave_session.json"; }
};

// Writes the session into `dir` (created when missing). scene_path: where the scene was opened
// from (empty: built-in). net: the model (nullptr: none, and a stale model file is removed).
// Throws InputError naming the file that could not be written.
void write_session(const std::filesystem::path& dir, const Scene& scene, const std::filesystem::path& scene_path,
                   const Mlp<float>* net, int64_t step);

struct RestoredSession {
  bool found = false;                // an autosave.json was there
  std::optional<Scene> scene;        // the restored scene (none: nothing found, or corrupt)
  std::filesystem::path scene_path;  // where that scene had been opened from (empty: built-in)
  std::optional<SavedModel> model;   // present when it loaded and matches the scene's noise
  std::string message;               // one line for the status bar ("" when nothing was found)
  bool error = false;                // message reports a problem
};

// Reads the session in `dir`. A scene that does not load is moved aside to autosave.json.bad and
// reported; a model that does not load is moved aside to autosave_model.json.bad, and one trained
// under another noise schedule is left out, each with a note in the message. A point-set scene's
// data.file is made absolute (the state folder's CSV), so the scene is usable from anywhere.
RestoredSession read_session(const std::filesystem::path& dir);

// ---- presets and file lists -------------------------------------------------------------------------

struct Preset {
  std::string title;  // the scene's "title", else the file's stem
  std::filesystem::path file;
};
struct PresetListing {
  // In the folder's teaching order (kTeachingOrderFile: one file name a line, '#' starts a comment),
  // then the files it does not list sorted by title (case-insensitive), then file name.
  std::vector<Preset> presets;
  std::vector<std::string> notes;  // one line per file skipped because it does not load as a scene
};
PresetListing list_presets(const std::filesystem::path& folder);
inline constexpr const char* kTeachingOrderFile = "teaching_order.txt";

// The *.json files directly inside the given folders (missing folders are skipped), each file once,
// folder by folder in the order given, sorted by name within a folder.
std::vector<std::filesystem::path> list_json_files(const std::vector<std::filesystem::path>& folders);

// ---- saving a scene with its points -----------------------------------------------------------------

enum class PointsFile { reference_if_unchanged, always_copy };

// Saves `scene` to `to` atomically and returns the scene as written. `from` is where the scene was
// loaded from (its data.file is relative to that folder; empty: the working directory). A point-set
// scene keeps referring to its CSV when that file still holds exactly these points, lies outside
// `volatile_dir` (the autosave folder, rewritten at any time) and the policy allows it: the path is
// then rewritten relative to `to`'s folder. Otherwise the points are written to
// "<to's stem>_points.csv" beside `to`, and data.file names that file. Throws InputError.
Scene save_scene_with_points(const Scene& scene, const std::filesystem::path& from, const std::filesystem::path& to,
                             PointsFile policy = PointsFile::reference_if_unchanged,
                             const std::filesystem::path& volatile_dir = {});

// "HH:MM" of a unix time in local time.
std::string clock_time(int64_t unix_seconds);

}  // namespace scorelab
