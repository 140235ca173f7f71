// The pinned mode-weight bars drawn over a plane frame (issue 18 item 10), as the GUI's plane view,
// its screenshot and the export draw them (draw_plane_overlay): rendered offscreen through the
// headless ImGui and read back. Each component's bar is in its colour at the top-right corner, and
// its length follows the particles' share.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "app/gl/gl.hpp"
#include "app/render/offscreen_imgui.hpp"
#include "app/render/plane_overlay.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

constexpr int kWidth = 800, kHeight = 450;

struct Counts {
  long left_half = 0;        // pixels of either component's colour in the left half of the frame
  long comp[2] = {0, 0};     // in the top-right quarter
};

bool near(const uint8_t* px, const Rgba& c) {
  const float tol = 0.13f;
  return std::abs(px[0] / 255.0f - c.r) < tol && std::abs(px[1] / 255.0f - c.g) < tol &&
         std::abs(px[2] / 255.0f - c.b) < tol;
}

// Draws the overlay with bars for `share` (truth 0.2, 0.8) over the dark background and counts the
// pixels of each component's colour.
Counts draw_bars(OffscreenImGui& imgui, gl::RenderTarget& target, std::vector<double> share) {
  const PlanePalette palette = plane_palette(Theme::dark);
  target.bind();
  glClearColor(palette.background.r, palette.background.g, palette.background.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  gl::RenderTarget::unbind();
  ModeWeightBars bars;
  bars.share = std::move(share);
  bars.truth = {0.2, 0.8};
  bars.colors = {component_color(0, Theme::dark), component_color(1, Theme::dark)};
  bars.particles = 1000;
  PlaneOverlay overlay;
  overlay.caption.title = "A preset";
  overlay.tick_labels = false;
  overlay.mode_weights = &bars;
  ViewTransform view;
  view.viewport = Vec2(kWidth, kHeight);
  imgui.render(target, [&](ImDrawList& draw) {
    const OverlayFrame f{ImVec2(0.0f, 0.0f), ImVec2(float(kWidth), float(kHeight)), 1.0f};
    draw_plane_overlay(draw, imgui.fonts(), f, view, 1e9, palette, overlay);
  });
  const std::vector<uint8_t> rgba = target.read_rgba();
  Counts counts;
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      const uint8_t* px = &rgba[(size_t(y) * kWidth + size_t(x)) * 4];
      for (int k = 0; k < 2; ++k) {
        if (!near(px, bars.colors[size_t(k)])) continue;
        if (x < kWidth / 2) ++counts.left_half;
        else if (y < kHeight / 2) ++counts.comp[k];
      }
    }
  return counts;
}

}  // namespace

TEST_CASE("pinned mode-weight bars: at the top-right, in the components' colours, lengths by share") {
  SCORELAB_REQUIRE_GPU();
  OffscreenImGui imgui(16.0f);
  gl::RenderTarget target;
  target.resize(kWidth, kHeight);
  const Counts even = draw_bars(imgui, target, {0.5, 0.5});
  MESSAGE("even shares: " << even.comp[0] << " and " << even.comp[1] << " bar pixels");
  CHECK(even.left_half == 0);  // nothing of the bars under the caption's side
  CHECK(even.comp[0] > 100);
  CHECK(even.comp[1] > 100);
  // Equal shares, equal bars (the swatches are equal too).
  CHECK(std::abs(even.comp[0] - even.comp[1]) < 0.15 * even.comp[0]);
  const Counts skewed = draw_bars(imgui, target, {0.1, 0.9});
  MESSAGE("0.1 / 0.9: " << skewed.comp[0] << " and " << skewed.comp[1] << " bar pixels");
  CHECK(skewed.comp[1] > 3 * skewed.comp[0]);  // the larger share, the longer bar
  CHECK(skewed.comp[1] > even.comp[1]);
}

}  // namespace scorelab
