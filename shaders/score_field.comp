#version 430 core
// The score field at many points: the arrows of the plane view (a grid, straight into a GPU buffer)
// and the probe of the parity tests (given points). out[i] = (s.x, s.y, ∇·s or 0, 0); the host
// defines FIELD_WITH_DIV for the divergence (a second program: the forward-mode pass costs ~3×).
#include "score.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 6) readonly buffer ProbeIn { vec2 points[]; };
layout(std430, binding = 7) writeonly buffer ProbeOut { vec4 field[]; };

uniform uint u_count;       // points (grid: nx·ny)
uniform uint u_level;       // level table row
uniform int u_grid;         // 1: point i is u_origin + (i mod nx, i div nx)·u_spacing; 0: points[i]
uniform uint u_grid_width;  // nx
uniform vec2 u_origin;
uniform vec2 u_spacing;

vec2 point(uint i) {
  if (i >= u_count) return vec2(0.0);
  if (u_grid == 0) return points[i];
  return u_origin + vec2(float(i % u_grid_width), float(i / u_grid_width)) * u_spacing;
}

void main() {
  uint i0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x) * uint(SCORE_BATCH);
  if (i0 >= u_count) return;
  vec2 x[SCORE_BATCH], s[SCORE_BATCH];
  float div[SCORE_BATCH];
  for (int b = 0; b < SCORE_BATCH; ++b) {
    x[b] = point(i0 + uint(b));
    div[b] = 0.0;
  }
#ifdef FIELD_WITH_DIV
  score_div_batch(x, u_level, s, div);
#else
  score_batch(x, u_level, s);
#endif
  for (int b = 0; b < SCORE_BATCH; ++b)
    if (i0 + uint(b) < u_count) field[i0 + uint(b)] = vec4(s[b], div[b], 0.0);
}
