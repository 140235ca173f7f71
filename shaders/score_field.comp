#version 430 core
// The score field at many points: the arrows of the plane view (a grid, straight into a GPU buffer)
// and the probe of the parity tests (given points). out[i] = (s.x, s.y, ∇·s or 0, 0); the host
// defines FIELD_WITH_DIV for the divergence (a second program: the forward-mode pass costs ~3×).
//
// With FIELD_ARROWS the kernel writes the plane view's arrows instead: for grid point i, three
// segments (shaft, two barbs) at segment index u_first + 3i of the field layer's segment buffer, in
// the 9-float layout segments.vert reads — the twin of app/render/arrow_field.cpp arrow_segments()
// (lengths, 25° barbs of 0.35·length, colour by |s| on the theme's arrow map). For the difference field the host first
// fills the true field (a mixture's kernel) and this pass subtracts it (u_subtract).
#include "score.glsl"

layout(local_size_x = 64) in;
#ifdef FIELD_ARROWS
layout(std430, binding = 6) readonly buffer Subtract { vec4 truth_field[]; };  // (s.x, s.y, ·, ·) per grid point
layout(std430, binding = 7) writeonly buffer Segments { float segments[]; };
uniform uint u_first;         // segment index of arrow 0's shaft
uniform float u_max_length;   // world units
uniform float u_reference;    // |s| of a full-length arrow and of the top colour
uniform int u_normalise;
uniform int u_subtract;       // 1: the field is s − truth_field[i]
uniform float u_width;        // pixels
uniform float u_alpha;
#else
layout(std430, binding = 6) readonly buffer ProbeIn { vec2 points[]; };
layout(std430, binding = 7) writeonly buffer ProbeOut { vec4 field[]; };
#endif

uniform uint u_count;       // points (grid: nx·ny)
uniform uint u_level;       // level table row
uniform int u_grid;         // 1: point i is u_origin + (i mod nx, i div nx)·u_spacing; 0: points[i]
uniform uint u_grid_width;  // nx
uniform vec2 u_origin;
uniform vec2 u_spacing;

vec2 point(uint i) {
  if (i >= u_count) return vec2(0.0);
#ifndef FIELD_ARROWS
  if (u_grid == 0) return points[i];
#endif
  return u_origin + vec2(float(i % u_grid_width), float(i / u_grid_width)) * u_spacing;
}

#ifdef FIELD_ARROWS
// The arrows' colour map: its nine anchors from app/plane/color_map.cpp (color_map_anchors of
// arrow_color_map(theme)), interpolated linearly as color_map() does.
uniform vec3 u_ramp[9];

vec3 arrow_ramp(float u) {
  float x = clamp(u, 0.0, 1.0) * 8.0;
  int i = min(int(x), 7);
  return mix(u_ramp[i], u_ramp[i + 1], x - float(i));
}

void write_segment(uint k, vec2 a, vec2 b, vec4 color, float width) {
  uint o = 9u * k;
  segments[o] = a.x;
  segments[o + 1u] = a.y;
  segments[o + 2u] = b.x;
  segments[o + 3u] = b.y;
  segments[o + 4u] = color.r;
  segments[o + 5u] = color.g;
  segments[o + 6u] = color.b;
  segments[o + 7u] = color.a;
  segments[o + 8u] = width;
}

// arrow_length, arrow_shape and magnitude_color of app/plane/arrow_field.cpp.
void write_arrow(uint i, vec2 center, vec2 v) {
  uint k = u_first + 3u * i;
  float magnitude = length(v);
  bool ok = !isnan(magnitude) && !isinf(magnitude) && magnitude > 0.0;
  float len = !ok ? 0.0 : (u_normalise != 0 || !(u_reference > 0.0)) ? u_max_length
                                                                      : u_max_length * min(1.0, magnitude / u_reference);
  if (len <= 0.0) {  // nothing to draw: zero-width segments are discarded by segments.frag
    for (uint j = 0u; j < 3u; ++j) write_segment(k + j, center, center, vec4(0.0), 0.0);
    return;
  }
  vec2 dir = v / magnitude;
  vec2 tail = center - 0.5 * len * dir, tip = center + 0.5 * len * dir;
  float head = 0.35 * len;
  const float c = cos(0.436), s = sin(0.436);  // 25°
  vec2 back = -dir;
  vec2 left = tip + head * vec2(c * back.x - s * back.y, s * back.x + c * back.y);
  vec2 right = tip + head * vec2(c * back.x + s * back.y, -s * back.x + c * back.y);
  vec4 color = vec4(arrow_ramp(0.15 + 0.85 * min(1.0, magnitude / max(u_reference, 1e-12))), u_alpha);
  write_segment(k, tail, tip, color, u_width);
  write_segment(k + 1u, tip, left, color, u_width);
  write_segment(k + 2u, tip, right, color, u_width);
}
#endif

void main() {
  uint i0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x) * uint(SCORE_BATCH);
  if (score_may_skip(i0, u_count)) return;
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
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint i = i0 + uint(b);
    if (i >= u_count) break;
#ifdef FIELD_ARROWS
    write_arrow(i, x[b], u_subtract != 0 ? s[b] - truth_field[i].xy : s[b]);
#else
    field[i] = vec4(s[b], div[b], 0.0);
#endif
  }
}
