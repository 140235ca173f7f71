// The window's frame cost without a window (`scorelab bench --frames`, a figure, not a test): the
// default scene's lab with training on, drawn every frame as the window draws its plane — the lab's
// update, its layers (build_layers + PlaneRenderer) and the plane overlay (caption, key, tick
// labels, through Dear ImGui) — into a 1920×1080 offscreen target on a headless EGL context, so that
// a GPU machine with no display measures what the window costs.
//
// Not included: the GUI's own ImGui panels and menus (this floor cannot draw them), and the swap to
// a screen. `scorelab bench --frames` runs app/gui/window_bench (the whole window, panels included);
// this plane-only figure is `--frames --plane-only`, the panels' cost being the difference.
#pragma once

#include <string>
#include <vector>

#include "app/lab/loaded_scene.hpp"

namespace scorelab {

struct FrameBenchOptions {
  int frames = 300;
  int width = 1920, height = 1080;
  int particles = 0;  // the sampler's particle count; 0: the scene's
  std::string screenshot;  // the window bench's last frame as a PNG, when not empty
};

struct FrameBenchResult {
  bool available = false;  // false: no GL context, or the scene failed (why says which)
  std::string why;
  std::string renderer;    // GL_RENDERER
  std::string scene;       // what ran
  long particles = 0;
  int frames = 0;
  double median_ms = 0, p95_ms = 0;  // wall time per frame, GPU work finished (glFinish)
  std::vector<double> frame_ms;      // every frame, in order
};

// Makes its own headless context; call it when no other GL context is current on this thread.
FrameBenchResult run_frame_bench(const FrameBenchOptions& options = {});

// What both frame benches run (this one and app/gui/window_bench): the default scene (the built-in
// one when its file is missing) at options.particles, named in result.scene.
LoadedScene frame_bench_scene(const FrameBenchOptions& options, FrameBenchResult& result);
// Sets frames, median and p95 from result.frame_ms and marks the result available.
void finish_frame_bench(FrameBenchResult& result);

// The value at quantile q ∈ [0, 1] of `values` (nearest rank; 0 when empty).
double quantile(std::vector<double> values, double q);

}  // namespace scorelab
