// The menu bar: File (open, save, presets, undo, models, reload, quit), View (fit, theme,
// presentation scale) and the status line on the right.
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>

#include "app/gui/app.hpp"
#include "app/gui/side_by_side.hpp"

namespace scorelab {
namespace {

void preset_menu(App& app) {
  if (!ImGui::BeginMenu("Reset to preset")) return;
  const PresetListing& listing = presets(app);
  for (const Preset& preset : listing.presets) {
    std::error_code ec;
    const bool current = !app.scene.path.empty() && std::filesystem::equivalent(preset.file, app.scene.path, ec);
    if (ImGui::MenuItem(preset.title.c_str(), nullptr, current)) {
      const std::string problem = open_scene_file(app, preset.file);
      if (!problem.empty()) set_status(app, problem, true);
    }
    tooltip((preset.file.filename().string() + ": replace the scene with this lecture preset (Ctrl+Z brings the "
             "current one back).").c_str());
  }
  if (listing.presets.empty()) ImGui::TextDisabled("(no presets in %s)", default_scene_path().parent_path().c_str());
  for (const std::string& note : listing.notes) {
    ImGui::TextDisabled("(one file skipped)");
    tooltip(note.c_str());
  }
  ImGui::EndMenu();
}

void scene_items(App& app) {
  if (ImGui::MenuItem("Open scene...", "Ctrl+O")) request_dialog(app, FileDialog::open_scene);
  tooltip("Open a scene JSON file. The current scene (with its edits and model) is kept for Undo.");
  const bool has_file = !app.scene.path.empty();
  if (ImGui::MenuItem("Save scene", "Ctrl+S", false, has_file)) save_scene_here(app);
  tooltip(has_file ? ("Write the scene, as edited, to " + app.scene.path.string() + ".").c_str()
                   : "The built-in scene has no file: use Save scene as.");
  if (ImGui::MenuItem("Save scene as...", "Ctrl+Shift+S")) request_dialog(app, FileDialog::save_scene_as);
  tooltip("Write the scene to a new file (asks before replacing one).");
  preset_menu(app);
  const std::optional<std::string> back = app.doc.undo_title();
  const std::string undo = back ? "Undo: back to " + *back : std::string("Undo");
  if (ImGui::MenuItem(undo.c_str(), "Ctrl+Z", false, back.has_value())) undo_scene(app);
  tooltip("Bring back the scene (and model) that the last Open or Reset replaced; again to swap back.");
}

void model_items(App& app) {
  const bool has_model = current_model(app).net != nullptr;
  if (ImGui::MenuItem("Save model...", nullptr, false, has_model)) request_dialog(app, FileDialog::save_model);
  tooltip(has_model ? "Write the learned network (EMA weights, step, this scene) as JSON, as `scorelab train` does."
                    : "Nothing learned yet: train first (T).");
  if (ImGui::MenuItem("Load model...")) request_dialog(app, FileDialog::load_model);
  tooltip("Use a saved network as the learned score (field, heatmap, learned sampler) and continue training "
          "from it. A model trained under another noise schedule is refused.");
}

void file_menu(App& app) {
  if (!ImGui::BeginMenu("File")) return;
  if (ImGui::IsWindowAppearing()) app.session.presets.reset();  // re-read the presets each time the menu opens
  scene_items(app);
  ImGui::Separator();
  model_items(app);
  ImGui::Separator();
  const bool has_file = !app.scene.path.empty();
  if (ImGui::MenuItem("Reload scene", nullptr, false, has_file)) reload_scene(app, app.scene.path);
  tooltip("Read the scene file again from disk (after editing it in a text editor).");
  ImGui::Separator();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.quit_requested = true;
  tooltip("Close ScoreLab; the session is autosaved and reopens next time.");
  ImGui::EndMenu();
}

void view_menu(App& app) {
  if (!ImGui::BeginMenu("View")) return;
  if (ImGui::MenuItem("Fit view to data", "F")) app.fit_requested = true;
  if (ImGui::MenuItem("Sidebar", "H", app.sidebar_shown)) app.sidebar_shown = !app.sidebar_shown;
  tooltip("Show or hide the control panel; hidden, the plane takes the whole width (same centre and zoom).");
  const bool split = app.panes.is_open() && app.panes.mode() == PaneMode::split;
  if (ImGui::MenuItem("Split", "Ctrl+D", split)) {
    if (app.panes.is_open() && !split) close_panes(app);  // objectives compared give way to the split
    toggle_split_view(app);
  }
  tooltip("Two panes side by side: A (this lab) and B with its own sampler, steps, schedule and score (the "
          "Side by side section), the same data, seed and, for a learned score, the same network. They run in "
          "lockstep (the same step; the shorter run waits at its end) and pan and zoom together.");
  if (ImGui::MenuItem("Lecture mode", "F5", app.lecture.on)) toggle_lecture_mode(app);
  tooltip("Full screen, large fonts, each preset's caption and formula on the plane. → / PageDown: next, "
          "← / PageUp: back (a presenter's clicker works), B: blank the screen, + / −: text size, Esc: leave. "
          "The deck is assets/decks/lecture.json unless --deck names another.");
  ImGui::Separator();
  if (ImGui::MenuItem("Dark theme", nullptr, app.settings.theme == Theme::dark)) {
    app.settings.theme = Theme::dark;
    app.style_dirty = true;
  }
  if (ImGui::MenuItem("Light theme", nullptr, app.settings.theme == Theme::light)) {
    app.settings.theme = Theme::light;
    app.style_dirty = true;
  }
  ImGui::Separator();
  for (const float scale : {1.0f, 1.25f, 1.5f, 2.0f}) {
    char label[32];
    std::snprintf(label, sizeof label, "Font scale %.3gx", scale);
    if (ImGui::MenuItem(label, nullptr, app.settings.font_scale == scale)) {
      app.settings.font_scale = scale;
      app.fonts_dirty = true;
    }
  }
  ImGui::EndMenu();
}

}  // namespace

void draw_main_menu(App& app) {
  if (app.lecture.on) {  // the plane takes the whole screen; F5 or Esc brings the menu back
    app.menu_height = 0.0f;
    return;
  }
  if (!ImGui::BeginMainMenuBar()) return;
  file_menu(app);
  view_menu(app);
  draw_status(app);
  app.menu_height = ImGui::GetWindowSize().y;
  ImGui::EndMainMenuBar();
}

}  // namespace scorelab
