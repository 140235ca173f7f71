// The score field evaluated on the GPU at many points: a grid written straight into a GL buffer
// (the plane view's arrows, no CPU round trip) or given points read back (the parity tests, the
// CLI). Kernel: shaders/score_field.comp. A GL context must be current.
#pragma once

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"

namespace scorelab {

using FieldValues = Eigen::Matrix<float, 4, Eigen::Dynamic>;  // (4, N): s.x, s.y, ∇·s (or 0), 0

class GpuScoreField {
 public:
  explicit GpuScoreField(const GpuScore& score);  // score must outlive this

  // The score (and, with with_div, its exact divergence) at x (2, N) and one level.
  FieldValues evaluate(const Points& x, const GpuLevel& level, bool with_div);

  // Fills `out` with nx·ny vec4 (layout of FieldValues, row-major grid, i fastest) for the grid
  // points origin + (i, j)·spacing; (re)allocates out to the needed size. Stays on the GPU.
  void fill_grid(gl::Buffer& out, int nx, int ny, const Vec2& origin, const Vec2& spacing, const GpuLevel& level,
                 bool with_div);

 private:
  void run(GLuint count, const GpuLevel& level, bool with_div, bool grid, GLuint out);

  const GpuScore& score_;
  gl::Program program_, div_program_;  // without / with FIELD_WITH_DIV, each built on first use
  gl::Buffer input_, output_;
  GpuLevelTable table_;
  int grid_width_ = 1;
  float grid_origin_[2] = {0, 0}, grid_spacing_[2] = {1, 1};
};

}  // namespace scorelab
