#version 430 core
// The model's log-density on a grid through the probability-flow ODE with the exact divergence:
// the GLSL twin of core/likelihood.cpp (ode_likelihood). Each invocation carries SCORE_BATCH grid
// points of one band of rows on the augmented state (x, ℓ) from t = ε to 1:
//   dx/dt = f(t)·x − ½g(t)²·s(x, t),   dℓ/dt = ∇·f − ½g(t)²·∇·s(x, t),
// then log p₀(x₀) = log p₁(x₁) + ℓ(1), written to the R32F image.
//
// One dispatch is one phase of one ODE step for the band (app/gpu/gpu_density.cpp), the state kept
// in a storage buffer between them: so every dispatch reads at most three level rows (t, t + h/2,
// t + h), uniforms for the whole dispatch, and a mixture's components come from a uniform block
// (MIX_UBO_VEC4). Reading all 3·steps + 1 rows in one dispatch from a storage buffer was a per-lane
// gather for every component of every stage: on llvmpipe the 256² grid (RK4 × 100, 8 modes) took
// 5.97 s that way, 0.95 s this way (scripts/bench, idle).
//   u_phase 0: the first step, from the grid point with ℓ = 0; 1: a later step; 2: the end,
//   log p₁(x₁) + ℓ into the image, with the level at t = 1 in row 0 (the exact prior of a mixture).
#define ODE_DIVERGENCE 1
#include "score.glsl"
#include "ode_solver.glsl"

layout(local_size_x = 64) in;
layout(r32f, binding = 0) uniform writeonly image2D u_image;
// (x, ℓ, 0) of band point i at state[i].
layout(std430, binding = 2) buffer DensityState { vec4 state[]; };

uniform uint u_count;        // points in this band: width·rows
uniform uint u_width;        // grid width
uniform uint u_row0;         // first row of the band
uniform vec2 u_origin;       // grid point (i, j) is u_origin + (i, j)·u_spacing
uniform vec2 u_spacing;
uniform int u_phase;         // 0 first step, 1 later step, 2 end (see above)
uniform int u_exact_prior;   // 1: the mixture's own log p₁ (level row 0 at the end); 0: Gaussian prior
uniform float u_prior_var;   // prior_std²
uniform float u_prior_log_norm;  // log(2π·prior_std²)

float prior_log_prob(vec2 x) {
#if defined(SCORE_IDEAL)
  if (u_exact_prior != 0) return ideal_log_prob(x, 0u);
#elif !defined(SCORE_MLP)
  if (u_exact_prior != 0) return mixture_log_prob(x, 0u);
#endif
  return -dot(x, x) / (2.0 * u_prior_var) - u_prior_log_norm;
}

void main() {
  uint i0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x) * uint(SCORE_BATCH);
  if (score_may_skip(i0, u_count)) return;
  vec2 x[SCORE_BATCH];
  float l[SCORE_BATCH];
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = min(i0 + uint(b), u_count - 1u);  // past the band: repeat the last point (not stored)
    if (u_phase == 0) {
      x[b] = u_origin + vec2(float(i % u_width), float(u_row0 + i / u_width)) * u_spacing;
      l[b] = 0.0;
    } else {
      x[b] = state[i].xy;
      l[b] = state[i].z;
    }
  }
  if (u_phase == 2) {
    for (int b = 0; b < SCORE_BATCH; ++b) {
      uint i = i0 + uint(b);
      if (i >= u_count) break;
      imageStore(u_image, ivec2(int(i % u_width), int(u_row0 + i / u_width)), vec4(prior_log_prob(x[b]) + l[b]));
    }
    return;
  }
  ode_solver_step(0u, x, l);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = i0 + uint(b);
    if (i >= u_count) break;
    state[i] = vec4(x[b], l[b], 0.0);
  }
}
