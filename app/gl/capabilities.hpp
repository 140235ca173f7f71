// What the current GL context offers beyond drawing. ScoreLab draws with GL 3.3 core features (or
// 4.3 where it has them) and computes with 4.3's compute shaders and storage buffers; a 3.3–4.2
// context (macOS stops at 4.1) draws everything and leaves the particles, arrows and densities to
// the CPU paths. The answers are about the context current on the calling thread, not glad's flags:
// glad's are process-wide and a second context (the density worker's EGL one) reloads them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/particle_budget.hpp"

namespace scorelab::gl {

struct GlVersion {
  int major = 0, minor = 0;  // 0.0: no context current (or GL not loaded)
  int number() const { return 10 * major + minor; }
  std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
};

// GL_MAJOR_VERSION / GL_MINOR_VERSION of the current context; 0.0 without one.
GlVersion current_gl_version();

// Compute shaders and shader storage buffers: a 4.3 context is current.
bool compute_available();

// Why GPU compute is off, for the user, when a context is current and lacks 4.3, e.g. "OpenGL 4.1
// here; GPU compute needs 4.3: particles, arrows and densities run on the CPU". Empty when compute
// is available, or when no context is current (nothing known: callers keep their own checks).
std::string compute_off_reason();

// The #version line the drawing shaders (.vert/.frag) are compiled with in the current context:
// "#version 430 core", or "#version 330 core" plus "#define SCORELAB_GL33 1" below 4.3, where they
// read buffers through buffer textures instead of storage buffers (see shaders/segments.vert).
std::string drawing_glsl_header();

// Whether the current context lists the extension (glGetStringi over GL_NUM_EXTENSIONS).
bool has_extension(std::string_view name);

// Free GPU memory where the driver says: GL_NVX_gpu_memory_info (NVIDIA, and Mesa's radeonsi) or
// GL_ATI_meminfo (AMD). None where neither is offered (Intel, llvmpipe, Apple): the caller falls back
// on host memory, which such GPUs share.
std::optional<MemoryReport> gpu_free_memory();

}  // namespace scorelab::gl
