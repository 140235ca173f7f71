#version 430 core
// Predictor–corrector, corrector pass 3 of 3 (core/samplers/reverse_sde.cpp): one Langevin
// corrector step with Song et al.'s population step size, d = 2 so ‖z‖ → √2:
//   r = snr·√2 / mean‖s‖,  e = 2α·r²,  x ← x + e·s + √(2e)·z.
// A zero or non-finite mean (a zero field) leaves x unchanged, as core's `continue`.
// One particle per invocation: no score is evaluated here (it is in the scratch buffer).
#include "particles.glsl"
#include "rng.glsl"

layout(std430, binding = 2) readonly buffer Scratch { vec2 scratch[]; };
layout(std430, binding = 5) readonly buffer PcSums { float pc_sums[]; };

uniform float u_alpha;   // 1 (VE) or 1 − β(t)·h (VP, sub-VP)
uniform float u_snr;     // r
uniform uint u_counter;  // k·(M + 1) + c

void main() {
  uint j = batch_start();  // SCORE_BATCH 1: one particle per invocation
  if (j >= u_end) return;
  float mean_norm = pc_sums[0];
  if (!(mean_norm > 0.0) || isinf(mean_norm) || isnan(mean_norm)) return;
  float r = u_snr * 1.4142135623730951 / mean_norm;
  float e = 2.0 * u_alpha * r * r;
  float noise_scale = sqrt(2.0 * e);
  store_particle(j, particles[j] + (e * scratch[j] + noise_scale * normal2(u_seed, u_first + j, u_counter)));
}
