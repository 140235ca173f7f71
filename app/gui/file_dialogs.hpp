// The File menu's actions and popups: open a scene, save / save as, reset to a preset, save and
// load a model, a one-level undo of scene replacements, and the one-line status shown in the menu
// bar. Their state lives in App::session; the pure logic (files, presets, autosave) is in
// session_store.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/lab/loaded_scene.hpp"
#include "app/session/session_store.hpp"
#include "core/nn/mlp.hpp"

namespace scorelab {

struct App;

enum class FileDialog { none, open_scene, save_scene_as, save_model, load_model };

// The model the session holds: the trainer's newest weights once trained (step > 0), or a model
// loaded from a file when there is no trainer. net is null when there is none.
struct ModelRef {
  std::shared_ptr<const Mlp<float>> net;
  int64_t step = 0;
  uint64_t checksum = 0;  // weights_checksum(*net); 0 when there is no model
};

// What "Undo: back to <title>" brings back: the scene as it was (edits included) and its model.
struct UndoEntry {
  LoadedScene scene;
  ModelRef model;
  std::string title;
};

struct SessionState {
  // Autosave (app.cpp).
  AutosavePolicy policy;
  AutosaveClock clock;
  // The popups. Menus and key handlers run in other ImGui ID scopes than the popups, so they ask
  // for a dialog here and draw_file_dialogs() opens it.
  FileDialog request = FileDialog::none;
  FileDialog shown = FileDialog::none;
  std::array<char, 1024> path{};  // the path field
  std::string dialog_error;       // one line, red, under the field
  bool overwrite = false;         // the "replace the existing file" box
  std::vector<std::filesystem::path> choices;  // files listed under the field
  // Enter / Escape seen by the GLFW key callback while a dialog is shown (ImGui 1.86 misses a press
  // and release within one frame, which slow frames make common).
  bool key_enter = false;
  bool key_escape = false;
  std::optional<PresetListing> presets;        // read when the File menu opens
  std::optional<UndoEntry> undo;
  ModelRef loaded;  // a model loaded while there is no trainer to seed
  // The status line in the menu bar.
  std::string status;
  bool status_error = false;
  double status_time = 0.0;  // session_seconds() when set
};

// Seconds on a monotonic clock (autosave timing, status age).
double session_seconds();

void request_dialog(App& app, FileDialog dialog);
void draw_file_dialogs(App& app);  // once a frame, at the top level (after the menu bar)
void set_status(App& app, std::string text, bool error = false);
void draw_status(const App& app);  // right-aligned in the menu bar; info fades after a while

// "Title" of a scene: its title, else its file's stem, else "Untitled scene".
std::string scene_title(const LoadedScene& scene);
ModelRef current_model(const App& app);
// Makes `net` the learned score: seeds the trainer with it (adopting its architecture into the
// scene's model section when they differ), or, without a trainer, uses it directly. Returns "" or
// a one-line problem.
std::string apply_model(App& app, std::shared_ptr<const Mlp<float>> net, int64_t step);

// Replaces the scene with the file's, keeping the current one for undo. On failure changes nothing
// and returns the one-line problem; "" on success.
std::string open_scene_file(App& app, const std::filesystem::path& path);
void save_scene_here(App& app);  // to its file; the Save-as dialog for the built-in scene
void undo_scene(App& app);       // swaps the current scene with the undo entry
const PresetListing& presets(App& app);

}  // namespace scorelab
