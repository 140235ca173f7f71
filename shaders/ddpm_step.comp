#version 430 core
// One ancestral step of the discretised chain (core/samplers/probability_flow.cpp, DdpmSampler):
//   x ← a·x + b·s(x, t) + c·z, with (a, b, c) from the host in double:
//   VP: β = β(t)·h, a = 1/√(1 − β), b = β·a, c = √β; VE (SMLD): a = 1, b = σ² − σ'², c = √(σ'²(σ² − σ'²)/σ²).
#include "particles.glsl"
#include "rng.glsl"
#include "score.glsl"

uniform uint u_level;
uniform float u_a;
uniform float u_b;
uniform float u_c;
uniform uint u_counter;  // k

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH];
  load_batch(j0, x);
  score_batch(x, u_level, s);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint j = j0 + uint(b);
    if (j < u_end) store_particle(j, u_a * x[b] + u_b * s[b] + u_c * normal2(u_seed, u_first + j, u_counter));
  }
}
