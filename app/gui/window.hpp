// The GLFW session and the main window with an OpenGL core context: 4.5 or 4.3 (drawing and GPU
// compute), else 3.3 or better (drawing only; gl::compute_off_reason() says so).
#pragma once

#include <memory>
#include <stdexcept>

#include "app/gl/gl.hpp"  // before GLFW
#include "app/gl/gl_worker.hpp"
#include <GLFW/glfw3.h>

namespace scorelab {

// The GUI cannot start (no display, no suitable GL). The message is one line for the user.
struct StartupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// glfwInit / glfwTerminate. Throws StartupError when there is no display to open.
class GlfwSession {
 public:
  GlfwSession();
  ~GlfwSession();
  GlfwSession(const GlfwSession&) = delete;
  GlfwSession& operator=(const GlfwSession&) = delete;
};

struct WindowDeleter {
  void operator()(GLFWwindow* window) const { glfwDestroyWindow(window); }
};
using WindowPtr = std::unique_ptr<GLFWwindow, WindowDeleter>;

// A window of about width x height logical pixels (scaled by the monitor's content scale, capped
// to its work area) with a current OpenGL 4.5, 4.3 or (drawing only) 3.3+ core context and the GL
// functions loaded.
// Throws StartupError naming what the display offers instead.
WindowPtr create_main_window(int width, int height, const char* title);

// A GL worker thread whose hidden window's context shares objects with `main`'s (same version and
// profile); null, with a line on stderr, when the display will not make a second context.
std::shared_ptr<gl::Worker> create_gl_worker(GLFWwindow* main);

// The UI scale: the window's content scale (monitor DPI / 96), or SCORELAB_UI_SCALE when set
// (for projectors, and for testing HiDPI under Xvfb, which reports 1).
float ui_content_scale(GLFWwindow* window);

}  // namespace scorelab
