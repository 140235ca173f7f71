// The plane view: the space right of the control panel (the whole width while it is hidden) above a
// one-line hint strip, where the GL picture (PlaneRenderer, drawn by the frame loop under the UI)
// shows through a window without background; here: pan (drag), zoom about the cursor (wheel), tick
// labels and overlays.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/gui/app.hpp"
#include "app/gui/follow_overlay.hpp"
#include "app/gui/side_by_side.hpp"
#include "app/export/plane_caption.hpp"
#include "app/render/plane_overlay.hpp"

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

// The plane in logical pixels (ImGui's), with the framebuffer scale: plane_overlay's frame.
using PlaneFrame = OverlayFrame;

// The fonts of plane_overlay in the window's current ImGui font (and its heading at the same scale).
OverlayFonts window_fonts(const App& app) {
  const float em = ImGui::GetFontSize();
  const float heading_px = app.fonts.heading ? app.fonts.heading->FontSize * em / ImGui::GetFont()->FontSize : em;
  return OverlayFonts{ImGui::GetFont(), em, app.fonts.heading ? app.fonts.heading : ImGui::GetFont(), heading_px};
}

// ---- data editing on the plane (while the Data panel is open) ------------------------------------

enum class PlaneEditMode { none, draw_points, move_means };

PlaneEditMode edit_mode(const App& app) {
  const DataEditState& e = app.data_edit;
  if (!e.panel_open) return PlaneEditMode::none;
  const DataKind kind = app.scene.scene.data.kind;
  if (kind == DataKind::points) return PlaneEditMode::draw_points;
  if (kind == DataKind::mixture && e.edit_on_plane) return PlaneEditMode::move_means;
  return PlaneEditMode::none;
}

std::vector<Vec2> mixture_means(const App& app) {
  std::vector<Vec2> means;
  for (const GaussianComponent& c : app.scene.scene.data.mixture.components()) means.push_back(c.mean);
  return means;
}

// One frame of a stroke: spray or erase at `world`. Returns true when the points changed.
bool brush_step(App& app, const Vec2& world) {
  DataEditState& e = app.data_edit;
  Points& pts = app.scene.scene.data.points;
  if (e.tool == DrawTool::erase) return erase_within(pts, world, e.brush_radius) > 0;
  // dt capped at 1/30 s: a frame after a slow one (a lab rebuild) must not spray a burst.
  const double dt = std::min(static_cast<double>(ImGui::GetIO().DeltaTime), 1.0 / 30.0);
  e.brush_carry += static_cast<double>(e.brush_rate) * dt;
  const int count = static_cast<int>(e.brush_carry);
  e.brush_carry -= count;
  brush_add(pts, world, e.brush_radius, count, app.scene.scene.data.seed, e.brush_counter);
  return count > 0;
}

void move_mean(App& app, int k, const Vec2& world) {
  std::vector<GaussianComponent> comps = app.scene.scene.data.mixture.components();
  if (k < 0 || k >= static_cast<int>(comps.size())) return;
  comps[static_cast<size_t>(k)].mean = world;
  app.scene.scene.data.mixture = GaussianMixture(std::move(comps));
}

// Presses start an edit (the state before it is kept for undo); each held frame applies it to the
// view only; the release rebuilds the lab once. Returns true while the left button is the edit's.
bool plane_data_edit(App& app, const PlaneFrame& f, bool hovered) {
  DataEditState& e = app.data_edit;
  const PlaneEditMode mode = edit_mode(app);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const Vec2 px((mouse.x - f.origin.x) * f.fb_scale, (mouse.y - f.origin.y) * f.fb_scale);
  const Vec2 world = app.view.screen_to_world(px);
  if (!e.stroke_active) {
    e.hovered_mean = -1;
    if (mode == PlaneEditMode::move_means && hovered) {
      const double tolerance = 0.7 * ImGui::GetFontSize() * f.fb_scale;
      e.hovered_mean = pick_nearest(mixture_means(app), app.view, px, tolerance).value_or(-1);
    }
    const bool press = hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    if (press && (mode == PlaneEditMode::draw_points || e.hovered_mean >= 0)) {
      e.pending = app.scene.scene.data;
      e.stroke_active = true;
      e.dragged_mean = mode == PlaneEditMode::move_means ? e.hovered_mean : -1;
      e.brush_carry = 1.0;  // a click adds a point at once
    }
  }
  if (!e.stroke_active) return false;
  if (ImGui::IsMouseDown(ImGuiMouseButton_Left) && mode != PlaneEditMode::none) {
    bool changed = false;
    if (e.dragged_mean >= 0) {
      move_mean(app, e.dragged_mean, world);
      changed = true;
    } else if (mode == PlaneEditMode::draw_points) {
      changed = brush_step(app, world);
    }
    if (changed) apply_data_change(app, false);
    return true;
  }
  // Released (or the mode went away under the stroke): one rebuild for the whole stroke.
  e.stroke_active = false;
  e.dragged_mean = -1;
  if (e.pending && !same_data(*e.pending, app.scene.scene.data)) {
    e.undo.push(*e.pending);
    apply_data_change(app, true);
  }
  e.pending.reset();
  return false;
}

// The brush outline under the cursor and the handles at the means.
void draw_edit_overlay(const App& app, const PlaneFrame& f, bool hovered, const PlanePalette& palette) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const DataEditState& e = app.data_edit;
  const PlaneEditMode mode = edit_mode(app);
  const float em = ImGui::GetFontSize();
  // Only once the mouse has really moved: a pointer parked over the plane (Xvfb) draws no brush.
  if (mode == PlaneEditMode::draw_points && app.mouse_moved && (hovered || e.stroke_active)) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float r = static_cast<float>(e.brush_radius * app.view.pixels_per_unit) / f.fb_scale;
    const Rgba c = e.tool == DrawTool::erase ? Rgba{1.0f, 0.40f, 0.35f, 0.95f} : palette.label;
    draw->AddCircle(mouse, std::max(r, 2.0f), to_u32(c), 48, 1.5f);
  }
  if (mode != PlaneEditMode::move_means) return;
  int k = 0;
  for (const Vec2& mean : mixture_means(app)) {
    const ImVec2 p = f.to_overlay(app.view.world_to_screen(mean));
    const bool hot = k == e.hovered_mean || k == e.dragged_mean;
    const float r = (hot ? 0.5f : 0.38f) * em;
    Rgba c = component_color(k++, app.settings.theme);
    draw->AddCircleFilled(p, r, to_u32(c), 24);
    draw->AddCircle(p, r, to_u32(palette.label), 24, hot ? 2.0f : 1.2f);
  }
  if (e.hovered_mean >= 0 || e.dragged_mean >= 0) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
}

// The hint for the current mode, longest first: the first that fits the strip is shown.
std::vector<const char*> hints(const App& app) {
  switch (edit_mode(app)) {
    case PlaneEditMode::draw_points:
      if (app.data_edit.tool == DrawTool::add) return {"left-drag: add points · right-drag: pan · wheel: zoom"};
      return {"left-drag: erase points · right-drag: pan · wheel: zoom"};
    case PlaneEditMode::move_means: return {"drag a mean's handle: move it · drag elsewhere: pan · wheel: zoom"};
    case PlaneEditMode::none: break;
  }
  return {"drag: pan · wheel: zoom · F: fit · space: play · R: restart · T: train · 1-9: layers · H: sidebar · F5: lecture",
          "F: fit · space: play · T: train · 1-9: layers · H: sidebar", "H: sidebar"};
}

// The strip under the plane: the controls hint on the left, the cursor's coordinates on the right.
// Opaque and outside the plane (which is laid out above it), so it never covers arrows or points.
void draw_hint_strip(const App& app, const PlaneFrame& f, float strip_height, bool hovered) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float em = ImGui::GetFontSize();
  const ImVec2 top_left(f.origin.x, f.origin.y + f.size.y);
  draw->AddRectFilled(top_left, ImVec2(top_left.x + f.size.x, top_left.y + strip_height),
                      ImGui::GetColorU32(ImGuiCol_MenuBarBg));
  const float text_y = top_left.y + 0.5f * (strip_height - ImGui::GetTextLineHeight());
  float readout_left = f.origin.x + f.size.x;  // the hint must end before the readout starts
  // Only after the mouse has really moved: a pointer parked over the window (Xvfb, screenshots)
  // would otherwise print stray coordinates.
  if (hovered && app.mouse_moved) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const Vec2 w = app.view.screen_to_world(
        Vec2((mouse.x - f.origin.x) * f.fb_scale, (mouse.y - f.origin.y) * f.fb_scale));
    char text[96];
    std::snprintf(text, sizeof text, "x = (%.3f, %.3f)", w.x(), w.y());
    readout_left = f.origin.x + f.size.x - ImGui::CalcTextSize(text).x - 0.6f * em;
    draw->AddText(ImVec2(readout_left, text_y), ImGui::GetColorU32(ImGuiCol_Text), text);
  }
  for (const char* hint : hints(app)) {
    if (f.origin.x + 0.6f * em + ImGui::CalcTextSize(hint).x + em > readout_left) continue;
    // The text colour, slightly faded: the disabled grey was under 3:1 on the light strip.
    draw->AddText(ImVec2(f.origin.x + 0.6f * em, text_y), ImGui::GetColorU32(ImGuiCol_Text, 0.8f), hint);
    return;
  }
}

// Pan, zoom and fit; view.viewport is already the target size.
void handle_view_input(App& app, const PlaneFrame& f, bool hovered, bool active) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f) app.mouse_moved = true;
  if (app.fit_requested) {
    // Fit into the part of the plane above the lecture caption box (none outside lecture mode).
    const double box = lecture_box_height(window_fonts(app), f, lecture_text(app));
    const double covered = std::min(0.5 * app.view.viewport.y(), box * f.fb_scale);
    const Vec2 full = app.view.viewport;
    app.view = fit_to_bounds(app.fit_box.value_or(app.scene.bounds), Vec2(full.x(), full.y() - covered),
                             app.fit_box ? 0.0 : 0.06);
    app.view.viewport = full;
    app.view.center.y() -= 0.5 * covered / app.view.pixels_per_unit;
    app.fit_box.reset();  // F fits the data again
    app.fit_requested = false;
  }
  if (active && (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f))
    pan_by_pixels(app.view, Vec2(io.MouseDelta.x * f.fb_scale, io.MouseDelta.y * f.fb_scale));
  if (hovered && io.MouseWheel != 0.0f) {
    const Vec2 anchor((io.MousePos.x - f.origin.x) * f.fb_scale, (io.MousePos.y - f.origin.y) * f.fb_scale);
    zoom_about(app.view, anchor, std::pow(1.15, static_cast<double>(io.MouseWheel)));
  }
}

// The plane split into equal cells (side by side: A and its panes), row by row; one cell otherwise.
class PlaneCells {
 public:
  PlaneCells(ImVec2 origin, ImVec2 size, float fb_scale, int count)
      : origin_(origin), size_(size), fb_scale_(fb_scale), count_(count), grid_(pane_grid(count)),
        cell_(std::floor(size.x / static_cast<float>(grid_.columns)), std::floor(size.y / static_cast<float>(grid_.rows))) {}
  PlaneFrame frame(int k) const {
    const ImVec2 at(origin_.x + cell_.x * static_cast<float>(k % grid_.columns),
                    origin_.y + cell_.y * static_cast<float>(k / grid_.columns));
    return PlaneFrame{at, cell_, fb_scale_};
  }
  PlaneFrame whole() const { return PlaneFrame{origin_, size_, fb_scale_}; }
  int count() const { return count_; }
  // The cell under screen point p, or -1.
  int at(ImVec2 p) const {
    const int col = static_cast<int>(std::floor((p.x - origin_.x) / cell_.x));
    const int row = static_cast<int>(std::floor((p.y - origin_.y) / cell_.y));
    if (col < 0 || row < 0 || col >= grid_.columns || row >= grid_.rows) return -1;
    const int k = row * grid_.columns + col;
    return k < count_ ? k : -1;
  }

 private:
  ImVec2 origin_, size_;
  float fb_scale_;
  int count_;
  PaneGrid grid_;
  ImVec2 cell_;
};

// The panes beside A: where the frame loop draws each (framebuffer pixels, y up), their captions,
// keys and tick labels, and a line between the cells.
void draw_pane_cells(App& app, const PlaneCells& cells, const PlaneStyle& style, double min_major_px) {
  const float screen_h = ImGui::GetIO().DisplaySize.y;
  app.plane_draw.panes.resize(static_cast<size_t>(app.panes.size()));
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  for (int k = 1; k < cells.count(); ++k) {
    const PlaneFrame f = cells.frame(k);
    App::PlaneDraw::Cell& cell = app.plane_draw.panes[static_cast<size_t>(k - 1)];
    cell.x = static_cast<int>(std::round(f.origin.x * f.fb_scale));
    cell.y = static_cast<int>(std::round((screen_h - f.origin.y - f.size.y) * f.fb_scale));
    cell.style = style;
    PlaneOverlay overlay = pane_plane_overlay(app, k - 1, style);
    overlay.footer_px = 0.25f * ImGui::GetFontSize();
    // The view is the size of a cell: drawn at this cell's origin it shows the same region as A's.
    draw_plane_overlay(draw, window_fonts(app), f, app.view, min_major_px, style.palette, overlay);
    draw.AddLine(f.origin, ImVec2(f.origin.x, f.origin.y + f.size.y), to_u32(style.palette.label), 2.0f);
    if (f.origin.y > cells.frame(0).origin.y)
      draw.AddLine(f.origin, ImVec2(f.origin.x + f.size.x, f.origin.y), to_u32(style.palette.label), 2.0f);
  }
}

PlaneStyle current_style(const App& app, float fb_scale) {
  const float px = app.content_scale * fb_scale;  // logical -> framebuffer pixels, HiDPI included
  return plane_style(app.settings.theme, app.settings, px);
}

}  // namespace

PlaneOverlay pane_plane_overlay(const App& app, int pane, const PlaneStyle& style) {
  const Lab& lab = app.panes.lab(pane);
  PlaneOverlay overlay;
  overlay.caption = cell_caption(app, pane + 1);
  overlay.tick_labels = app.settings.show_labels;
  overlay.legend = lab.shown_heatmap_legend();
  overlay.heatmap_opacity = lab.heatmap().opacity;
  overlay.key = plane_key(app.panes.scene(pane), lab, style);
  overlay.mode_weights = lab.pinned_mode_weights();
  return overlay;
}

PlaneOverlay live_plane_overlay(const App& app, const PlaneStyle& style) {
  PlaneOverlay overlay;
  overlay.caption = live_caption(app.scene, app.lab);
  overlay.tick_labels = app.settings.show_labels;
  overlay.legend = app.lab.shown_heatmap_legend();
  overlay.heatmap_opacity = app.lab.heatmap().opacity;
  overlay.key = plane_key(app.scene, app.lab, style);
  overlay.mode_weights = app.lab.pinned_mode_weights();
  const LectureText lecture = lecture_text(app);  // lecture mode's caption box
  overlay.lecture_formula = lecture.formula;
  overlay.lecture_caption = lecture.caption;
  overlay.lecture_notice = lecture.notice;
  if (const std::optional<RunFailure> failure = app.lab.run_failure())
    overlay.failure = FailureBanner{failure->what, failure->change};
  return overlay;
}

void draw_plane_view(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(app.panel_width, app.menu_height));
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x - app.panel_width, io.DisplaySize.y - app.menu_height));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0.0f, 0.0f));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground;
  const bool open = ImGui::Begin("Plane", nullptr, flags);
  ImGui::PopStyleVar();
  // The plane stands above the hint strip (about one line of text tall).
  const float strip_height = app.lecture.on ? 0.0f : std::round(1.6f * ImGui::GetFontSize());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 size(avail.x, avail.y - strip_height);
  app.plane_draw.visible = false;
  if (!open || size.x < 1.0f || size.y < 1.0f) {
    ImGui::End();
    return;
  }
  // Side by side: the plane in cells of one size, A in the first (side_by_side.hpp); else one cell.
  const PlaneCells cells(ImGui::GetCursorScreenPos(), size, io.DisplayFramebufferScale.x, 1 + app.panes.size());
  const PlaneFrame frame = cells.frame(0);  // A's
  ImGui::InvisibleButton("plane", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                            ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  app.view.viewport = Vec2(std::round(frame.size.x * frame.fb_scale), std::round(frame.size.y * frame.fb_scale));
  const int under = cells.at(io.MousePos);  // the cell under the mouse: zoom about the point there
  // Data edits and a followed particle belong to A's cell.
  const bool editing = plane_data_edit(app, frame, hovered && under == 0);
  handle_view_input(app, cells.frame(std::max(under, 0)), hovered, active && !editing);

  const PlaneStyle style = current_style(app, frame.fb_scale);
  // Major grid lines (and so labels) at least 4.5 em apart: room for a label like "-12.5" (~3 em).
  const double min_major_px = 4.5 * ImGui::GetFontSize() * frame.fb_scale;
  app.plane_draw.visible = true;
  app.plane_draw.x = static_cast<int>(std::round(frame.origin.x * frame.fb_scale));
  app.plane_draw.style = style;
  app.plane_draw.min_major_px = min_major_px;
  app.plane_draw.y = static_cast<int>(std::round((io.DisplaySize.y - frame.origin.y - frame.size.y) * frame.fb_scale));
  // The caption, tick labels, key and heatmap legend: the same overlay as screenshots and exports.
  PlaneOverlay overlay = live_plane_overlay(app, style);
  overlay.footer_px = 0.25f * ImGui::GetFontSize();  // the hint strip is below: only a small gap
  if (app.panes.is_open()) overlay.caption = cell_caption(app, 0);  // A's settings and NFE beside B's
  draw_plane_overlay(*ImGui::GetWindowDrawList(), window_fonts(app), frame, app.view, min_major_px, style.palette,
                     overlay);
  draw_pane_cells(app, cells, style, min_major_px);
  draw_edit_overlay(app, frame, hovered && under == 0, style.palette);
  draw_follow_overlay(app, frame, hovered && under == 0, style.palette);
  if (!app.lecture.on) draw_hint_strip(app, cells.whole(), strip_height, hovered);
  draw_lecture_overlay(app, frame.origin.x, frame.origin.y, size.x, size.y + strip_height);
  ImGui::End();
}

}  // namespace scorelab
