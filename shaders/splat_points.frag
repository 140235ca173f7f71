#version 430 core
// The splatted particles (splat_points.comp) over the plane: the particle colour with the pixel's
// coverage as alpha, nothing where no particle is.
layout(std430, binding = 1) readonly buffer Coverage { uint coverage[]; };

uniform vec4 u_color;       // straight alpha
uniform ivec2 u_origin;     // the viewport's bottom-left corner in window pixels
uniform int u_width;        // coverage row length

out vec4 frag_color;

void main() {
  ivec2 q = ivec2(gl_FragCoord.xy) - u_origin;
  uint c = coverage[q.y * u_width + q.x];
  if (c == 0u) discard;
  frag_color = vec4(u_color.rgb, u_color.a * float(c) / 255.0);
}
