#include "app/gpu/gpu_score_field.hpp"

#include "app/gpu/compute.hpp"

namespace scorelab {

GpuScoreField::GpuScoreField(const GpuScore& score) : score_(score) {
  input_ = gpu::make_storage(16);
  output_ = gpu::make_storage(16);
}

void GpuScoreField::run(GLuint count, const GpuLevel& level, bool with_div, bool grid, GLuint out) {
  if (with_div && score_.is_energy())
    throw InputError("the GPU divergence of an energy network is not implemented; use the CPU path");
  gl::Program& p = with_div ? div_program_ : program_;
  if (!p) p = gpu::build_compute("score_field.comp", score_.defines_for(1) + (with_div ? "#define FIELD_WITH_DIV 1\n" : ""));
  score_.upload_levels({level}, table_);
  glUseProgram(p.id());
  gpu::set_uniform(p, "u_count", unsigned(count));
  gpu::set_uniform(p, "u_level", 0u);
  gpu::set_uniform(p, "u_grid", grid ? 1 : 0);
  gpu::set_uniform(p, "u_grid_width", unsigned(grid_width_));
  gpu::set_uniform(p, "u_origin", grid_origin_[0], grid_origin_[1]);
  gpu::set_uniform(p, "u_spacing", grid_spacing_[0], grid_spacing_[1]);
  score_.bind(table_);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeIn, input_.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kProbeOut, out);
  gpu::dispatch_flat((count + GLuint(score_.batch()) - 1) / GLuint(score_.batch()), 64);
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
  grid_width_ = nx;
  grid_origin_[0] = float(origin.x());
  grid_origin_[1] = float(origin.y());
  grid_spacing_[0] = float(spacing.x());
  grid_spacing_[1] = float(spacing.y());
  run(n, level, with_div, true, out.id());
}

}  // namespace scorelab
