#version 430 core
// The optional final denoising step (core: Sampler::tweedie): Tweedie's posterior mean
//   x ← (x + s²·score(x))/m  at the last level.
#include "particles.glsl"
#include "score.glsl"

uniform uint u_level;
uniform float u_s2;  // s² of that level
uniform float u_m;   // m of that level

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH];
  load_batch(j0, x);
  score_batch(x, u_level, s);
  for (int b = 0; b < SCORE_BATCH; ++b)
    if (j0 + uint(b) < u_end) store_particle(j0 + uint(b), (x[b] + u_s2 * s[b]) / u_m);
}
