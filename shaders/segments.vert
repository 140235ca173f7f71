#version 430 core
// Thick anti-aliased line segments as quads (core GL has no wide lines), two triangles each, drawn
// without instancing: segment i is vertices 6i … 6i + 5 (gl_VertexID), its data read from a storage
// buffer. (On Mesa llvmpipe, instanced quads cost ~10 µs of vertex work per instance: 5,000 arrows
// took ~40 ms a frame; as plain triangles they take a few.)
#include "view.glsl"

// 9 floats per segment, app/render/layers.hpp SegmentBatch::Segment: x0 y0 x1 y1, r g b a, width.
// Below GL 4.3 (no storage buffers; the loader defines SCORELAB_GL33 and puts "#version 330 core"
// above) the same buffer is read as a GL_R32F buffer texture on unit 0.
#ifdef SCORELAB_GL33
uniform samplerBuffer u_segments;
float segment_float(int i) { return texelFetch(u_segments, i).r; }
#else
layout(std430, binding = 0) readonly buffer Segments { float segments[]; };
float segment_float(int i) { return segments[i]; }
#endif

out vec4 v_color;
out vec2 v_offset;      // (along, across) distance from the segment in pixels
out float v_half_width;  // pixels
out float v_half_length; // pixels

const int kCorners[6] = int[6](0, 1, 2, 2, 1, 3);  // the quad's strip corners as two triangles

void main() {
  int b = (gl_VertexID / 6) * 9;
  vec4 a_endpoints = vec4(segment_float(b), segment_float(b + 1), segment_float(b + 2), segment_float(b + 3));
  vec4 a_color = vec4(segment_float(b + 4), segment_float(b + 5), segment_float(b + 6), segment_float(b + 7));
  float a_width = segment_float(b + 8);
  vec2 p0 = world_to_pixels(a_endpoints.xy);
  vec2 p1 = world_to_pixels(a_endpoints.zw);
  vec2 d = p1 - p0;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  float half_width = 0.5 * a_width;
  float reach = half_width + 1.0;  // one extra pixel for the anti-aliased edge

  int corner = kCorners[gl_VertexID % 6];
  float along = (corner & 1) == 0 ? -0.5 : len + 0.5;  // butt ends + half a pixel of smoothing
  float across = corner < 2 ? -reach : reach;
  vec2 pixel = p0 + dir * along + normal * across;

  v_color = a_color;
  v_offset = vec2(along - 0.5 * len, across);
  v_half_width = half_width;
  v_half_length = 0.5 * len;
  gl_Position = pixels_to_clip(pixel);
}
