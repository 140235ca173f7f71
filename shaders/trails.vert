#version 430 core
// Particle trails straight from a ring of recorded frames (app/gpu/particle_view.cpp): no CPU-built
// geometry. Quad i (vertices 6i … 6i + 5, two triangles, no instancing: see segments.vert) joins
// particle j = i mod T between two consecutive frames of the ring, the newer end `back` frames behind
// the newest. The quad and its varyings are segments.vert's (drawn with segments.frag).
#include "view.glsl"

// Slot r of the ring holds u_stride positions at r·u_stride (the GPU engine's ring, or the CPU
// path's small upload of the trail frames). Below GL 4.3 (SCORELAB_GL33, "#version 330 core") the
// same buffer is read as a GL_RG32F buffer texture on unit 0.
#ifdef SCORELAB_GL33
uniform samplerBuffer u_frames;
vec2 frame_point(int i) { return texelFetch(u_frames, i).rg; }
#else
layout(std430, binding = 0) readonly buffer Frames { vec2 frames[]; };
vec2 frame_point(int i) { return frames[i]; }
#endif

uniform int u_stride;       // vec2 per slot (N for the GPU ring)
uniform int u_capacity;     // slots in the ring
uniform int u_newest_slot;  // the slot of the frame on screen
uniform int u_segments;     // segments per trail
uniform int u_trails;       // particles with a trail: the first T
uniform vec4 u_color;       // straight alpha: rgb, and the newest segment's alpha in a
uniform float u_width;      // pixels
uniform float u_fade_px;    // segments longer than this fade as (fade/length)²; 0: no fading

out vec4 v_color;
out vec2 v_offset;
out float v_half_width;
out float v_half_length;

int slot_back(int back) { return ((u_newest_slot - back) % u_capacity + u_capacity) % u_capacity; }

// app/render/frame_history.hpp trail_length_fade(): long jumps (high noise) would clutter the plane.
float length_fade(float len) {
  if (u_fade_px <= 0.0 || len <= u_fade_px) return 1.0;
  float r = u_fade_px / len;
  return r * r;
}

const int kCorners[6] = int[6](0, 1, 2, 2, 1, 3);

void main() {
  int quad = gl_VertexID / 6;
  int j = quad % u_trails;
  int s = quad / u_trails;  // 0: the oldest segment
  int back = u_segments - 1 - s;     // frames between the segment's newer end and the newest frame
  vec2 p0 = world_to_pixels(frame_point(slot_back(back + 1) * u_stride + j));
  vec2 p1 = world_to_pixels(frame_point(slot_back(back) * u_stride + j));
  vec2 d = p1 - p0;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  float half_width = 0.5 * u_width;
  float reach = half_width + 1.0;

  int corner = kCorners[gl_VertexID % 6];
  float along = (corner & 1) == 0 ? -0.5 : len + 0.5;
  float across = corner < 2 ? -reach : reach;
  vec2 pixel = p0 + dir * along + normal * across;

  // trail_alphas(): the newest segment u_color.a, fading linearly to u_color.a / segments.
  float age = float(s + 1) / float(u_segments);
  v_color = vec4(u_color.rgb, u_color.a * age * length_fade(len));
  v_offset = vec2(along - 0.5 * len, across);
  v_half_width = half_width;
  v_half_length = 0.5 * len;
  gl_Position = pixels_to_clip(pixel);
}
