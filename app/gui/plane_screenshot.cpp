// The one-key screenshot: the plane drawn once more, offscreen and at its on-screen size, with the
// export's overlay (caption and tick labels), then written as PNG. Only the plane: the picture a
// lecture slide wants, without the panels.
#include <ctime>
#include <filesystem>
#include <system_error>

#include "app/gui/app.hpp"
#include "app/gui/panels/export_panel.hpp"
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

}  // namespace

void take_screenshot(App& app) {
  const int width = static_cast<int>(app.view.viewport.x());
  const int height = static_cast<int>(app.view.viewport.y());
  if (width < 1 || height < 1 || !app.renderer || !app.plane_draw.visible) return;
  try {
    const float fb_scale = ImGui::GetIO().DisplayFramebufferScale.x;
    const float font_px = app.fonts.regular ? app.fonts.regular->FontSize : 20.0f;
    // The window's renderer holds this frame's layers (build_lab_layers ran for app.view): drawn
    // once more into its own offscreen target, nothing is rebuilt and the lab is left alone.
    PlaneRenderer& renderer = *app.renderer;
    const PlaneStyle& style = app.plane_draw.style;
    renderer.render_offscreen(app.view, style, app.plane_draw.min_major_px);
    OffscreenImGui overlay(font_px * fb_scale);
    const PlaneOverlay text = live_plane_overlay(app, style);  // the window's, lecture box included
    overlay.render(renderer.target(), [&](ImDrawList& draw) {
      const OverlayFrame f{ImVec2(0.0f, 0.0f), ImVec2(static_cast<float>(width), static_cast<float>(height)), 1.0f};
      draw_plane_overlay(draw, overlay.fonts(), f, app.view, app.plane_draw.min_major_px, style.palette, text);
    });
    std::vector<uint8_t> rgba = renderer.target().read_rgba();
    for (size_t k = 3; k < rgba.size(); k += 4) rgba[k] = 255;
    const std::filesystem::path path = screenshot_path();
    write_png(path, rgba, width, height);
    set_status(app, "Screenshot saved: " + std::filesystem::absolute(path).string());
  } catch (const std::exception& e) {
    set_status(app, std::string("Screenshot failed: ") + e.what(), true);
  }
}

}  // namespace scorelab
