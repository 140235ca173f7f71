// The generic compute helpers (floor 1, GL only): building a compute program with compile-time
// #defines, dispatching over millions of invocations, storage buffers, read-back, uniforms. What
// the project's kernels agree on (binding points, the particle workgroup, solver uniforms) is in
// app/gpu/bindings.hpp; the sliced particle step in app/gpu/sliced_step.hpp. GL 4.3 core calls
// only (no DSA), so the 4.3 fallback context runs everything. Namespace scorelab::gpu: the kernels'
// hosts (app/gpu, app/render, app/lab) call these unqualified.
#pragma once

#include <string>
#include <string_view>

#include "app/gl/objects.hpp"

namespace scorelab::gpu {

// Compiles shaders/<name> (includes expanded) with `defines` — lines such as "#define MIX_K 8" —
// inserted after its #version line, and links it. Throws gl::GlError with the driver's log.
gl::Program build_compute(std::string_view name, std::string_view defines = {});

// Runs the bound program over n invocations in groups of local_size, as a 2D grid of at most
// 65535 groups per row (the GL minimum), so N is not capped by the group count. The kernel's flat
// index is particle_index() in shaders/particles.glsl. No-op for n = 0.
void dispatch_flat(GLuint n, GLuint local_size);

// Every kernel reads what the previous one wrote through SSBOs, UBOs or images.
void storage_barrier();

// A GL_SHADER_STORAGE_BUFFER of `bytes` with optional initial data.
gl::Buffer make_storage(GLsizeiptr bytes, const void* data = nullptr, GLenum usage = GL_DYNAMIC_COPY);
// Re-specifies a buffer's storage and contents (orphaning the old storage), for per-step tables.
void respecify(GLenum target, const gl::Buffer& buffer, GLsizeiptr bytes, const void* data,
               GLenum usage = GL_DYNAMIC_DRAW);
// Copies bytes from a buffer to host memory (waits for the GPU).
void read_storage(const gl::Buffer& buffer, GLintptr offset, GLsizeiptr bytes, void* out);

// glProgramUniform by name; a name the compiler optimised away is ignored.
void set_uniform(const gl::Program& p, const char* name, float v);
void set_uniform(const gl::Program& p, const char* name, int v);
void set_uniform(const gl::Program& p, const char* name, unsigned v);
void set_uniform(const gl::Program& p, const char* name, float x, float y);

GLint get_integer(GLenum name);
GLint get_integer(GLenum name, GLuint index);

}  // namespace scorelab::gpu
