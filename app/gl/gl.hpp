// Floor 1, app/gl/: GL objects (objects.hpp), contexts (headless_context.hpp: EGL), shaders and
// the generic compute helpers (compute.hpp). Includes GL, EGL, glad, core and itself only.
//
// The one place the app includes OpenGL: glad's GL 4.5 core loader (generated at build time).
// Include this before any GLFW header (GLFW_INCLUDE_NONE keeps GLFW from pulling in its own GL).
#pragma once

#include <glad/gl.h>
#ifndef GLFW_INCLUDE_NONE
#define GLFW_INCLUDE_NONE
#endif

#include <stdexcept>

namespace scorelab::gl {

// A GL failure the program cannot work around (shader compile/link errors, incomplete framebuffers).
struct GlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Turns on GL_KHR_debug messages (errors and performance warnings go to stderr) when the context
// offers it. Cheap to call when it does not.
void enable_debug_output();

}  // namespace scorelab::gl
