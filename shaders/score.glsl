#ifndef SCORELAB_SCORE_GLSL
#define SCORELAB_SCORE_GLSL
// The one score interface of the kernels, like core's ScoreFunction: the exact mixture score
// (mixture_score.glsl), the network (mlp.glsl, when the host defines SCORE_MLP) or the ideal score of
// a point set (ideal_score.glsl, SCORE_IDEAL), for a batch of SCORE_BATCH points (see particles.glsl). `level` indexes the level table of sde.glsl.
#ifndef SCORE_BATCH
#define SCORE_BATCH 1
#endif
#include "sde.glsl"

#if defined(SCORE_MLP) && defined(MLP_FUSED)
#include "mlp_fused.glsl"
#elif defined(SCORE_MLP)
#include "mlp.glsl"
#elif defined(SCORE_IDEAL)
#include "ideal_score.glsl"
#else
#include "mixture_score.glsl"
#endif

// Whether the invocation whose batch starts at point i0 (of `count`) may return without scoring.
// The fused network kernel (mlp_fused.glsl) synchronises the whole workgroup inside the score
// (barriers), so there an invocation past the end keeps going with dummy points (and stores
// nothing) unless its whole workgroup is past the end.
bool score_may_skip(uint i0, uint count) {
#if defined(MLP_FUSED)
  return i0 - gl_LocalInvocationID.x * uint(SCORE_BATCH) >= count;
#else
  return i0 >= count;
#endif
}

void score_batch(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH]) {
#if defined(SCORE_MLP)
  mlp_score(x, level, s);
#elif defined(SCORE_IDEAL)
  for (int b = 0; b < SCORE_BATCH; ++b) s[b] = ideal_score(x[b], level);
#else
  for (int b = 0; b < SCORE_BATCH; ++b) s[b] = mixture_score(x[b], level);
#endif
}

void score_div_batch(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH], out float div[SCORE_BATCH]) {
#if defined(SCORE_MLP)
  mlp_score_div(x, level, s, div);
#elif defined(SCORE_IDEAL)
  for (int b = 0; b < SCORE_BATCH; ++b) s[b] = ideal_score_div(x[b], level, div[b]);
#else
  for (int b = 0; b < SCORE_BATCH; ++b) s[b] = mixture_score_div(x[b], level, div[b]);
#endif
}

#endif  // SCORELAB_SCORE_GLSL
