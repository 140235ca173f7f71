// The GUI's lifetime: window, ImGui, renderer, and the frame loop.
#include "app/gui/app.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "app/gui/screenshot.hpp"

namespace scorelab {
namespace {

// ImGui context and its GLFW + OpenGL3 backends, torn down in reverse order.
class ImGuiSession {
 public:
  explicit ImGuiSession(GLFWwindow* window) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; do not litter the working directory
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    // Created now so that rebuild_fonts() can replace the font texture before the first frame.
    ImGui_ImplOpenGL3_CreateDeviceObjects();
  }
  ~ImGuiSession() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  ImGuiSession(const ImGuiSession&) = delete;
  ImGuiSession& operator=(const ImGuiSession&) = delete;
};

void on_content_scale(GLFWwindow* window, float, float) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
  app->content_scale = ui_content_scale(window);
  app->fonts_dirty = true;
}

// Installed before ImGui's GLFW backend, which chains to it: shortcuts see every key event.
void on_key(GLFWwindow* window, int key, int, int action, int mods) {
  handle_key_event(*static_cast<App*>(glfwGetWindowUserPointer(window)), key, action, mods);
}

void upload_scene(App& app) {
  app.renderer->set_data(app.scene.points);
  app.renderer->set_mixture(app.scene.mixture);
  app.fit_requested = true;
  init_lab(app);
}

// One frame: input, layout, plane render, ImGui render; a screenshot when asked. Returns false
// when the loop should stop after this frame.
bool run_frame(App& app, bool last) {
  glfwPollEvents();
  if (app.fonts_dirty) rebuild_fonts(app);
  if (app.style_dirty) apply_style(app);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  update_lab(app);
  draw_main_menu(app);
  draw_control_panel(app);
  draw_plane_view(app);
  build_lab_layers(app);
  ImGui::Render();

  int width = 0, height = 0;
  glfwGetFramebufferSize(app.window, &width, &height);
  glViewport(0, 0, width, height);
  const Rgba bg = plane_palette(app.settings.theme).background;
  glClearColor(bg.r, bg.g, bg.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);  // to the plane's background: the plane needs no clear of its own
  const App::PlaneDraw& plane = app.plane_draw;
  if (plane.visible) app.renderer->render_in_window(app.view, plane.style, plane.min_major_px, plane.x, plane.y);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  const bool stop = last || app.quit_requested || glfwWindowShouldClose(app.window);
  if (stop && app.options.screenshot && width > 0 && height > 0)
    write_png(*app.options.screenshot, capture_back_buffer(width, height), width, height);
  glfwSwapBuffers(app.window);
  ++app.frame;
  return !stop;
}

// Median and 95th percentile over the frames after the first 10 (start-up: fonts, first uploads).
void print_frame_stats(std::vector<double> ms, const App& app) {
  if (ms.size() > 20) ms.erase(ms.begin(), ms.begin() + 10);
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[static_cast<size_t>(q * static_cast<double>(ms.size() - 1))]; };
  const TrainerStatus status = app.lab.trainer ? app.lab.trainer->status() : TrainerStatus{};
  std::printf("frames %zu, frame time median %.2f ms, p95 %.2f ms, particles %ld, training %s (%lld steps, %.0f steps/s)\n",
              ms.size(), at(0.5), at(0.95), static_cast<long>(app.lab.run.particles().cols()), to_string(status.state),
              static_cast<long long>(status.step), status.steps_per_second);
}

}  // namespace

void reload_scene(App& app, const std::filesystem::path& path) {
  try {
    app.scene = load_scene_for_view(path);
    app.scene_error.clear();
    upload_scene(app);
  } catch (const std::exception& e) {
    app.scene_error = e.what();
  }
}

int run_gui(const GuiOptions& options, LoadedScene scene) {
  GlfwSession glfw;
  WindowPtr window = create_main_window(1280, 800, "ScoreLab");
  if (std::getenv("SCORELAB_GL_DEBUG") != nullptr) gl::enable_debug_output();
  // --frames runs as fast as it can (tests, benchmarks); interactive use follows the display.
  glfwSwapInterval(options.frames > 0 ? 0 : 1);

  App app;
  app.options = options;
  app.window = window.get();
  app.content_scale = ui_content_scale(window.get());
  app.scene = std::move(scene);
  if (options.particles) app.scene.scene.sampler.particles = *options.particles;
  if (options.theme) app.settings.theme = *options.theme == "light" ? Theme::light : Theme::dark;
  if (options.font_scale) app.settings.font_scale = *options.font_scale;
  glfwSetWindowUserPointer(window.get(), &app);
  glfwSetWindowContentScaleCallback(window.get(), on_content_scale);
  glfwSetKeyCallback(window.get(), on_key);
  {
    ImGuiSession imgui(window.get());
    app.renderer = std::make_unique<PlaneRenderer>();
    upload_scene(app);
    if (options.train && app.lab.trainer) app.lab.trainer->start();
    // Interactive frames are paced by vsync; where swaps do not block (Xvfb, some drivers),
    // a 120 Hz cap keeps an idle window from spinning a core.
    const auto min_frame = std::chrono::microseconds(options.frames > 0 ? 0 : 1000000 / 120);
    auto frame_start = std::chrono::steady_clock::now();
    std::vector<double> frame_ms;  // work time of each frame (before the pacing sleep)
    for (;;) {
      const bool more = run_frame(app, options.frames > 0 && app.frame + 1 >= options.frames);
      frame_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start).count());
      if (!more) break;
      std::this_thread::sleep_until(frame_start + min_frame);
      frame_start = std::chrono::steady_clock::now();
    }
    if (options.stats) print_frame_stats(frame_ms, app);
    app.renderer.reset();  // GL objects go while the context is alive
    app.lab.trainer.reset();  // stop the worker before the window goes
  }
  return 0;
}

}  // namespace scorelab
