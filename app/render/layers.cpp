#include "app/render/layers.hpp"

#include <algorithm>

#include <cstddef>

#include "app/gl/capabilities.hpp"
#include "app/gl/shader.hpp"

namespace scorelab {

void set_view_uniforms(const gl::Program& program, const ViewTransform& view) {
  glUniform2f(gl::uniform_location(program, "u_view_center"), static_cast<float>(view.center.x()),
              static_cast<float>(view.center.y()));
  glUniform1f(gl::uniform_location(program, "u_pixels_per_unit"), static_cast<float>(view.pixels_per_unit));
  glUniform2f(gl::uniform_location(program, "u_viewport"), static_cast<float>(view.viewport.x()),
              static_cast<float>(view.viewport.y()));
}

// ---- points ----------------------------------------------------------------------------------

PointLayer::PointLayer()
    : program_(gl::build_program("points.vert", "points.frag")),
      vao_(gl::make_vertex_array()),
      vbo_(gl::make_buffer()) {
  glBindVertexArray(vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, vbo_.id());
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
  glBindVertexArray(0);
}

void PointLayer::set_points(const Points& x) {
  const Eigen::Matrix<float, 2, Eigen::Dynamic> xf = x.cast<float>();  // (2, N), column-major = xy pairs
  gl::upload_buffer(GL_ARRAY_BUFFER, vbo_, xf.data(), static_cast<GLsizeiptr>(xf.size() * sizeof(float)),
                    capacity_, GL_STATIC_DRAW);
  count_ = static_cast<int>(x.cols());
}

void PointLayer::set_points(const float* xy, int n) {
  gl::upload_buffer(GL_ARRAY_BUFFER, vbo_, xy, static_cast<GLsizeiptr>(n) * 2 * sizeof(float), capacity_);
  count_ = n;
}

void PointLayer::draw(const ViewTransform& view, float size_px, const Rgba& color) const {
  if (count_ == 0) return;
  glUseProgram(program_.id());
  set_view_uniforms(program_, view);
  glUniform1f(gl::uniform_location(program_, "u_point_size"), size_px);
  glUniform4f(gl::uniform_location(program_, "u_color"), color.r, color.g, color.b, color.a);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glBindVertexArray(vao_.id());
  glDrawArrays(GL_POINTS, 0, count_);
  glBindVertexArray(0);
}

// ---- segments --------------------------------------------------------------------------------

SegmentBatch::SegmentBatch() : vao_(gl::make_vertex_array()), vbo_(gl::make_buffer()) {}

void SegmentBatch::add(const Vec2& a, const Vec2& b, const Rgba& color, float width_px) {
  segments_.push_back({static_cast<float>(a.x()), static_cast<float>(a.y()), static_cast<float>(b.x()),
                       static_cast<float>(b.y()), color, width_px});
}

void SegmentBatch::add_polyline(const std::vector<Vec2>& points, const Rgba& color, float width_px) {
  for (size_t i = 1; i < points.size(); ++i) add(points[i - 1], points[i], color, width_px);
}

void SegmentBatch::upload() {
  // Any target uploads; GL_ARRAY_BUFFER exists in every GL 3.3 context (GL_SHADER_STORAGE_BUFFER
  // from 4.3), and the buffer is read as a storage buffer or a buffer texture all the same.
  gl::upload_buffer(GL_ARRAY_BUFFER, vbo_, segments_.data(),
                    static_cast<GLsizeiptr>(segments_.size() * sizeof(Segment)), capacity_);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  uploaded_ = static_cast<int>(segments_.size());
}

void SegmentBatch::upload_with_room(int extra) {
  const size_t cpu = segments_.size();
  segments_.resize(cpu + static_cast<size_t>(std::max(extra, 0)), Segment{});  // placeholders the kernel overwrites
  upload();
  segments_.resize(cpu);
}

SegmentLayer::SegmentLayer()
    : program_(gl::build_program("segments.vert", "segments.frag")), storage_(gl::compute_available()) {
  if (!storage_) buffer_texture_ = gl::make_texture();
}

void SegmentLayer::draw(const SegmentBatch& batch, const ViewTransform& view) const {
  if (batch.uploaded_count() == 0) return;
  glUseProgram(program_.id());
  set_view_uniforms(program_, view);
  if (storage_) {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, batch.buffer());
  } else {  // GL 3.3: the same floats through a buffer texture (segments.vert, SCORELAB_GL33)
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_BUFFER, buffer_texture_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_R32F, batch.buffer());
    glUniform1i(gl::uniform_location(program_, "u_segments"), 0);
  }
  glBindVertexArray(batch.vao());  // no attributes: the shader reads the segments by gl_VertexID
  glDrawArrays(GL_TRIANGLES, 0, 6 * batch.uploaded_count());
  glBindVertexArray(0);
  if (storage_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, 0);
  else glBindTexture(GL_TEXTURE_BUFFER, 0);
}

}  // namespace scorelab
