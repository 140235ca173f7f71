// What the compute kernels of app/gpu (and the particle view's) agree on: the binding points of
// their buffers, the workgroup of the per-particle kernels, and the stage-loop uniforms of the ODE
// kernels. The generic helpers (build, dispatch, storage) are app/gl/compute.hpp, included here.
#pragma once

#include "app/gl/compute.hpp"
#include "core/sampler_config.hpp"

namespace scorelab::gpu {

// Binding points shared by every kernel (shaders/particles.glsl, sde.glsl, mixture_score.glsl,
// mlp.glsl); one table so that no two includes collide.
namespace binding {
inline constexpr GLuint kParticles = 0;   // SSBO vec2[N]
inline constexpr GLuint kTrajectory = 1;  // SSBO vec2[capacity·N], the trajectory ring
inline constexpr GLuint kScratch = 2;     // SSBO vec2[N], PC: the scores of the corrector step
inline constexpr GLuint kDensityState = 2;  // SSBO vec4[], density.comp: (x, ℓ) per band point (no particles there)
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
// The ideal score of a point set (shaders/ideal_score.glsl) shares the mixture's and the network's
// storage bindings: a kernel holds one kind of score.
inline constexpr GLuint kIdealPoints = kMixture;  // SSBO vec2[n], the centred points sorted by cell
inline constexpr GLuint kIdealCells = kMlpTime;   // SSBO int[nx·ny + 1], each cell's first point
}  // namespace binding

// Invocations per workgroup of every per-particle kernel (shaders/particles.glsl local_size_x).
inline constexpr GLuint kParticleGroup = 64;

// The uniforms of the stage loop of ode_step.comp and density.comp for an explicit solver with step
// h: u_solver, u_stages, u_stage_coef[i] (a_i in y_i = x + a_i·k_{i−1}), u_stage_row[i] (level row
// offset: 0 = t, 1 = t + h/2, 2 = t + h), u_h, u_half_h = 0.5·h, u_sixth_h = h/6 — each
// coefficient computed in double as core computes it, then rounded once.
void set_solver_uniforms(const gl::Program& p, OdeSolver solver, double h);

}  // namespace scorelab::gpu
