#version 430 core
// The model's log-density on a grid through the probability-flow ODE with the exact divergence:
// the GLSL twin of core/likelihood.cpp (ode_likelihood). Each invocation integrates SCORE_BATCH
// grid points of one band of rows from t = ε to 1 on the augmented state (x, ℓ):
//   dx/dt = f(t)·x − ½g(t)²·s(x, t),   dℓ/dt = ∇·f − ½g(t)²·∇·s(x, t),
// then log p₀(x₀) = log p₁(x₁) + ℓ(1), written to the R32F image.
// Level table rows (app/gpu/gpu_density.cpp): step i uses 3i (t), 3i + 1 (t + h/2), 3i + 2 (t + h),
// with t = ε + i·h as core; row 3·steps is t = 1, where the exact prior is evaluated.
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
  vec2 x[SCORE_BATCH], y[SCORE_BATCH], k1[SCORE_BATCH], k2[SCORE_BATCH], k3[SCORE_BATCH], k4[SCORE_BATCH];
  float l[SCORE_BATCH], d1[SCORE_BATCH], d2[SCORE_BATCH], d3[SCORE_BATCH], d4[SCORE_BATCH];
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = min(i0 + uint(b), u_count - 1u);  // past the band: repeat the last point (not stored)
    x[b] = u_origin + vec2(float(i % u_width), float(u_row0 + i / u_width)) * u_spacing;
    l[b] = 0.0;
  }
  for (int step = 0; step < u_steps; ++step) {
    uint row = uint(3 * step);
    augmented_rhs(row, x, k1, d1);
    if (u_solver == 0) {
      for (int b = 0; b < SCORE_BATCH; ++b) {
        x[b] += u_h * k1[b];
        l[b] += u_h * d1[b];
      }
    } else if (u_solver == 1) {
      for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_h * k1[b];
      augmented_rhs(row + 2u, y, k2, d2);
      for (int b = 0; b < SCORE_BATCH; ++b) {
        x[b] += u_half_h * (k1[b] + k2[b]);
        l[b] += u_half_h * (d1[b] + d2[b]);
      }
    } else {
      for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_half_h * k1[b];
      augmented_rhs(row + 1u, y, k2, d2);
      for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_half_h * k2[b];
      augmented_rhs(row + 1u, y, k3, d3);
      for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_h * k3[b];
      augmented_rhs(row + 2u, y, k4, d4);
      for (int b = 0; b < SCORE_BATCH; ++b) {
        x[b] += u_sixth_h * (k1[b] + 2.0 * k2[b] + 2.0 * k3[b] + k4[b]);
        l[b] += u_sixth_h * (d1[b] + 2.0 * d2[b] + 2.0 * d3[b] + d4[b]);
      }
    }
  }
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = i0 + uint(b);
    if (i >= u_count) break;
    imageStore(u_image, ivec2(int(i % u_width), int(u_row0 + i / u_width)), vec4(prior_log_prob(x[b]) + l[b]));
  }
}
