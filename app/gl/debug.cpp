// GL_KHR_debug output: errors, undefined behaviour and performance warnings printed to stderr.
#include <cstdio>

#include "app/gl/gl.hpp"

namespace scorelab::gl {
namespace {

void GLAD_API_PTR on_debug_message(GLenum, GLenum type, GLuint id, GLenum severity, GLsizei,
                                   const GLchar* message, const void*) {
  if (severity == GL_DEBUG_SEVERITY_NOTIFICATION) return;  // buffer placement chatter
  const char* kind = type == GL_DEBUG_TYPE_ERROR ? "error"
                     : type == GL_DEBUG_TYPE_PERFORMANCE ? "performance"
                                                         : "warning";
  std::fprintf(stderr, "scorelab: GL %s %u: %s\n", kind, id, message);
}

}  // namespace

void enable_debug_output() {
  if (!GLAD_GL_KHR_debug && !GLAD_GL_VERSION_4_3) return;
  glEnable(GL_DEBUG_OUTPUT);
  glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);  // report at the offending call, so a backtrace points at it
  glDebugMessageCallback(on_debug_message, nullptr);
}

}  // namespace scorelab::gl
