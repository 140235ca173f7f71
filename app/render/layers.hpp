// GL layers of the plane view: points (one GL_POINT each) and thick segments (two triangles each).
// Each layer owns its program and buffers; draw() assumes the target framebuffer is bound, blending
// is on, and sets the view uniforms from a ViewTransform whose viewport is the target's size.
#pragma once

#include <vector>

#include "app/gl/objects.hpp"
#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"

namespace scorelab {

// Sets view.glsl's uniforms (u_view_center, u_pixels_per_unit, u_viewport) on the bound program.
void set_view_uniforms(const gl::Program& program, const ViewTransform& view);

class PointLayer {
 public:
  PointLayer();
  // x: (2, N) world points; converted to float and uploaded once (not per frame).
  void set_points(const Points& x);
  // xy: n interleaved (x, y) float pairs, re-uploaded into the same buffer (per-frame particles).
  void set_points(const float* xy, int n);
  int count() const { return count_; }
  // size_px: diameter in framebuffer pixels; color.a multiplies the coverage.
  void draw(const ViewTransform& view, float size_px, const Rgba& color) const;

 private:
  gl::Program program_;
  gl::VertexArray vao_;
  gl::Buffer vbo_;
  GLsizeiptr capacity_ = 0;
  int count_ = 0;
};

// A CPU list of segments plus its GPU copy; add(), then upload(), then SegmentLayer::draw().
class SegmentBatch {
 public:
  SegmentBatch();
  void clear() { segments_.clear(); }
  void add(const Vec2& a, const Vec2& b, const Rgba& color, float width_px);
  void add_polyline(const std::vector<Vec2>& points, const Rgba& color, float width_px);
  void upload();
  // Uploads the CPU segments followed by room for `extra` more that a compute kernel fills in the
  // same 9-float layout from segment index cpu_count() on (the GPU score-field arrows); all are drawn.
  void upload_with_room(int extra);
  int cpu_count() const { return static_cast<int>(segments_.size()); }
  int uploaded_count() const { return uploaded_; }
  GLuint vao() const { return vao_.id(); }        // attribute-less: bound only because core GL draws need one
  GLuint buffer() const { return vbo_.id(); }     // the segments, read by segments.vert (storage buffer or buffer texture)

 private:
  struct Segment {  // 9 floats per segment, as segments.vert reads them
    float x0, y0, x1, y1;
    Rgba color;
    float width;
  };
  std::vector<Segment> segments_;
  gl::VertexArray vao_;
  gl::Buffer vbo_;
  GLsizeiptr capacity_ = 0;
  int uploaded_ = 0;
};

// Reads the batch as a storage buffer (GL 4.3), or below 4.3 as a buffer texture (GL 3.3 core).
class SegmentLayer {
 public:
  SegmentLayer();
  void draw(const SegmentBatch& batch, const ViewTransform& view) const;

 private:
  gl::Program program_;
  bool storage_ = true;      // the context has storage buffers (gl::compute_available)
  gl::Texture buffer_texture_;  // GL 3.3: a GL_R32F view of the batch's buffer
};

}  // namespace scorelab
