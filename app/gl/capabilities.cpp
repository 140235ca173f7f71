#include "app/gl/capabilities.hpp"

#include "app/gl/gl.hpp"

namespace scorelab::gl {

GlVersion current_gl_version() {
  GlVersion v;
  if (glad_glGetIntegerv == nullptr) return v;  // GL never loaded in this process
  // Without a current context Mesa's dispatch ignores the call and the zeros stay.
  glGetIntegerv(GL_MAJOR_VERSION, &v.major);
  glGetIntegerv(GL_MINOR_VERSION, &v.minor);
  if (v.major <= 0) return GlVersion{};
  return v;
}

bool compute_available() { return current_gl_version().number() >= 43; }

std::string compute_off_reason() {
  const GlVersion v = current_gl_version();
  if (v.major == 0 || v.number() >= 43) return {};
  return "OpenGL " + v.text() + " here; GPU compute needs 4.3: particles, arrows and densities run on the CPU";
}

std::string drawing_glsl_header() {
  return compute_available() ? "#version 430 core\n" : "#version 330 core\n#define SCORELAB_GL33 1\n";
}

}  // namespace scorelab::gl
