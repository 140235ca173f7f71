// The GUI's lifetime: window, ImGui, renderer, and the frame loop.
#include "app/gui/app.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <thread>
#include <vector>

#include "app/gl/capabilities.hpp"
#include "app/gui/side_by_side.hpp"
#include "app/render/png_image.hpp"

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

// SIGINT / SIGTERM / SIGHUP (Ctrl+C, `kill`, a closed terminal) end the frame loop like Quit, so the
// session is autosaved on the way out; a second signal ends the program at once.
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int sig) {
  if (g_stop_signal != 0) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  g_stop_signal = 1;
}

void on_content_scale(GLFWwindow* window, float, float) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
  app->content_scale = ui_content_scale(window);
  app->fonts_dirty = true;
}

// Installed before ImGui's GLFW backend, which chains to it: shortcuts see every key event.
void on_key(GLFWwindow* window, int key, int, int action, int mods) {
  handle_key_event(*static_cast<App*>(glfwGetWindowUserPointer(window)), key, action, mods);
}

// A scene replaced (opened, reset, undone, restored, a lecture slide): its data to the renderer, its
// show section to the window and the lab, which is rebuilt with the preset's settings.
void upload_scene(App& app) {
  app.renderer->set_data(app.scene.points);
  app.renderer->set_mixture(app.scene.mixture);
  const SceneShow show = scene_show_of(app);
  apply_show_to_window(app, show);
  init_lab(app, &show);
  if (show.train && app.lab.trainer()) app.lab.trainer()->start();
}

}  // namespace

void draw_window_contents(App& app, bool last, int width, int height) {
  if (app.fonts_dirty) rebuild_fonts(app);
  if (app.style_dirty) apply_style(app);
  ImGui_ImplOpenGL3_NewFrame();
  if (app.window != nullptr) ImGui_ImplGlfw_NewFrame();  // else the caller set the display size and clock
  ImGui::NewFrame();
  update_lab(app);
  update_panes(app);  // side_by_side.hpp: in lockstep with the lab
  if (last) app.lab.check_particles_now();  // the banner and the exit code see the last positions
  draw_main_menu(app);
  draw_file_dialogs(app);
  draw_control_panel(app);
  draw_plane_view(app);
  draw_compute_notice(app);
  build_lab_layers(app);
  ImGui::Render();

  gl::RenderTarget::unbind();  // the window's framebuffer (a target's in the headless bench)
  glViewport(0, 0, width, height);
  const Rgba bg = plane_palette(app.settings.theme).background;
  glClearColor(bg.r, bg.g, bg.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);  // to the plane's background: the plane needs no clear of its own
  const App::PlaneDraw& plane = app.plane_draw;
  if (plane.visible) app.renderer->render_in_window(app.view, plane.style, plane.min_major_px, plane.x, plane.y);
  render_panes(app);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

namespace {

// One frame: input, layout, plane render, ImGui render; a screenshot when asked. Returns false
// when the loop should stop after this frame.
bool run_frame(App& app, bool last) {
  glfwPollEvents();
  int width = 0, height = 0;
  glfwGetFramebufferSize(app.window, &width, &height);
  draw_window_contents(app, last, width, height);
  const bool stop = last || app.quit_requested || glfwWindowShouldClose(app.window) || g_stop_signal != 0;
  if (stop && app.options.screenshot && width > 0 && height > 0)
    write_png(*app.options.screenshot, capture_back_buffer(width, height), width, height);
  glfwSwapBuffers(app.window);
  ++app.frame;
  return !stop;
}

// Writes the autosave when it is due (LabSession::autosave_if_due). A failure is in the status line;
// on exit, where nobody sees that, it is printed too.
void autosave(App& app, bool exiting) {
  if (app.doc.autosave_if_due(session_seconds(), exiting) == AutosaveResult::failed && exiting)
    std::fprintf(stderr, "scorelab: %s\n", app.doc.status().text.c_str());
}

}  // namespace

// The scene from main, or the restored session (LabSession::start), then the lab. What the restore
// found is printed too (tests read it).
void start_session(App& app, const GuiOptions& options, LoadedScene scene) {
  app.doc.set_lab_builder([&app](Lab&, const LoadedScene&) {
    app.scene_error.clear();
    upload_scene(app);
  });
  const StartReport report = app.doc.start(std::move(scene), [&options](Scene& s) {
    if (options.particles) s.sampler.particles = *options.particles;
  });
  if (!report.found) return;
  std::string title = report.restored ? ": " + scene_title(app.scene) : std::string();
  if (report.model_step) title += ", with its model at step " + std::to_string(*report.model_step);
  std::printf("scorelab: %s%s\n", report.message.c_str(), title.c_str());
  std::fflush(stdout);
}

namespace {

// A --frames run (tests, scripts) that ended with a failure on the plane prints the banner's text and
// exits kRunFailedExit (see --help), so a script sees what a person would have seen. 0 otherwise.
int failure_status(const App& app) {
  if (app.options.frames <= 0) return 0;
  const std::optional<RunFailure> failure = app.lab.run_failure();
  if (!failure) return 0;
  std::fprintf(stderr, "scorelab: %s\n", failure->line().c_str());
  return kRunFailedExit;
}

// Median and 95th percentile over the frames after the first 10 (start-up: fonts, first uploads).
void print_frame_stats(std::vector<double> ms, const App& app) {
  if (ms.size() > 20) ms.erase(ms.begin(), ms.begin() + 10);
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[static_cast<size_t>(q * static_cast<double>(ms.size() - 1))]; };
  const TrainerStatus status = app.lab.trainer() ? app.lab.trainer()->status() : TrainerStatus{};
  std::printf("frames %zu, frame time median %.2f ms, p95 %.2f ms, max %.2f ms, particles %ld at sampler step %d "
              "of %d, training %s (%lld steps, %.0f steps/s)\n",
              ms.size(), at(0.5), at(0.95), ms.back(), static_cast<long>(app.lab.run().count()), app.lab.run().step(),
              app.lab.run().num_steps(), to_string(status.state), static_cast<long long>(status.step),
              status.steps_per_second);
}

}  // namespace

void reload_scene(App& app, const std::filesystem::path& path) {
  // Through open_scene_file: edits made since the file was read are kept for Undo.
  app.scene_error = open_scene_file(app, path);
  if (!app.scene_error.empty()) set_status(app, app.scene_error, true);
}

int run_gui(const GuiOptions& options, LoadedScene scene) {
  // Before the window: a bad SCORELAB_AUTOSAVE_SECONDS is reported even without a display.
  const AutosavePolicy policy = autosave_policy(options, process_env());
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, on_stop_signal);
  GlfwSession glfw;
  WindowPtr window = create_main_window(options.window_width, options.window_height, "ScoreLab");
  if (std::getenv("SCORELAB_GL_DEBUG") != nullptr) gl::enable_debug_output();
  // --frames runs as fast as it can (tests, benchmarks); interactive use follows the display.
  glfwSwapInterval(options.frames > 0 ? 0 : 1);

  App app;
  app.options = options;
  app.doc.set_policy(policy);
  app.window = window.get();
  app.compute_off = gl::compute_off_reason();  // said once here; the window shows it until dismissed
  if (!app.compute_off.empty()) std::fprintf(stderr, "scorelab: %s\n", app.compute_off.c_str());
  app.gl_worker = create_gl_worker(window.get());
  app.content_scale = ui_content_scale(window.get());
  if (options.theme) app.settings.theme = *options.theme == "light" ? Theme::light : Theme::dark;
  if (options.font_scale) app.settings.font_scale = *options.font_scale;
  glfwSetWindowUserPointer(window.get(), &app);
  glfwSetWindowContentScaleCallback(window.get(), on_content_scale);
  glfwSetKeyCallback(window.get(), on_key);
  {
    ImGuiSession imgui(window.get());
    app.renderer = std::make_unique<PlaneRenderer>();
    start_session(app, options, std::move(scene));
    if (options.deck && open_deck(app, *options.deck, options.slide - 1)) enter_lecture_mode(app);
    if (options.deck && !app.lecture.error.empty()) std::fprintf(stderr, "scorelab: %s\n", app.lecture.error.c_str());
    open_panes_from_env(app);  // SCORELAB_SPLIT / SCORELAB_COMPARE (side_by_side.hpp)
    if (options.train && app.lab.trainer()) app.lab.trainer()->start();
    // Interactive frames are paced by vsync; where swaps do not block (Xvfb, some drivers),
    // a 120 Hz cap keeps an idle window from spinning a core.
    const auto min_frame = std::chrono::microseconds(options.frames > 0 ? 0 : 1000000 / 120);
    auto frame_start = std::chrono::steady_clock::now();
    std::vector<double> frame_ms;  // work time of each frame (before the pacing sleep)
    for (;;) {
      const bool more = run_frame(app, options.frames > 0 && app.frame + 1 >= options.frames);
      frame_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - frame_start).count());
      autosave(app, !more);
      if (!more) break;
      std::this_thread::sleep_until(frame_start + min_frame);
      frame_start = std::chrono::steady_clock::now();
    }
    if (options.stats) print_frame_stats(frame_ms, app);
    const int status = failure_status(app);
    // A compile cannot be interrupted (minutes on llvmpipe): end now rather than wait for it.
    if (app.gl_worker && app.gl_worker->busy()) {
      std::fflush(nullptr);
      std::_Exit(status);
    }
    close_panes(app);      // their trainers stop and their GL objects go while the context is alive
    app.renderer.reset();  // GL objects go while the context is alive
    app.lab.stop_training();  // stop the worker before the window goes
    return status;
  }
}

}  // namespace scorelab
