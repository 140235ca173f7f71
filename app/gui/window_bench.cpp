#include "app/gui/window_bench.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <chrono>
#include <memory>

#include "app/gl/capabilities.hpp"
#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"
#include "app/gl/render_target.hpp"
#include "app/gui/app.hpp"
#include "app/gui/side_by_side.hpp"
#include "app/render/png_image.hpp"

namespace scorelab {
namespace {

// ImGui's context and its OpenGL3 renderer, no platform backend (the caller sets the display size
// and the clock each frame); the target as the window's framebuffer on this thread. Undone in reverse.
class HeadlessWindow {
 public:
  HeadlessWindow(int width, int height) {
    target_.resize(width, height);
    gl::RenderTarget::set_window_framebuffer(target_.framebuffer());
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_CreateDeviceObjects();
  }
  ~HeadlessWindow() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext();
    gl::RenderTarget::set_window_framebuffer(0);
  }
  HeadlessWindow(const HeadlessWindow&) = delete;
  HeadlessWindow& operator=(const HeadlessWindow&) = delete;
  const gl::RenderTarget& target() const { return target_; }

 private:
  gl::RenderTarget target_;
};

}  // namespace

FrameBenchResult run_window_bench(const FrameBenchOptions& options) {
  FrameBenchResult result;
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&result.why);
  if (!context) return result;
  result.renderer = context->renderer();
  try {
    LoadedScene scene = frame_bench_scene(options, result);
    HeadlessWindow window(options.width, options.height);
    App app;  // no window, no GL worker, no autosave (AutosavePolicy{}: no state folder)
    app.compute_off = gl::compute_off_reason();
    app.renderer = std::make_unique<PlaneRenderer>();
    GuiOptions gui;
    gui.no_restore = true;
    start_session(app, gui, std::move(scene));
    if (!app.lab.sampler_error().empty()) throw InputError(app.lab.sampler_error());
    if (app.lab.trainer()) app.lab.trainer()->start();  // training on, as `scorelab --train`
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(options.width), float(options.height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    double previous_s = 1.0 / 60.0;
    for (int i = 0; i < options.frames; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      io.DeltaTime = float(previous_s);
      draw_window_contents(app, i + 1 == options.frames, options.width, options.height);
      glFinish();  // the frame's GPU work is part of its cost (a window's swap waits for it too)
      previous_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      result.frame_ms.push_back(1e3 * previous_s);
    }
    if (!options.screenshot.empty()) {
      window.target().bind();
      write_png(options.screenshot, window.target().read_rgba(), options.width, options.height);
    }
    close_panes(app);
    app.renderer.reset();  // GL objects go while the context is alive
    app.lab.stop_training();
    finish_frame_bench(result);
  } catch (const std::exception& e) {
    result.why = e.what();
  }
  return result;
}

}  // namespace scorelab
