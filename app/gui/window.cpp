#include "app/gui/window.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

namespace scorelab {
namespace {

std::string g_last_glfw_error = "no details";

void on_glfw_error(int, const char* description) { g_last_glfw_error = description ? description : "?"; }

// What the display offers when a 3.3 core context is refused: asks for a default context and
// reads its version string. Returns a short phrase for the error message.
std::string probe_offered_gl() {
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* probe = glfwCreateWindow(64, 64, "probe", nullptr, nullptr);
  if (probe == nullptr) return "no OpenGL context at all (" + g_last_glfw_error + ")";
  glfwMakeContextCurrent(probe);
  using GetString = const unsigned char* (*)(unsigned int);
  const auto get_string = reinterpret_cast<GetString>(glfwGetProcAddress("glGetString"));
  std::string offered = "an unknown OpenGL version";
  if (get_string != nullptr) {
    const auto* version = get_string(GL_VERSION);
    const auto* renderer = get_string(GL_RENDERER);
    if (version != nullptr)
      offered = "OpenGL " + std::string(reinterpret_cast<const char*>(version)) +
                (renderer ? " on " + std::string(reinterpret_cast<const char*>(renderer)) : "");
  }
  glfwMakeContextCurrent(nullptr);
  glfwDestroyWindow(probe);
  return offered;
}

// Logical size scaled to the monitor, never larger than its work area.
void fit_to_monitor(int& width, int& height) {
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (monitor == nullptr) return;
  int x = 0, y = 0, w = 0, h = 0;
  glfwGetMonitorWorkarea(monitor, &x, &y, &w, &h);
  if (w > 0 && h > 0) {
    width = std::min(width, w);
    height = std::min(height, h);
  }
}

}  // namespace

GlfwSession::GlfwSession() {
  glfwSetErrorCallback(on_glfw_error);
  if (glfwInit() != GLFW_TRUE)
    throw StartupError("the GUI needs a display and none is available (" + g_last_glfw_error +
                       "). Run it on a desktop, or headless with: xvfb-run -a scorelab ...; "
                       "the subcommands (sample, nll, train, render, bench) need no display");
}

GlfwSession::~GlfwSession() { glfwTerminate(); }

WindowPtr create_main_window(int width, int height, const char* title) {
  fit_to_monitor(width, height);
  GLFWwindow* window = nullptr;
  // 4.5 or 4.3 draw and compute; 3.3 core only draws (a 3.3 request also gets 4.0–4.2 where the
  // driver stops there, as macOS at 4.1): the particles, arrows and densities then run on the CPU.
  for (const auto& [major, minor] : {std::pair{4, 5}, std::pair{4, 3}, std::pair{3, 3}}) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, major);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, minor);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    if (std::getenv("SCORELAB_GL_DEBUG") != nullptr) glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, GLFW_TRUE);
    window = glfwCreateWindow(width, height, title, nullptr, nullptr);
    if (window != nullptr) break;
  }
  if (window == nullptr)
    throw StartupError("ScoreLab needs OpenGL 3.3 (core profile); this display offers " + probe_offered_gl() +
                       ". Try: LIBGL_ALWAYS_SOFTWARE=1 scorelab ... (Mesa's software renderer offers 4.5)");
  WindowPtr owned(window);
  glfwMakeContextCurrent(window);
  const int version = gladLoadGL(glfwGetProcAddress);
  if (version == 0 || GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version) < 33)
    throw StartupError("ScoreLab needs OpenGL 3.3 (core profile); the context created offers " +
                       std::to_string(GLAD_VERSION_MAJOR(version)) + "." + std::to_string(GLAD_VERSION_MINOR(version)) +
                       ". Try: LIBGL_ALWAYS_SOFTWARE=1 scorelab ...");
  return owned;
}

namespace {

// A hidden 1×1 window: only its context is used, made current on the worker thread (GLFW allows
// that from any thread; creating and destroying windows stays on this one).
class HiddenSharedContext final : public gl::SharedContext {
 public:
  explicit HiddenSharedContext(GLFWwindow* window) : window_(window) {}
  ~HiddenSharedContext() override { glfwDestroyWindow(window_); }
  void make_current() override { glfwMakeContextCurrent(window_); }
  void release() override { glfwMakeContextCurrent(nullptr); }

 private:
  GLFWwindow* window_;
};

}  // namespace

std::shared_ptr<gl::Worker> create_gl_worker(GLFWwindow* main) {
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, glfwGetWindowAttrib(main, GLFW_CONTEXT_VERSION_MAJOR));
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, glfwGetWindowAttrib(main, GLFW_CONTEXT_VERSION_MINOR));
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* hidden = glfwCreateWindow(1, 1, "ScoreLab worker", nullptr, main);  // keeps `main` current
  glfwDefaultWindowHints();
  if (hidden == nullptr) {
    std::fprintf(stderr, "scorelab: no second GL context; GPU kernels compile on the UI thread\n");
    return nullptr;
  }
  return std::make_shared<gl::Worker>(std::make_unique<HiddenSharedContext>(hidden));
}

float ui_content_scale(GLFWwindow* window) {
  if (const char* forced = std::getenv("SCORELAB_UI_SCALE"); forced != nullptr && *forced != '\0') {
    const float scale = std::strtof(forced, nullptr);
    if (scale >= 0.5f && scale <= 4.0f) return scale;
  }
  float x = 1.0f, y = 1.0f;
  glfwGetWindowContentScale(window, &x, &y);
  return std::clamp(std::max(x, y), 0.5f, 4.0f);
}

}  // namespace scorelab
