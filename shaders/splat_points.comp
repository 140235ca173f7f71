#version 430 core
// Particles splatted into a coverage buffer, one invocation per particle (app/gpu/particle_view.cpp):
// on Mesa llvmpipe a GL point costs ~1 µs of setup whatever its size (10⁶ points: ~1 s a frame),
// while this kernel writes the few pixels of each disc directly. Pixel (x, y) of the w × h canvas
// (the viewport, y up) sums the coverage of every particle over it, in 1/255 of a particle, and
// coverage[w·h] keeps the largest such sum: the composite (splat_points.frag) shades by density,
// so a million particles show where they are dense instead of one flat disc. 255 per particle fits
// 1.6·10⁷ particles on one pixel in 32 bits.
layout(local_size_x = 64) in;
#include "view.glsl"

layout(std430, binding = 0) readonly buffer Points { vec2 points[]; };
layout(std430, binding = 1) buffer Coverage { uint coverage[]; };

uniform uint u_first;        // vec2 index of particle 0 in Points
uniform uint u_count;        // N
uniform float u_point_size;  // diameter in pixels

void main() {
  uint i = gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x;
  if (i >= u_count) return;
  ivec2 size = ivec2(u_viewport);
  vec2 p = world_to_pixels(points[u_first + i]) + 0.5 * u_viewport;  // pixels from the bottom-left corner
  float r = 0.5 * u_point_size;
  ivec2 lo = max(ivec2(floor(p - r - 0.5)), ivec2(0));
  ivec2 hi = min(ivec2(ceil(p + r + 0.5)), size - 1);
  uint densest = 0u;
  for (int y = lo.y; y <= hi.y; ++y) {
    for (int x = lo.x; x <= hi.x; ++x) {
      // The same anti-aliased disc as points.frag: a one-pixel ramp at radius r.
      float c = clamp(r + 0.5 - length(vec2(x, y) + 0.5 - p), 0.0, 1.0);
      uint add = uint(c * 255.0 + 0.5);
      if (add > 0u) densest = max(densest, atomicAdd(coverage[y * size.x + x], add) + add);
    }
  }
  // Only a particle that beats the densest sum seen so far takes the atomic on coverage[w·h] (a stale
  // read only costs an atomic that changes nothing). The window's median frame at 10⁶ particles: an
  // atomic from every particle on that one word 36.2 ms, this 34.5 ms, the unshaded splat 34.0 ms; a
  // workgroup reduction with barrier() was no faster there and ~9 ms slower at p95 with 10⁵ (llvmpipe
  // runs barriers as coroutines).
  if (densest > coverage[size.x * size.y]) atomicMax(coverage[size.x * size.y], densest);
}
