#version 430 core
uniform vec4 u_color;       // straight (not premultiplied) alpha
uniform float u_point_size;  // diameter in pixels

out vec4 frag_color;

void main() {
  // gl_PointCoord spans the sprite (u_point_size + 1 pixels); r is the distance from the centre in pixels.
  float r = length(gl_PointCoord - 0.5) * (u_point_size + 1.0);
  float coverage = clamp(0.5 * u_point_size + 0.5 - r, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  frag_color = vec4(u_color.rgb, u_color.a * coverage);
}
