#include "app/export/frame_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "app/export/plane_caption.hpp"
#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"
#include "app/lab/lab.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/render/offscreen_imgui.hpp"
#include "app/render/plane_renderer.hpp"

namespace scorelab {

namespace {

constexpr float kGuiFontPx = 17.0f;  // the GUI's font at content scale 1 (the window's overlay text)

// One frame as the window draws its plane: the lab's update, its layers, the plane and the overlay.
void draw_frame(Lab& lab, const LoadedScene& scene, const ViewTransform& view, PlaneRenderer& renderer,
                OffscreenImGui& overlay, const PlaneStyle& base) {
  lab.update();
  PlaneStyle style = base;
  lab.build_layers(LabLayerFrame{scene, view, renderer, kGuiFontPx, 1.0f}, style);
  const double min_major_px = 4.5 * kGuiFontPx;
  renderer.render_offscreen(view, style, min_major_px);
  PlaneOverlay text;
  text.caption = live_caption(scene, lab);
  text.legend = lab.shown_heatmap_legend();
  text.heatmap_opacity = lab.heatmap().opacity;
  text.key = plane_key(scene, lab, style);
  text.mode_weights = lab.pinned_mode_weights();
  overlay.render(renderer.target(), [&](ImDrawList& draw) {
    const OverlayFrame f{ImVec2(0.0f, 0.0f), ImVec2(float(view.viewport.x()), float(view.viewport.y())), 1.0f};
    draw_plane_overlay(draw, overlay.fonts(), f, view, min_major_px, style.palette, text);
  });
}

}  // namespace

LoadedScene frame_bench_scene(const FrameBenchOptions& options, FrameBenchResult& result) {
  std::error_code ec;
  const std::filesystem::path path = default_scene_path();
  LoadedScene scene = std::filesystem::is_regular_file(path, ec) ? load_scene_for_view(path) : builtin_scene();
  if (options.particles > 0) scene.scene.sampler.particles = options.particles;
  result.scene = scene.path.empty() ? "built-in scene" : scene.path.filename().string();
  result.particles = scene.scene.sampler.particles;
  return scene;
}

void finish_frame_bench(FrameBenchResult& result) {
  result.frames = static_cast<int>(result.frame_ms.size());
  result.median_ms = quantile(result.frame_ms, 0.5);
  result.p95_ms = quantile(result.frame_ms, 0.95);
  result.available = true;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t rank = size_t(std::ceil(std::clamp(q, 0.0, 1.0) * double(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

FrameBenchResult run_frame_bench(const FrameBenchOptions& options) {
  FrameBenchResult result;
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&result.why);
  if (!context) return result;
  result.renderer = context->renderer();
  try {
    const LoadedScene scene = frame_bench_scene(options, result);
    Lab lab;  // no GL worker: kernels compile inline, as in a window whose display gives no second context
    lab.load(scene);
    if (lab.trainer()) lab.trainer()->start();  // training on, as `scorelab --train`
    PlaneRenderer renderer;
    renderer.set_data(scene.points);
    renderer.set_mixture(scene.mixture);
    OffscreenImGui overlay(kGuiFontPx);
    ViewTransform view = fit_to_bounds(scene.bounds, Vec2(options.width, options.height), 0.06);
    view.viewport = Vec2(options.width, options.height);
    const PlaneStyle style = plane_style(Theme::dark, PlaneLook{}, 1.0f);
    for (int i = 0; i < options.frames; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      draw_frame(lab, scene, view, renderer, overlay, style);
      glFinish();  // the frame's GPU work is part of its cost (a window's swap waits for it too)
      result.frame_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    lab.stop_training();
    finish_frame_bench(result);
  } catch (const std::exception& e) {
    result.why = e.what();
  }
  return result;
}

}  // namespace scorelab
