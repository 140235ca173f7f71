#version 430 core
// The model's log-density on a grid through the probability-flow ODE with the exact divergence:
// the GLSL twin of core/likelihood.cpp (ode_likelihood). Each invocation integrates SCORE_BATCH
// grid points of one band of rows from t = ε to 1 on the augmented state (x, ℓ):
//   dx/dt = f(t)·x − ½g(t)²·s(x, t),   dℓ/dt = ∇·f − ½g(t)²·∇·s(x, t),
// then log p₀(x₀) = log p₁(x₁) + ℓ(1), written to the R32F image.
// Level table rows (app/gpu/gpu_density.cpp): step i uses 3i (t), 3i + 1 (t + h/2), 3i + 2 (t + h),
// with t = ε + i·h as core; row 3·steps is t = 1, where the exact prior is evaluated. The solver's
// stages are one loop around one score call, as in ode_step.comp (the network is compiled once).
#include "score.glsl"

layout(local_size_x = 64) in;
layout(r32f, binding = 0) uniform writeonly image2D u_image;

uniform uint u_count;        // points in this band: width·rows
uniform uint u_width;        // grid width
uniform uint u_row0;         // first row of the band
uniform vec2 u_origin;       // grid point (i, j) is u_origin + (i, j)·u_spacing
uniform vec2 u_spacing;
uniform int u_steps;
uniform int u_solver;        // 0 Euler, 1 Heun, 2 RK4
uniform int u_stages;        // 1, 2, 4: stages as in ode_step.comp (one score call site)
uniform float u_stage_coef[4];
uniform uint u_stage_row[4];
uniform float u_h;
uniform float u_half_h;
uniform float u_sixth_h;
uniform int u_exact_prior;   // 1: the mixture's own log p₁ at row 3·steps; 0: Gaussian prior
uniform float u_prior_var;   // prior_std²
uniform float u_prior_log_norm;  // log(2π·prior_std²)

// k, dl at a level for the whole batch.
void augmented_rhs(uint level, vec2 x[SCORE_BATCH], out vec2 k[SCORE_BATCH], out float dl[SCORE_BATCH]) {
  float div[SCORE_BATCH];
  score_div_batch(x, level, k, div);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    k[b] = probability_flow(level, x[b], k[b]);
    dl[b] = level_drift_div(level) - level_half_g2(level) * div[b];
  }
}

float prior_log_prob(vec2 x) {
#ifndef SCORE_MLP
  if (u_exact_prior != 0) return mixture_log_prob(x, uint(3 * u_steps));
#endif
  return -dot(x, x) / (2.0 * u_prior_var) - u_prior_log_norm;
}

void main() {
  uint i0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x) * uint(SCORE_BATCH);
  if (i0 >= u_count) return;
  vec2 x[SCORE_BATCH], y[SCORE_BATCH], k[4][SCORE_BATCH];
  float l[SCORE_BATCH], d[4][SCORE_BATCH];
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = min(i0 + uint(b), u_count - 1u);  // past the band: repeat the last point (not stored)
    x[b] = u_origin + vec2(float(i % u_width), float(u_row0 + i / u_width)) * u_spacing;
    l[b] = 0.0;
  }
  for (int step = 0; step < u_steps; ++step) {
    for (int st = 0; st < u_stages; ++st) {
      for (int b = 0; b < SCORE_BATCH; ++b) y[b] = st == 0 ? x[b] : x[b] + u_stage_coef[st] * k[st - 1][b];
      vec2 ks[SCORE_BATCH];
      float ds[SCORE_BATCH];
      augmented_rhs(uint(3 * step) + u_stage_row[st], y, ks, ds);
      for (int b = 0; b < SCORE_BATCH; ++b) {
        k[st][b] = ks[b];
        d[st][b] = ds[b];
      }
    }
    for (int b = 0; b < SCORE_BATCH; ++b) {
      if (u_solver == 0) {
        x[b] += u_h * k[0][b];
        l[b] += u_h * d[0][b];
      } else if (u_solver == 1) {
        x[b] += u_half_h * (k[0][b] + k[1][b]);
        l[b] += u_half_h * (d[0][b] + d[1][b]);
      } else {
        x[b] += u_sixth_h * (k[0][b] + 2.0 * k[1][b] + 2.0 * k[2][b] + k[3][b]);
        l[b] += u_sixth_h * (d[0][b] + 2.0 * d[1][b] + 2.0 * d[2][b] + d[3][b]);
      }
    }
  }
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = i0 + uint(b);
    if (i >= u_count) break;
    imageStore(u_image, ivec2(int(i % u_width), int(u_row0 + i / u_width)), vec4(prior_log_prob(x[b]) + l[b]));
  }
}
