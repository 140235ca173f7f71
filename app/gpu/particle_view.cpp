#include "app/gpu/particle_view.hpp"

#include <algorithm>
#include <cstdio>

#include "app/gl/shader.hpp"
#include "app/gpu/compute.hpp"

namespace scorelab {
namespace {

void set_view(const gl::Program& p, const ViewTransform& view) {
  gpu::set_uniform(p, "u_view_center", float(view.center.x()), float(view.center.y()));
  gpu::set_uniform(p, "u_pixels_per_unit", float(view.pixels_per_unit));
  gpu::set_uniform(p, "u_viewport", float(view.viewport.x()), float(view.viewport.y()));
}

}  // namespace

ParticleView::ParticleView()
    : points_program_(gl::build_program("points.vert", "points.frag")),
      trails_program_(gl::build_program("trails.vert", "segments.frag")),
      splat_program_(gpu::build_compute("splat_points.comp")),
      composite_program_(gl::build_program("splat_points.vert", "splat_points.frag")),
      coverage_(gl::make_buffer()),
      points_vao_(gl::make_vertex_array()),
      empty_vao_(gl::make_vertex_array()),
      own_points_(gl::make_buffer()),
      own_trails_(gl::make_buffer()) {
  // Attribute 0 reads vec2 from binding 0, whose buffer and offset are set per draw (GL 4.3
  // separate attribute format): the particle buffer is drawn in place.
  glBindVertexArray(points_vao_.id());
  glEnableVertexAttribArray(0);
  glVertexAttribFormat(0, 2, GL_FLOAT, GL_FALSE, 0);
  glVertexAttribBinding(0, 0);
  glBindVertexArray(0);
}

void ParticleView::clear() {
  count_ = 0;
  trails_ = TrailSource{};
}

void ParticleView::show_points(GLuint buffer, long first, int n, long version) {
  points_buffer_ = buffer;
  first_ = first;
  count_ = buffer != 0 ? std::max(n, 0) : 0;
  version_ = version;
}

void ParticleView::upload_points(const float* xy, int n) {
  gl::upload_buffer(GL_ARRAY_BUFFER, own_points_, xy, GLsizeiptr(n) * 8, own_points_capacity_);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  show_points(own_points_.id(), 0, n, version_ + 1);  // new contents
}

void ParticleView::show_trails(const TrailSource& source) {
  trails_ = source;
  if (source.buffer == 0 || source.capacity < 2 || source.stride < 1) trails_.segments = 0;
  trails_.segments = std::clamp(trails_.segments, 0, std::max(source.capacity - 1, 0));
  trails_.trails = std::clamp(trails_.trails, 0, source.stride);
}

void ParticleView::upload_trails(const std::vector<const float*>& frames, int trails) {
  const int slots = static_cast<int>(frames.size());
  if (slots < 2 || trails < 1) {
    trails_ = TrailSource{};
    return;
  }
  std::vector<float> packed(size_t(slots) * size_t(trails) * 2);  // (slots, T) vec2
  for (int s = 0; s < slots; ++s)
    std::copy(frames[size_t(s)], frames[size_t(s)] + 2 * trails, packed.begin() + ptrdiff_t(s) * trails * 2);
  gl::upload_buffer(GL_SHADER_STORAGE_BUFFER, own_trails_, packed.data(), GLsizeiptr(packed.size() * sizeof(float)),
                    own_trails_capacity_);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
  show_trails({own_trails_.id(), trails, slots, slots - 1, slots - 1, trails});
}

void ParticleView::draw_trails(const ViewTransform& view, const TrailLook& look) const {
  const int instances = trail_instances();
  if (instances <= 0) return;
  const gl::Program& p = trails_program_;
  glUseProgram(p.id());
  set_view(p, view);
  gpu::set_uniform(p, "u_stride", trails_.stride);
  gpu::set_uniform(p, "u_capacity", trails_.capacity);
  gpu::set_uniform(p, "u_newest_slot", trails_.newest_slot);
  gpu::set_uniform(p, "u_segments", trails_.segments);
  gpu::set_uniform(p, "u_trails", trails_.trails);
  glProgramUniform4f(p.id(), glGetUniformLocation(p.id(), "u_color"), look.color.r, look.color.g, look.color.b,
                     look.color.a);
  gpu::set_uniform(p, "u_width", look.width_px);
  gpu::set_uniform(p, "u_fade_px", look.fade_px);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, trails_.buffer);
  // Whatever wrote the ring (compute kernels, buffer copies) is visible to this draw.
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
  glBindVertexArray(empty_vao_.id());
  glDrawArrays(GL_TRIANGLES, 0, 6 * instances);  // not instanced: far cheaper on llvmpipe
  glBindVertexArray(0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, 0);
}

void ParticleView::draw_points(const ViewTransform& view, float size_px, const Rgba& color) {
  if (count_ <= 0) return;
  if (splats()) {
    splat_points(view, size_px, color);
    return;
  }
  const gl::Program& p = points_program_;
  glUseProgram(p.id());
  set_view(p, view);
  gpu::set_uniform(p, "u_point_size", size_px);
  glProgramUniform4f(p.id(), glGetUniformLocation(p.id(), "u_color"), color.r, color.g, color.b, color.a);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glMemoryBarrier(GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT);
  glBindVertexArray(points_vao_.id());
  glBindVertexBuffer(0, points_buffer_, GLintptr(first_) * 8, 8);
  glDrawArrays(GL_POINTS, 0, count_);
  glBindVertexBuffer(0, 0, 0, 8);
  glBindVertexArray(0);
}

// Clears the coverage buffer (one uint per viewport pixel), splats every particle into it, then
// composites it over the target with one triangle covering the viewport.
void ParticleView::splat_points(const ViewTransform& view, float size_px, const Rgba& color) {
  GLint vp[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, vp);
  const int w = static_cast<int>(view.viewport.x()), h = static_cast<int>(view.viewport.y());
  if (w <= 0 || h <= 0) return;
  char key[256];
  std::snprintf(key, sizeof key, "%u %ld %d %ld %.9g %.9g %.9g %d %d %g", points_buffer_, first_, count_, version_,
                view.center.x(), view.center.y(), view.pixels_per_unit, w, h, size_px);
  if (splat_key_ != key) {  // paused, or between the steps of a slow run: the coverage still holds
    const GLsizeiptr bytes = GLsizeiptr(w) * h * 4;
    glBindBuffer(GL_SHADER_STORAGE_BUFFER, coverage_.id());
    if (bytes > coverage_bytes_) {
      glBufferData(GL_SHADER_STORAGE_BUFFER, bytes, nullptr, GL_DYNAMIC_COPY);
      coverage_bytes_ = bytes;
    }
    const GLuint zero = 0;
    glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, 0, bytes, GL_RED_INTEGER, GL_UNSIGNED_INT, &zero);
    glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
    const gl::Program& s = splat_program_;
    glUseProgram(s.id());
    set_view(s, view);
    gpu::set_uniform(s, "u_first", unsigned(first_));
    gpu::set_uniform(s, "u_count", unsigned(count_));
    gpu::set_uniform(s, "u_point_size", size_px);
    glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);  // the kernels that wrote the particles are done
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, points_buffer_);
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, coverage_.id());
    gpu::dispatch_flat(GLuint(count_), 64);
    glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    splat_key_ = key;
  }
  const gl::Program& c = composite_program_;
  glUseProgram(c.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, coverage_.id());
  glProgramUniform4f(c.id(), glGetUniformLocation(c.id(), "u_color"), color.r, color.g, color.b, color.a);
  glProgramUniform2i(c.id(), glGetUniformLocation(c.id(), "u_origin"), vp[0], vp[1]);
  gpu::set_uniform(c, "u_width", w);
  glBindVertexArray(empty_vao_.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, 0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, 0);
}

}  // namespace scorelab
