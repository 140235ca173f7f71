#version 430 core
// One stochastic Heun step of the reverse-time SDE from t to t − h (core/samplers/reverse_sde.cpp,
// EulerMaruyamaSampler with solver heun), for additive noise and one draw z:
//   a(x; P) = −(f_P·x − g_P²·s(x, P))           the reverse drift at level row P
//   x̃ = x + a(x; start)·h + u_noise_start·z      (the Euler–Maruyama predictor)
//   x ← x + ½(a(x; start) + a(x̃; end))·h + u_noise_mean·z
// Level rows: u_level (start, t) and u_level + 1 (end, t − h), with f and ½g² from the host.
#include "particles.glsl"
#include "rng.glsl"
#include "score.glsl"

uniform uint u_level;
uniform float u_h;            // h = t_k − t_{k+1} > 0
uniform float u_noise_start;  // g(t)·√h
uniform float u_noise_mean;   // ½(g(t) + g(t − h))·√h
uniform uint u_counter;       // k

vec2 reverse_drift(uint row, vec2 x, vec2 s) { return 2.0 * level_half_g2(row) * s - level_drift(row) * x; }

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH], xt[SCORE_BATCH], st[SCORE_BATCH], z[SCORE_BATCH];
  load_batch(j0, x);
  score_batch(x, u_level, s);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    z[b] = normal2(u_seed, u_first + j0 + uint(b), u_counter);
    xt[b] = x[b] + (reverse_drift(u_level, x[b], s[b]) * u_h + u_noise_start * z[b]);
  }
  score_batch(xt, u_level + 1u, st);
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint j = j0 + uint(b);
    if (j >= u_end) break;
    vec2 a = reverse_drift(u_level, x[b], s[b]) + reverse_drift(u_level + 1u, xt[b], st[b]);
    store_particle(j, x[b] + (0.5 * u_h * a + u_noise_mean * z[b]));
  }
}
