// Small helpers shared by the compute kernels' hosts (app/gpu): building a compute program with
// compile-time #defines, dispatching over millions of particles, storage buffers and read-back.
// GL 4.3 core calls only (no DSA), so the 4.3 fallback context runs everything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/gl/objects.hpp"
#include "core/sampler_config.hpp"

namespace scorelab::gpu {

// Binding points shared by every kernel (shaders/particles.glsl, sde.glsl, mixture_score.glsl,
// mlp.glsl); one table so that no two includes collide.
namespace binding {
inline constexpr GLuint kParticles = 0;   // SSBO vec2[N]
inline constexpr GLuint kTrajectory = 1;  // SSBO vec2[capacity·N], the trajectory ring
inline constexpr GLuint kScratch = 2;     // SSBO vec2[N], PC: the scores of the corrector step
inline constexpr GLuint kLevels = 3;      // SSBO Level[], per-level noise and SDE coefficients
inline constexpr GLuint kMixture = 4;     // SSBO vec4[2·K·levels], prepared mixture components
inline constexpr GLuint kPartials = 5;    // SSBO float[], PC: per-workgroup sums of ‖s‖, then the mean
inline constexpr GLuint kProbeIn = 6;     // SSBO, probe/score-field inputs
inline constexpr GLuint kProbeOut = 7;    // SSBO, probe/score-field outputs
inline constexpr GLuint kMlpWeightsSsbo = 8;  // SSBO vec4[], the packed network (a layer too big for a UBO)
inline constexpr GLuint kMlpTime = 9;     // SSBO vec4[], the network's input features of t per level
inline constexpr GLuint kMlpHead = 0;     // UBO: header, dims, Fourier frequencies, biases
inline constexpr GLuint kMlpLayer0 = 1;   // UBO: weights of layer l at kMlpLayer0 + l
inline constexpr GLuint kMixtureUbo = 10; // UBO vec4[], the mixture components of ≤ 3 levels
}  // namespace binding

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

// The uniforms of the stage loop of ode_step.comp and density.comp for an explicit solver with step
// h: u_solver, u_stages, u_stage_coef[i] (a_i in y_i = x + a_i·k_{i−1}), u_stage_row[i] (level row
// offset: 0 = t, 1 = t + h/2, 2 = t + h), u_h, u_half_h = 0.5·h, u_sixth_h = h/6 — each
// coefficient computed in double as core computes it, then rounded once.
void set_solver_uniforms(const gl::Program& p, OdeSolver solver, double h);

GLint get_integer(GLenum name);
GLint get_integer(GLenum name, GLuint index);

}  // namespace scorelab::gpu
