// Floor 5, app/session/ (see session_store.hpp). The document behind a window: one scene
// (LoadedScene), the Lab built for it, the learned model, a one-level undo of scene replacements,
// the autosave and its restore at start, and a one-line status. No ImGui and no window: the GUI's
// File dialogs (app/gui/file_dialogs.cpp) ask for a path and call open/save/save_model/load_model
// here; tests/app/test_lab_session.cpp drives it headless.
//
// The Lab is driven through its API (lab.hpp): load through the builder, rebuild_trainer, its trainer
// and adopt_network for a model loaded without one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/lab/lab.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/session/session_store.hpp"
#include "core/nn/mlp.hpp"

namespace scorelab {

// Seconds on a monotonic clock (autosave timing, status age).
double session_seconds();

// "Title" of a scene: its title, else its file's stem, else "Untitled scene".
std::string scene_title(const LoadedScene& scene);

// The model the session holds: the trainer's newest weights once trained (step > 0), or a model
// loaded from a file when there is no trainer. net is null when there is none.
struct ModelRef {
  std::shared_ptr<const Mlp<float>> net;
  int64_t step = 0;
  uint64_t checksum = 0;  // weights_checksum(*net); 0 when there is no model
};

// The one-line status the window shows (menu bar); error lines stay until replaced.
struct SessionStatus {
  std::string text;
  bool error = false;
  double time_s = 0.0;  // session_seconds() when set
};

// What start() found in the autosave.
struct StartReport {
  bool found = false;     // an autosave was there (restored or reported as unusable)
  bool restored = false;  // its scene replaced the one given to start()
  std::optional<int64_t> model_step;  // the autosaved model's step, when one came with it
  std::string message;    // one line ("" when nothing was found); also the status
  bool error = false;
};

enum class AutosaveResult { off, not_due, unchanged, written, failed };

class LabSession {
 public:
  // Rebuilds the lab for a new scene (open, undo, restore, start). The default is lab.load(
  // scene); the GUI passes one that also applies its start-up options and uploads the scene's data
  // to its renderer.
  using LabBuilder = std::function<void(Lab&, const LoadedScene&)>;
  // The command line's changes to a scene at start (e.g. --particles), applied after the restore.
  using SceneOverrides = std::function<void(Scene&)>;

  LabSession() = default;
  explicit LabSession(AutosavePolicy policy, LabBuilder builder = {});
  LabSession(const LabSession&) = delete;
  LabSession& operator=(const LabSession&) = delete;

  void set_policy(AutosavePolicy policy) { policy_ = std::move(policy); }
  void set_lab_builder(LabBuilder builder) { builder_ = std::move(builder); }
  const AutosavePolicy& policy() const { return policy_; }

  // Start-up: the autosaved session when the policy restores and one is there (a crash or a quit
  // left it), else `scene`; then the overrides, the lab, and the autosaved model. The autosave
  // clock counts what was restored as written.
  StartReport start(LoadedScene scene, const SceneOverrides& overrides = {});

  // ---- the document --------------------------------------------------------------------------------
  // Mutable: the panels edit the scene in place (data, noise, sampler sections) and rebuild the lab.
  LoadedScene& scene() { return scene_; }
  const LoadedScene& scene() const { return scene_; }
  Lab& lab() { return lab_; }
  const Lab& lab() const { return lab_; }
  const std::filesystem::path& path() const { return scene_.path; }  // empty: not from a file
  std::string title() const { return scene_title(scene_); }
  // The scene differs from the file it was last opened from or saved to (the built-in one: from
  // how it started).
  bool dirty() const;
  ModelRef model() const;

  // ---- files: each returns "" or a one-line problem, and changes nothing on failure ---------------
  // Replaces the scene with the file's, keeping the current one (edits included) for undo().
  std::string open(const std::filesystem::path& path);
  // The same for a scene already loaded (a lecture deck's slide): it becomes the document, its path
  // the file it stands for.
  void present(LoadedScene scene);
  // Writes the scene (a drawn point set beside it as CSV) and makes `to` its file.
  std::string save(const std::filesystem::path& to);
  std::string save_model(const std::filesystem::path& to);
  // Loads a model trained for this scene's noise and makes it the learned score (apply_model).
  std::string load_model(const std::filesystem::path& from);
  // Makes `net` the learned score: seeds the trainer with it (adopting its architecture into the
  // scene's model section when they differ), or, without a trainer, uses it directly.
  std::string apply_model(std::shared_ptr<const Mlp<float>> net, int64_t step);

  // ---- undo: one level; undo() again swaps back ----------------------------------------------------
  bool undo();  // false when there is nothing to undo
  std::optional<std::string> undo_title() const;  // "back to <title>"

  // ---- autosave ------------------------------------------------------------------------------------
  // Writes the session when the policy saves and (once per interval, or on exit) it changed since the
  // last write. A failure goes to the status line and is retried one interval later.
  AutosaveResult autosave_if_due(double now_s, bool exiting = false);

  // ---- status --------------------------------------------------------------------------------------
  void set_status(std::string text, bool error = false);
  const SessionStatus& status() const { return status_; }

 private:
  // What undo() brings back: the scene as it was (edits included), its model, and its saved state.
  struct UndoEntry {
    LoadedScene scene;
    ModelRef model;
    std::string title;
    std::string saved;  // saved_ of that scene
  };
  UndoEntry current_as_undo() const;
  void replace_scene(LoadedScene scene);  // no undo entry; rebuilds the lab
  void restore_entry(UndoEntry entry);
  void build_lab();
  std::optional<SavedModel> read_autosave(StartReport& report);

  AutosavePolicy policy_;
  LabBuilder builder_;
  LoadedScene scene_;
  Lab lab_;
  ModelRef loaded_;           // a model loaded while there is no trainer to seed
  std::optional<UndoEntry> undo_;
  std::string saved_;         // fingerprint of the scene as last opened or saved
  AutosaveClock clock_;
  SessionStatus status_;
};

}  // namespace scorelab
