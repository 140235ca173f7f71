#version 430 core
// One Langevin step over all particles (core/samplers/langevin.cpp, langevin_update):
//   x ← x + a·s(x) + b·z,  z = normal2(seed, first + j, counter).
// Plain Langevin: a = ε, b = √(2ε), counter = k. Annealed (NCSN Alg. 1): a = αᵢ/2, b = √αᵢ.
#include "particles.glsl"
#include "rng.glsl"
#include "score.glsl"

uniform uint u_level;    // level table row of this step's noise level
uniform float u_a;       // drift factor
uniform float u_b;       // noise factor
uniform uint u_counter;  // RNG counter of this step

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH];
  load_batch(j0, x);
  score_batch(x, u_level, s);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint j = j0 + uint(b);
    if (j < u_end) store_particle(j, x[b] + (u_a * s[b] + u_b * normal2(u_seed, u_first + j, u_counter)));
  }
}
