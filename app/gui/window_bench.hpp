// The window's whole frame without a window (`scorelab bench --frames`, a figure, not a test): the
// GUI's App on a headless EGL context, drawn every frame as run_gui draws it (draw_window_contents:
// the lab's update with training on, the menus and the sidebar's panels through Dear ImGui, the
// plane view and its layers) into a 1920×1080 target that stands in for the window's framebuffer.
// So a GPU machine with no display measures what the window costs, panels included. Not included:
// input, the swap to a screen, and the GL worker (kernels compile inline, as in a window whose
// display gives no second context).
#pragma once

#include "app/export/frame_bench.hpp"

namespace scorelab {

// Makes its own headless context; call it when no other GL context is current on this thread.
// options.screenshot: the last frame as a PNG (what was measured), when not empty.
FrameBenchResult run_window_bench(const FrameBenchOptions& options = {});

}  // namespace scorelab
