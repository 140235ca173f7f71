#version 430 core
// The splatted particles (splat_points.comp) over the plane, shaded by density: with n the particles
// over a pixel (coverage / 255) and n_max that of the densest pixel, the particle colour at opacity
//   a · min(n, 1) · (f + (1 − f)·√(max(n, 1) / max(n_max, 1))),   f = kFloor.
// Where no two particles overlap (n_max ≤ 1) this is a·coverage, the GL point's own anti-aliased disc
// (points.frag); in a crowd the opacity grows with √n up to a at the densest pixel, so that a mode
// holding four times the particles of another looks denser instead of both saturating, while a lone
// straggler keeps at least f·a. Nothing where no particle is.
layout(std430, binding = 1) readonly buffer Coverage { uint coverage[]; };

uniform vec4 u_color;       // straight alpha
uniform ivec2 u_origin;     // the viewport's bottom-left corner in window pixels
uniform int u_width;        // coverage row length
uniform int u_pixels;       // width · height: coverage[u_pixels] is the densest pixel's sum

const float kFloor = 0.25;

out vec4 frag_color;

void main() {
  ivec2 q = ivec2(gl_FragCoord.xy) - u_origin;
  uint c = coverage[q.y * u_width + q.x];
  if (c == 0u) discard;
  float n = float(c) / 255.0, n_max = float(coverage[u_pixels]) / 255.0;
  float shade = kFloor + (1.0 - kFloor) * sqrt(max(n, 1.0) / max(n_max, 1.0));
  frag_color = vec4(u_color.rgb, u_color.a * min(n, 1.0) * shade);
}
