#version 430 core
// One Euler–Maruyama step of the reverse-time SDE from t to t − h (core/samplers/reverse_sde.cpp,
// reverse_em_update), also the predictor of predictor–corrector:
//   drift = f(t)·x − g(t)²·s(x, t);  x ← x − drift·h + g(t)√h·z.
#include "particles.glsl"
#include "rng.glsl"
#include "score.glsl"

uniform uint u_level;         // level table row of t
uniform float u_f;            // f(t)
uniform float u_g2;           // g(t)²
uniform float u_h;            // h = (1 − ε)/N
uniform float u_noise_scale;  // g(t)·√h
uniform uint u_counter;       // k (EM) or k·(M + 1) + M (PC predictor)

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH];
  load_batch(j0, x);
  score_batch(x, u_level, s);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint j = j0 + uint(b);
    if (j >= u_end) break;
    vec2 drift = u_f * x[b] - u_g2 * s[b];
    store_particle(j, x[b] + (-drift * u_h + u_noise_scale * normal2(u_seed, u_first + j, u_counter)));
  }
}
