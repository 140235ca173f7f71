#version 430 core
// A heatmap texture stretched over a world-space rectangle (one quad, no vertex buffer:
// gl_VertexID 0..3 walks the corners as a triangle strip).
#include "view.glsl"

uniform vec2 u_world_min;  // the rectangle the texture covers, world units
uniform vec2 u_world_max;

out vec2 v_uv;

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  v_uv = corner;
  gl_Position = pixels_to_clip(world_to_pixels(mix(u_world_min, u_world_max, corner)));
}
