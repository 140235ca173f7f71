#include "app/render/particle_view.hpp"

#include <algorithm>
#include <cstdio>

#include "app/gl/capabilities.hpp"
#include "app/gl/shader.hpp"
#include "app/gl/compute.hpp"

namespace scorelab {
namespace {

// Uniforms of the bound program (glUniform: GL 3.3; glProgramUniform needs 4.1).
GLint at(const gl::Program& p, const char* name) { return glGetUniformLocation(p.id(), name); }
void uniform(const gl::Program& p, const char* name, float v) { glUniform1f(at(p, name), v); }
void uniform(const gl::Program& p, const char* name, int v) { glUniform1i(at(p, name), v); }
void uniform(const gl::Program& p, const char* name, const Rgba& c) { glUniform4f(at(p, name), c.r, c.g, c.b, c.a); }

void set_view(const gl::Program& p, const ViewTransform& view) {
  glUniform2f(at(p, "u_view_center"), float(view.center.x()), float(view.center.y()));
  uniform(p, "u_pixels_per_unit", float(view.pixels_per_unit));
  glUniform2f(at(p, "u_viewport"), float(view.viewport.x()), float(view.viewport.y()));
}

// The splat path's programs exist only where compute shaders do (GL 4.3).
gl::Program splat_kernel(bool compute) { return compute ? gpu::build_compute("splat_points.comp") : gl::Program(); }
gl::Program composite(bool compute) {
  return compute ? gl::build_program("splat_points.vert", "splat_points.frag") : gl::Program();
}

}  // namespace

ParticleView::ParticleView()
    : points_program_(gl::build_program("points.vert", "points.frag")),
      trails_program_(gl::build_program("trails.vert", "segments.frag")),
      splat_program_(splat_kernel(compute_)),
      composite_program_(composite(compute_)),
      coverage_(gl::make_buffer()),
      building_(gl::make_buffer()),
      points_vao_(gl::make_vertex_array()),
      empty_vao_(gl::make_vertex_array()),
      own_points_(gl::make_buffer()),
      own_trails_(gl::make_buffer()) {
  // Attribute 0 reads vec2 from the buffer and offset set per draw (draw_points): the particle
  // buffer is drawn in place.
  glBindVertexArray(points_vao_.id());
  glEnableVertexAttribArray(0);
  glBindVertexArray(0);
  if (!compute_) trails_texture_ = gl::make_texture();
}

void ParticleView::clear() {
  count_ = 0;
  trails_ = TrailSource{};
  shown_ = building_key_ = SplatKey{};
  shown_trails_ = TrailSource{};
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
  // GL_ARRAY_BUFFER: a target every GL 3.3 context has; the draw reads it as storage or a buffer texture.
  gl::upload_buffer(GL_ARRAY_BUFFER, own_trails_, packed.data(), GLsizeiptr(packed.size() * sizeof(float)),
                    own_trails_capacity_);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  show_trails({own_trails_.id(), trails, slots, slots - 1, slots - 1, trails});
}

void ParticleView::draw_trails(const ViewTransform& view, const TrailLook& look) const {
  // While the points lag (their splat under way), so do the trails: their heads stay on the points.
  TrailSource t = trails_;
  if (shown_trails_.buffer == trails_.buffer && shown_trails_.capacity == trails_.capacity && lagging(view)) {
    t = shown_trails_;
    // Frames recorded since then took the slots of the oldest: those segments are gone.
    const int since = ((trails_.newest_slot - t.newest_slot) % t.capacity + t.capacity) % t.capacity;
    t.segments = std::clamp(t.segments, 0, std::max(t.capacity - 1 - since, 0));
  }
  const int instances = t.segments * t.trails;
  if (instances <= 0) return;
  const gl::Program& p = trails_program_;
  glUseProgram(p.id());
  set_view(p, view);
  uniform(p, "u_stride", t.stride);
  uniform(p, "u_capacity", t.capacity);
  uniform(p, "u_newest_slot", t.newest_slot);
  uniform(p, "u_segments", t.segments);
  uniform(p, "u_trails", t.trails);
  uniform(p, "u_color", look.color);
  uniform(p, "u_width", look.width_px);
  uniform(p, "u_fade_px", look.fade_px);
  if (compute_) {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, t.buffer);
    // Whatever wrote the ring (compute kernels, buffer copies) is visible to this draw.
    glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
  } else {  // GL 3.3: the CPU path's frames through a buffer texture (trails.vert, SCORELAB_GL33)
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_BUFFER, trails_texture_.id());
    glTexBuffer(GL_TEXTURE_BUFFER, GL_RG32F, t.buffer);
    uniform(p, "u_frames", 0);
  }
  glBindVertexArray(empty_vao_.id());
  glDrawArrays(GL_TRIANGLES, 0, 6 * instances);  // not instanced: far cheaper on llvmpipe
  glBindVertexArray(0);
  if (compute_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, 0);
  else glBindTexture(GL_TEXTURE_BUFFER, 0);
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
  uniform(p, "u_point_size", size_px);
  uniform(p, "u_color", color);
  glEnable(GL_PROGRAM_POINT_SIZE);
  if (compute_) glMemoryBarrier(GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT);  // the kernels that wrote them are done
  glBindVertexArray(points_vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, points_buffer_);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 8, reinterpret_cast<const void*>(GLintptr(first_) * 8));
  glDrawArrays(GL_POINTS, 0, count_);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 8, nullptr);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  glBindVertexArray(0);
}

ParticleView::SplatKey ParticleView::splat_key(const ViewTransform& view, float size_px) const {
  char geometry[128];
  std::snprintf(geometry, sizeof geometry, "%.9g %.9g %.9g %.9g %.9g", view.center.x(), view.center.y(),
                view.pixels_per_unit, view.viewport.x(), view.viewport.y());
  return {points_buffer_, first_, count_, version_, geometry, size_px};
}

long ParticleView::splat_slice(int count, int lifetime, long slice) {
  const long draws = lifetime / 2;
  if (draws < 2) return count;
  return std::min<long>(count, std::max(slice, (count + draws - 1) / draws));
}

// New positions of the shown particles (same first, count and view), not all splatted in one draw.
bool ParticleView::slices_to(const SplatKey& key, int lifetime) const {
  return splats() && shown_.count > 0 && key.buffer != own_points_.id() && key.geometry == shown_.geometry &&
         key.first == shown_.first && key.count == shown_.count && !key.same_points(shown_) &&
         splat_slice(key.count, lifetime, splat_slice_) < key.count;
}

bool ParticleView::lagging(const ViewTransform& view) const {
  const SplatKey key = splat_key(view, shown_.size);
  const int lifetime = key.same_points(seen_) ? lifetime_ : seen_draws_;  // as the next draw will count
  if (!slices_to(key, lifetime)) return false;
  const long done = building_key_.same_points(key) ? building_next_ : 0;
  return done + splat_slice(count_, lifetime, splat_slice_) < count_;  // the next draw does not complete it
}

void ParticleView::clear_coverage(const gl::Buffer& coverage, GLsizeiptr& capacity, GLsizeiptr bytes) {
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, coverage.id());
  if (bytes > capacity) {
    glBufferData(GL_SHADER_STORAGE_BUFFER, bytes, nullptr, GL_DYNAMIC_COPY);
    capacity = bytes;
  }
  const GLuint zero = 0;
  glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, 0, bytes, GL_RED_INTEGER, GL_UNSIGNED_INT, &zero);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
}

// Splats particles begin … begin + n − 1 of the shown ones into `coverage`.
void ParticleView::splat_range(const gl::Buffer& coverage, const ViewTransform& view, float size_px, long begin,
                               long n) {
  const gl::Program& s = splat_program_;
  glUseProgram(s.id());
  set_view(s, view);
  gpu::set_uniform(s, "u_first", unsigned(first_ + begin));
  gpu::set_uniform(s, "u_count", unsigned(n));
  gpu::set_uniform(s, "u_point_size", size_px);
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);  // the kernels that wrote the particles are done
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, points_buffer_);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, coverage.id());
  gpu::dispatch_flat(GLuint(n), 64);
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
}

// Fills the coverage buffer (one uint per viewport pixel, then the densest pixel's) with every particle — at once, or for new
// positions of the same particles in slices over several draws into a second buffer (see the header)
// — then composites it over the target with one triangle covering the viewport.
void ParticleView::splat_points(const ViewTransform& view, float size_px, const Rgba& color) {
  GLint vp[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, vp);
  const int w = static_cast<int>(view.viewport.x()), h = static_cast<int>(view.viewport.y());
  if (w <= 0 || h <= 0) return;
  const SplatKey key = splat_key(view, size_px);
  if (!key.same_points(seen_)) {  // how long positions last: how many draws a build may take
    lifetime_ = seen_draws_;
    seen_ = key;
    seen_draws_ = 0;
  }
  ++seen_draws_;
  const GLsizeiptr bytes = (GLsizeiptr(w) * h + 1) * 4;  // a uint per pixel, then the densest pixel's
  if (!(key == shown_)) {  // paused, or between the steps of a slow run: the coverage still holds
    if (key.size == shown_.size && slices_to(key, lifetime_)) {
      if (!(building_key_ == key)) {
        clear_coverage(building_, building_bytes_, bytes);
        building_key_ = key;
        building_next_ = 0;
      }
      const long n = std::min<long>(splat_slice(count_, lifetime_, splat_slice_), count_ - building_next_);
      splat_range(building_, view, size_px, building_next_, n);
      building_next_ += n;
      if (building_next_ >= count_) {  // complete: it becomes the picture
        std::swap(coverage_, building_);
        std::swap(coverage_bytes_, building_bytes_);
        shown_ = key;
        building_key_ = SplatKey{};
      }
    } else {
      clear_coverage(coverage_, coverage_bytes_, bytes);
      splat_range(coverage_, view, size_px, 0, count_);
      shown_ = key;
      building_key_ = SplatKey{};
    }
  }
  if (shown_.same_points(key)) shown_trails_ = trails_;  // the trails of the points on screen
  const gl::Program& c = composite_program_;
  glUseProgram(c.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, coverage_.id());
  uniform(c, "u_color", color);
  glUniform2i(at(c, "u_origin"), vp[0], vp[1]);
  uniform(c, "u_width", w);
  uniform(c, "u_pixels", w * h);
  glBindVertexArray(empty_vao_.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, 0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, 0);
}

}  // namespace scorelab
