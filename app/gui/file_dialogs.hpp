// The File menu's actions and popups: open a scene, save / save as, reset to a preset, save and
// load a model, a one-level undo of scene replacements, and the one-line status shown in the menu
// bar. The popups' state lives in App::session; the document they act on (files, model, undo,
// autosave, status) is App::doc, a LabSession (app/session/lab_session.hpp).
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/lab/loaded_scene.hpp"
#include "app/session/lab_session.hpp"
#include "app/session/session_store.hpp"

namespace scorelab {

struct App;

enum class FileDialog { none, open_scene, save_scene_as, save_model, load_model };

struct SessionState {
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
};

void request_dialog(App& app, FileDialog dialog);
void draw_file_dialogs(App& app);  // once a frame, at the top level (after the menu bar)
void set_status(App& app, std::string text, bool error = false);  // app.doc.set_status
void draw_status(const App& app);  // right-aligned in the menu bar; info fades after a while

ModelRef current_model(const App& app);  // app.doc.model()

// Replaces the scene with the file's, keeping the current one for undo (LabSession::open). On
// failure changes nothing and returns the one-line problem; "" on success.
std::string open_scene_file(App& app, const std::filesystem::path& path);
void save_scene_here(App& app);  // to its file; the Save-as dialog for the built-in scene
void undo_scene(App& app);       // swaps the current scene with the undo entry (LabSession::undo)
const PresetListing& presets(App& app);

}  // namespace scorelab
