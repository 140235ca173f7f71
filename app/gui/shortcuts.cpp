// Keyboard shortcuts, handled on GLFW key events (not by polling key state once per frame: ImGui
// 1.86 misses a press and release that land in the same frame, as fast typing and xdotool do).
// Letters work in either case (Shift, Caps Lock).
//   space: play/pause the particles (at the end: play again)   R: restart and play them   T: start/pause training   F: fit view
//   H: hide/show the sidebar (the plane takes the whole width)   F5: lecture mode (lecture_mode.hpp)
//   1 data · 2 ellipses · 3 score field · 4 heatmap · 5 particles · 6 trails · 7 grid · 8 labels ·
//   9 normalised arrows (toggles)      Ctrl+Q: quit
//   Ctrl+O open scene · Ctrl+S save scene · Ctrl+Shift+S save scene as · Ctrl+Z undo the last Open/Reset
//   Ctrl+D split view (a pane B beside the plane, side_by_side.hpp)
#include "app/gui/app.hpp"
#include "app/gui/panels/export_panel.hpp"
#include "app/gui/side_by_side.hpp"

namespace scorelab {
namespace {

void toggle_training(App& app) {
  if (!app.lab.trainer()) return;
  Trainer& trainer = *app.lab.trainer();
  if (trainer.status().state == TrainerState::running)
    trainer.pause();
  else
    trainer.start();
}

void toggle_layer(App& app, int number) {
  ViewSettings& v = app.settings;
  FieldSettings field = app.lab.field();
  HeatmapSettings heatmap = app.lab.heatmap();
  ParticleSettings particles = app.lab.particles();
  bool* const layers[] = {&v.show_points,          &v.show_ellipses,         &field.show,
                          &heatmap.show,           &particles.show,          &particles.show_trails,
                          &v.show_grid,            &v.show_labels,           &field.normalise};
  if (number < 1 || number > 9) return;
  *layers[number - 1] = !*layers[number - 1];
  app.lab.set_field(field);  // layer switches only: nothing restarts
  app.lab.set_heatmap(heatmap);
  app.lab.set_particles(particles);
}

}  // namespace

void handle_key_event(App& app, int key, int action, int mods) {
  if (action != GLFW_PRESS) return;
  if (app.session.shown != FileDialog::none) {  // a File dialog is up: Enter runs it, Escape closes it
    if (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) app.session.key_enter = true;
    if (key == GLFW_KEY_ESCAPE) app.session.key_escape = true;
    return;
  }
  // While a text field has the keyboard, letters are text, not commands.
  if (ImGui::GetCurrentContext() != nullptr && ImGui::GetIO().WantTextInput) return;
  if (handle_lecture_key(app, key, mods)) return;  // F5; in lecture mode →, ←, PageUp/Down, B, +, −, Esc
  const bool ctrl = (mods & GLFW_MOD_CONTROL) != 0;
  const bool shift = (mods & GLFW_MOD_SHIFT) != 0;
  if (key == GLFW_KEY_Q && ctrl) app.quit_requested = true;
  if (ctrl && !shift && key == GLFW_KEY_O) request_dialog(app, FileDialog::open_scene);
  if (ctrl && !shift && key == GLFW_KEY_S) save_scene_here(app);
  if (ctrl && shift && key == GLFW_KEY_S) request_dialog(app, FileDialog::save_scene_as);
  // A data edit (Data panel) is the more recent, finer undo; the scene's is one level behind it.
  if (ctrl && !shift && key == GLFW_KEY_Z && !undo_data_edit(app)) undo_scene(app);
  if (key == GLFW_KEY_F12 || (ctrl && !shift && key == GLFW_KEY_P)) take_screenshot(app);  // the plane as a PNG
  if (ctrl && !shift && key == GLFW_KEY_D) toggle_split_view(app);  // side_by_side.hpp
  // Letters are commands whatever the case: Shift, Caps Lock and Num Lock do not change them.
  if ((mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) != 0) return;
  if (key == GLFW_KEY_F) app.fit_requested = true;
  if (key == GLFW_KEY_H) app.sidebar_shown = !app.sidebar_shown;
  if (key == GLFW_KEY_SPACE) toggle_playback(app);
  if (key == GLFW_KEY_R) restart_and_play(app);
  if (key == GLFW_KEY_T) toggle_training(app);
  if (key >= GLFW_KEY_1 && key <= GLFW_KEY_9) toggle_layer(app, key - GLFW_KEY_0);
}

}  // namespace scorelab
