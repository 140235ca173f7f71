// The one-key screenshot: the plane drawn once more, offscreen and at its on-screen size, with the
// export's overlay (caption and tick labels), then written as PNG. Only the plane: the picture a
// lecture slide wants, without the panels. In split view every pane, where the window shows it.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "app/gui/app.hpp"
#include "app/gui/panels/export_panel.hpp"
#include "app/gui/side_by_side.hpp"
#include "app/export/plane_caption.hpp"
#include "app/render/png_image.hpp"
#include "app/render/offscreen_imgui.hpp"

namespace scorelab {
namespace {

// scorelab-YYYYMMDD-HHMMSS.png in the current folder; -2, -3, … when one was taken this second.
std::filesystem::path screenshot_path() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::filesystem::path path = std::string("scorelab-") + stamp + ".png";
  std::error_code ec;
  for (int k = 2; std::filesystem::exists(path, ec); ++k)
    path = std::string("scorelab-") + stamp + "-" + std::to_string(k) + ".png";
  return path;
}

// One cell drawn offscreen at the view's size with its overlay: RGBA, top row first, opaque.
std::vector<uint8_t> render_cell(const App& app, PlaneRenderer& renderer, const PlaneStyle& style, const PlaneOverlay& text,
                                 float font_px) {
  const int width = static_cast<int>(app.view.viewport.x());
  const int height = static_cast<int>(app.view.viewport.y());
  renderer.render_offscreen(app.view, style, app.plane_draw.min_major_px);
  OffscreenImGui overlay(font_px);
  overlay.render(renderer.target(), [&](ImDrawList& draw) {
    const OverlayFrame f{ImVec2(0.0f, 0.0f), ImVec2(static_cast<float>(width), static_cast<float>(height)), 1.0f};
    draw_plane_overlay(draw, overlay.fonts(), f, app.view, app.plane_draw.min_major_px, style.palette, text);
  });
  std::vector<uint8_t> rgba = renderer.target().read_rgba();
  for (size_t k = 3; k < rgba.size(); k += 4) rgba[k] = 255;
  return rgba;
}

}  // namespace

void take_screenshot(App& app) {
  const int width = static_cast<int>(app.view.viewport.x());
  const int height = static_cast<int>(app.view.viewport.y());
  if (width < 1 || height < 1 || !app.renderer || !app.plane_draw.visible) return;
  try {
    const float fb_scale = ImGui::GetIO().DisplayFramebufferScale.x;
    const float font_px = (app.fonts.regular ? app.fonts.regular->FontSize : 20.0f) * fb_scale;
    // The window's renderers hold this frame's layers (build_lab_layers ran for app.view): drawn
    // once more into their own offscreen targets, nothing is rebuilt and the labs are left alone.
    const PlaneStyle& style = app.plane_draw.style;
    PlaneOverlay text = live_plane_overlay(app, style);  // the window's, lecture box included
    const size_t panes = std::min(app.plane_draw.panes.size(), app.pane_renderers.size());
    if (panes > 0) text.caption = cell_caption(app, 0);  // A's settings beside the panes', as on screen
    std::vector<uint8_t> rgba = render_cell(app, *app.renderer, style, text, font_px);
    int out_w = width, out_h = height;
    if (panes > 0) {
      // Split view: every cell where the window has it (framebuffer pixels, y up), the lines between
      // them included, so the picture is the comparison on screen.
      const App::PlaneDraw& draw = app.plane_draw;
      int x_min = draw.x, y_min = draw.y, x_max = draw.x + width, y_max = draw.y + height;
      for (size_t k = 0; k < panes; ++k) {
        x_min = std::min(x_min, draw.panes[k].x), y_min = std::min(y_min, draw.panes[k].y);
        x_max = std::max(x_max, draw.panes[k].x + width), y_max = std::max(y_max, draw.panes[k].y + height);
      }
      out_w = x_max - x_min, out_h = y_max - y_min;
      const Rgba line = style.palette.label;
      const uint8_t line_rgba[4] = {uint8_t(255 * line.r), uint8_t(255 * line.g), uint8_t(255 * line.b), 255};
      std::vector<uint8_t> whole(size_t(out_w) * size_t(out_h) * 4, 255);
      const auto pixel = [&](int col, int row) { return &whole[(size_t(row) * size_t(out_w) + size_t(col)) * 4]; };
      const auto paste = [&](const std::vector<uint8_t>& cell, int x, int y_up) {
        const int col0 = x - x_min, row0 = y_max - (y_up + height);  // the cell's top-left, y down
        for (int r = 0; r < height; ++r)
          std::copy_n(cell.begin() + std::ptrdiff_t(r) * width * 4, size_t(width) * 4, pixel(col0, row0 + r));
        // The lines between cells, as the window draws them: on a cell's left edge and its top edge.
        for (int r = 0; r < height && col0 > 0; ++r) std::copy_n(line_rgba, 4, pixel(col0, row0 + r));
        for (int c = 0; c < width && row0 > 0; ++c) std::copy_n(line_rgba, 4, pixel(col0 + c, row0));
      };
      paste(rgba, draw.x, draw.y);
      for (size_t k = 0; k < panes; ++k) {
        const App::PlaneDraw::Cell& cell = draw.panes[k];
        paste(render_cell(app, *app.pane_renderers[k], cell.style, pane_plane_overlay(app, int(k), cell.style), font_px),
              cell.x, cell.y);
      }
      rgba = std::move(whole);
    }
    const std::filesystem::path path = screenshot_path();
    write_png(path, rgba, out_w, out_h);
    set_status(app, "Screenshot saved: " + std::filesystem::absolute(path).string());
  } catch (const std::exception& e) {
    set_status(app, std::string("Screenshot failed: ") + e.what(), true);
  }
}

}  // namespace scorelab
