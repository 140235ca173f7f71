// Floor 6, app/gui/: the ImGui shell only (window, style, menus, shortcuts, plane view, the
// screenshot key) and its panels (gui/panels/). Everything below it works without ImGui's windows.
//
// The GUI's state, shared by the panels (free functions over App, one file per concern) and the
// frame loop in app.cpp.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/gui/file_dialogs.hpp"
#include "app/gui/lab_app.hpp"
#include "app/gui/lecture_mode.hpp"
#include "app/plane/scene_show.hpp"
#include "app/lab/lab.hpp"
#include "app/lab/lab_panes.hpp"
#include "app/jobs/metrics_job.hpp"
#include "app/session/lab_session.hpp"
#include "app/session/options.hpp"
#include "app/session/point_editing.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/gui/window.hpp"
#include "app/plane/plane_style.hpp"
#include "app/render/plane_renderer.hpp"

namespace scorelab {

// How the plane looks; edited in the View panel.
struct ViewSettings : PlaneLook {
  Theme theme = Theme::dark;
  float font_scale = 1.0f;  // "presentation" scale, on top of the monitor's content scale
};

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* heading = nullptr;  // larger, bold when available: scene titles, overlay title
  ImVector<ImWchar> ranges;   // glyph ranges; must outlive the atlas
};

struct App {
  GuiOptions options;
  GLFWwindow* window = nullptr;
  float content_scale = 1.0f;  // ui_content_scale(window)

  std::string scene_error;  // last failed reload, shown in the Scene panel

  ViewTransform view;  // plane view; its viewport is the plane's size in framebuffer pixels
  bool fit_requested = true;
  std::optional<Bounds2> fit_box;  // the next fit shows this box (a preset's view), else the data
  // Sections the next frame opens (and closes the others): a preset's "panels".
  std::optional<std::vector<std::string>> open_panels;
  LectureMode lecture;  // lecture_mode.hpp
  // Where and how to draw the plane this frame: set while building the UI (draw_plane_view),
  // drawn after ImGui::Render() under the UI's draw lists.
  struct PlaneDraw {
    bool visible = false;
    int x = 0, y = 0;  // bottom-left corner in framebuffer pixels, y up
    PlaneStyle style;
    double min_major_px = 100.0;
    // The panes beside A (side by side): each cell's bottom-left corner (framebuffer pixels, y up)
    // and its style, the size of A's cell (view.viewport).
    struct Cell {
      int x = 0, y = 0;
      PlaneStyle style;
    };
    std::vector<Cell> panes;
  } plane_draw;
  ViewSettings settings;
  std::unique_ptr<PlaneRenderer> renderer;
  // Kernels compile and the speed probe runs here, off the UI thread (null: the display gave no
  // second context; then inline). Declared before the lab: it outlives the lab's builds.
  std::shared_ptr<gl::Worker> gl_worker;
  // The document: scene, lab, model, undo, autosave, status line (app/session/lab_session.hpp).
  LabSession doc;
  // The panels' shorthands for the document's scene and its lab (exact score, trainer, particles,
  // layer settings: lab.hpp), bound once: the session owns them for the window's lifetime.
  LoadedScene& scene = doc.scene();
  Lab& lab = doc.lab();
  // Side by side (side_by_side.hpp): the split view's pane B, or the objectives compared, beside the
  // lab; each drawn by its own renderer into its cell of the plane, all through one view.
  LabPanes panes;
  std::vector<std::unique_ptr<PlaneRenderer>> pane_renderers;
  bool panes_dirty = false;  // the panes were rebuilt: their renderers take their data again
  // The objectives ticked in the Side by side section (indexed by Objective; DSM, NCSN, continuous).
  std::array<bool, 7> compare_choice{false, false, false, false, true, true, true};
  DataEditState data_edit;  // Data panel: brush, mean dragging, data undo (point_editing.hpp)
  MetricsState metrics;     // Metrics panel: sample quality and NLL jobs (metrics_job.hpp)
  SessionState session;  // File menu popups (file_dialogs.hpp)

  float menu_height = 0.0f;  // layout, recomputed every frame (logical pixels)
  float panel_width = 0.0f;  // 0 while the sidebar is hidden
  // The control panel (left sidebar); H hides it so the plane takes the whole width (a projector at
  // 1.5-2x, where the sidebar would take a third of it). The view keeps its centre world point.
  bool sidebar_shown = true;

  Fonts fonts;
  bool fonts_dirty = true;  // rebuild the font atlas before the next frame
  bool style_dirty = true;  // re-apply theme and sizes
  bool quit_requested = false;
  // Why GPU compute is off (the window's GL is below 4.3: gl::compute_off_reason), "" when it is on;
  // said once on stderr and in a notice over the plane until dismissed (compute_notice.cpp).
  std::string compute_off;
  bool compute_notice_dismissed = false;
  bool mouse_moved = false;  // the user has moved the mouse since start (hover readouts wait for it)
  long frame = 0;

  // Logical-pixel multiplier for fonts and widgets: monitor scale x presentation scale.
  float ui_scale() const { return content_scale * settings.font_scale; }
};

// Runs the window until closed (or options.frames frames); returns the exit code.
// Throws StartupError when the window cannot be opened.
int run_gui(const GuiOptions& options, LoadedScene scene);

// The session at start: the scene from main or the restored autosave (app.doc's policy), the lab
// built for it with the scene's show section, and what the restore found printed.
void start_session(App& app, const GuiOptions& options, LoadedScene scene);
// One frame's contents, everything but input and the swap: the lab's update, the menus, panels
// and plane view (ImGui), the layers, and the drawing into the window's framebuffer (width ×
// height pixels; gl::RenderTarget::window_framebuffer). Without app.window the caller has set
// ImGui's display size and clock (the headless window bench, window_bench.hpp).
void draw_window_contents(App& app, bool last, int width, int height);

// Replaces the scene (new data uploaded, view refit). On failure keeps the old one and records
// the error in app.scene_error.
void reload_scene(App& app, const std::filesystem::path& path);

// scene_show_gui.cpp: a scene's show section, applied when a scene is opened, reset or restored.
SceneShow scene_show_of(App& app);  // a bad section is reported in the status line; defaults then
void apply_show_to_window(App& app, const SceneShow& show);  // data layer, panels, view
void apply_scene_show(App& app);  // the window's part and the lab's settings, training when it asks

// style.cpp
void rebuild_fonts(App& app);  // between frames only (not inside NewFrame/Render)
void apply_style(App& app);

// Panels and windows (one file each).
void draw_main_menu(App& app);      // main_menu.cpp; returns nothing, sets app flags
void draw_control_panel(App& app);  // control_panel.cpp: the left column hosting the panels
void draw_scene_panel(App& app);    // scene_panel.cpp
void draw_view_panel(App& app);     // view_panel.cpp
void draw_plane_view(App& app);     // plane_view.cpp: the GL plane, pan/zoom, axes labels
void draw_compute_notice(App& app);  // compute_notice.cpp: "GPU compute is off" over the plane (GL < 4.3)
// plane_view.cpp: what is drawn over the plane now (caption, key, legend, pinned bars, lecture box);
// the window and its screenshot key draw the same.
PlaneOverlay live_plane_overlay(const App& app, const PlaneStyle& style);
// What pane `pane` (0: the first beside A) shows over its plane: its caption, key and legend.
PlaneOverlay pane_plane_overlay(const App& app, int pane, const PlaneStyle& style);
void draw_particles_panel(App& app);  // particles_panel.cpp: playback, scrubber, sampler parameters
void draw_field_panel(App& app);      // field_panel.cpp: score field and heatmap layers
void draw_training_panel(App& app);   // training_panel.cpp: objective, batch, lr, EMA, controls, loss
void draw_noise_panel(App& app);      // noise_panel.cpp: schedule parameters and plots
void draw_data_panel(App& app);       // data_panel.cpp: data source, mixture components, drawn points
void draw_metrics_panel(App& app);    // metrics_panel.cpp: mode weights, MMD² vs noise floor, held-out NLL
void draw_condition_panel(App& app);  // condition_panel.cpp: class guidance, an observation, the exact target
void draw_prior_mismatch_gauge(App& app);  // prior_mismatch_gauge.cpp: KL(p₁ ‖ prior) in the Noise panel
void draw_fisher_constant_plot(App& app);  // fisher_constant_plot.cpp: loss + ½E‖∇log p‖² (ISM/SSM)
void draw_side_by_side_panel(App& app);  // side_by_side_panel.cpp: pane B's settings, objectives compared
void draw_follow_row(App& app);       // condition_panel.cpp: the followed particle, in the Particles panel

// data_panel.cpp. After app.scene.scene.data changed: redraws the training points, the mixture and
// the bounds; with rebuild_lab also rebuilds the lab (init_lab), except for fewer than 2 drawn
// points, where the previous lab stays and the panel says why.
void apply_data_change(App& app, bool rebuild_lab);
// Undoes the last data edit (Data panel); false when there is none. Ctrl+Z should try this first.
bool undo_data_edit(App& app);
// Once a frame: notices data replaced from outside the Data panel (scene load, scene undo) and
// forgets the data-edit undo history that belonged to the old scene.
void track_data_changes(App& app);
// shortcuts.cpp: one GLFW key event (space, R, T, F, H, 1–9, Ctrl+Q/O/S/Shift+S/Z).
void handle_key_event(App& app, int key, int action, int mods);

// lab_app.cpp: Space and the Play button: continue from a scrubbed frame, play the run again at its
// end, else play/pause. R and the Restart button: start again from the initial particles, playing.
void toggle_playback(App& app);
void restart_and_play(App& app);

// widgets.cpp: a hover tooltip for the last item, wrapped at a readable width.
void tooltip(const char* text);
// Continues the line with `text` when it fits the panel's width, else starts a new line (a status
// or a verdict that was clipped at the sidebar's edge at 2×). The caller draws `text` next.
void same_line_if_fits(const char* text);
// A line plot across the panel's whole width, height_em font heights tall. An explicit width:
// ImVec2(-1, h) drew a 4-pixel sliver inside the panel's item-width scope (PushItemWidth(-9 em)).
// training_panel.cpp: the loss history as at most `max_bins` bin means plus `offset` (a readable,
// cheap curve; the Fisher plot adds ½E‖∇log p‖²).
std::vector<float> binned_loss(const std::vector<LossPoint>& history, double offset = 0.0, size_t max_bins = 400);
void plot_lines(const char* id, const float* values, int count, const char* overlay, float lo, float hi,
                float height_em);

}  // namespace scorelab
