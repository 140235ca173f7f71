#include "app/gpu/gpu_score_field.hpp"

#include "app/gpu/bindings.hpp"
#include "app/plane/color_map.hpp"

namespace scorelab {

GpuScoreField::GpuScoreField(const GpuScore& score) : score_(&score), defines_(score.defines()) {
  input_ = gpu::make_storage(16);
  output_ = gpu::make_storage(16);
}

void GpuScoreField::run(GLuint count, const GpuLevel& level, bool with_div, bool grid, GLuint out) {
  if (with_div && score_->is_energy())
    throw InputError("the GPU divergence of an energy network is not implemented; use the CPU path");
  gl::Program& p = with_div ? div_program_ : program_;
  if (!p) p = gpu::build_compute("score_field.comp", score_->defines_for(1) + (with_div ? "#define FIELD_WITH_DIV 1\n" : ""));
  score_->upload_levels({level}, table_);
  glUseProgram(p.id());
  gpu::set_uniform(p, "u_count", unsigned(count));
  gpu::set_uniform(p, "u_level", 0u);
  gpu::set_uniform(p, "u_grid", grid ? 1 : 0);
  gpu::set_uniform(p, "u_grid_width", unsigned(grid_width_));
  gpu::set_uniform(p, "u_origin", grid_origin_[0], grid_origin_[1]);
  gpu::set_uniform(p, "u_spacing", grid_spacing_[0], grid_spacing_[1]);
  score_->bind(table_);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeIn, input_.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeOut, out);
  gpu::dispatch_flat((count + GLuint(score_->batch()) - 1) / GLuint(score_->batch()), 64);
  gpu::storage_barrier();
}

FieldValues GpuScoreField::evaluate(const Points& x, const GpuLevel& level, bool with_div) {
  const GLuint n = GLuint(x.cols());
  FieldValues out(4, x.cols());
  if (n == 0) return out;
  const Eigen::Matrix<float, 2, Eigen::Dynamic> xf = x.cast<float>();
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, input_, GLsizeiptr(n) * 8, xf.data());
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, output_, GLsizeiptr(n) * 16, nullptr);
  run(n, level, with_div, false, output_.id());
  gpu::read_storage(output_, 0, GLsizeiptr(n) * 16, out.data());
  return out;
}

void GpuScoreField::fill_grid(gl::Buffer& out, int nx, int ny, const Vec2& origin, const Vec2& spacing,
                              const GpuLevel& level, bool with_div) {
  if (nx < 1 || ny < 1) throw InputError("score field grid: need at least 1 x 1 points");
  const GLuint n = GLuint(nx) * GLuint(ny);
  if (!out) out = gl::make_buffer();
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, out, GLsizeiptr(n) * 16, nullptr, GL_DYNAMIC_COPY);
  set_grid(nx, origin, spacing);
  run(n, level, with_div, true, out.id());
}

void GpuScoreField::set_grid(int nx, const Vec2& origin, const Vec2& spacing) {
  grid_width_ = nx;
  grid_origin_[0] = float(origin.x());
  grid_origin_[1] = float(origin.y());
  grid_spacing_[0] = float(spacing.x());
  grid_spacing_[1] = float(spacing.y());
}

void GpuScoreField::set_score(const GpuScore& score) {
  if (score.defines() != defines_)
    throw InputError("GpuScoreField::set_score: the score's kind or architecture differs from the compiled kernels'");
  score_ = &score;
  table_.key.clear();  // the new score's level rows are uploaded afresh
}

void GpuScoreField::fill_arrows(GLuint segments, int first, int nx, int ny, const Vec2& origin, const Vec2& spacing,
                                const GpuLevel& level, const ArrowParams& params, const gl::Buffer* subtract) {
  if (nx < 1 || ny < 1) throw InputError("score field grid: need at least 1 x 1 points");
  const GLuint n = GLuint(nx) * GLuint(ny);
  set_grid(nx, origin, spacing);
  gl::Program& p = arrows_program_;
  if (!p) p = gpu::build_compute("score_field.comp", score_->defines_for(1) + "#define FIELD_ARROWS 1\n");
  score_->upload_levels({level}, table_);
  glUseProgram(p.id());
  gpu::set_uniform(p, "u_count", unsigned(n));
  gpu::set_uniform(p, "u_level", 0u);
  gpu::set_uniform(p, "u_grid", 1);
  gpu::set_uniform(p, "u_grid_width", unsigned(grid_width_));
  gpu::set_uniform(p, "u_origin", grid_origin_[0], grid_origin_[1]);
  gpu::set_uniform(p, "u_spacing", grid_spacing_[0], grid_spacing_[1]);
  gpu::set_uniform(p, "u_first", unsigned(first));
  gpu::set_uniform(p, "u_max_length", float(params.max_length));
  gpu::set_uniform(p, "u_reference", float(params.reference));
  gpu::set_uniform(p, "u_normalise", params.normalise ? 1 : 0);
  gpu::set_uniform(p, "u_subtract", subtract ? 1 : 0);
  gpu::set_uniform(p, "u_width", params.width_px);
  gpu::set_uniform(p, "u_alpha", params.alpha);
  glUniform3fv(glGetUniformLocation(p.id(), "u_ramp"), 9, &color_map_anchors(arrow_color_map(params.theme))[0][0]);
  score_->bind(table_);
  // Binding 6 must hold a buffer even when nothing is subtracted: the (unread) input then.
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeIn, subtract ? subtract->id() : input_.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeOut, segments);
  gpu::dispatch_flat((n + GLuint(score_->batch()) - 1) / GLuint(score_->batch()), 64);
  gpu::storage_barrier();
}

}  // namespace scorelab
