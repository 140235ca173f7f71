#version 430 core
// Thick anti-aliased line segments as instanced quads (core GL has no wide lines).
// One instance per segment; gl_VertexID 0..3 walks the quad's corners as a triangle strip.
#include "view.glsl"

layout(location = 0) in vec4 a_endpoints;  // (x0, y0, x1, y1) world units
layout(location = 1) in vec4 a_color;      // straight alpha
layout(location = 2) in float a_width;     // pixels

out vec4 v_color;
out vec2 v_offset;      // (along, across) distance from the segment in pixels
out float v_half_width;  // pixels
out float v_half_length; // pixels

void main() {
  vec2 p0 = world_to_pixels(a_endpoints.xy);
  vec2 p1 = world_to_pixels(a_endpoints.zw);
  vec2 d = p1 - p0;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  float half_width = 0.5 * a_width;
  float reach = half_width + 1.0;  // one extra pixel for the anti-aliased edge

  int corner = gl_VertexID & 3;
  float along = (corner & 1) == 0 ? -0.5 : len + 0.5;  // butt ends + half a pixel of smoothing
  float across = corner < 2 ? -reach : reach;
  vec2 pixel = p0 + dir * along + normal * across;

  v_color = a_color;
  v_offset = vec2(along - 0.5 * len, across);
  v_half_width = half_width;
  v_half_length = 0.5 * len;
  gl_Position = pixels_to_clip(pixel);
}
