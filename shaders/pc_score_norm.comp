#version 430 core
// Predictor–corrector, corrector pass 1 of 3 (core/samplers/reverse_sde.cpp): s = score(x, t) for
// every particle into the scratch buffer, and each workgroup's sum of ‖s‖ into pc_sums[1 + group]
// (a fixed-order tree, so the result does not depend on timing). pc_reduce.comp takes the mean.
// `group` is global — particles group·64·SCORE_BATCH … + 64·SCORE_BATCH − 1 — and slices start on
// such multiples, so a step run in slices fills every slot with the same sum as a whole one.
// Groups of the dispatch grid past the slice (padding of its last row) write nothing.
#include "particles.glsl"
#include "score.glsl"

layout(std430, binding = 2) writeonly buffer Scratch { vec2 scratch[]; };
layout(std430, binding = 5) buffer PcSums { float pc_sums[]; };  // [0]: mean ‖s‖, [1 + g]: group sums

uniform uint u_level;

shared float partial[gl_WorkGroupSize.x];

void main() {
  uint j0 = batch_start();
  float norm = 0.0;
  if (!score_may_skip(j0, u_end)) {
    vec2 x[SCORE_BATCH], s[SCORE_BATCH];
    load_batch(j0, x);
    score_batch(x, u_level, s);
    for (int b = 0; b < SCORE_BATCH; ++b) {
      uint j = j0 + uint(b);
      if (j >= u_end) break;
      scratch[j] = s[b];
      norm += length(s[b]);
    }
  }
  uint i = gl_LocalInvocationID.x;
  partial[i] = norm;
  barrier();
  for (uint stride = gl_WorkGroupSize.x / 2u; stride > 0u; stride /= 2u) {
    if (i < stride) partial[i] += partial[i + stride];
    barrier();
  }
  if (i == 0u && j0 < u_end) pc_sums[1u + j0 / (gl_WorkGroupSize.x * uint(SCORE_BATCH))] = partial[0];
}
