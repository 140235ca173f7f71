// The score field evaluated on the GPU at many points: a grid written straight into a GL buffer
// (as field values, or as the plane view's arrows — no CPU round trip) or given points read back
// (the parity tests, the CLI). Kernel: shaders/score_field.comp. A GL context must be current.
#pragma once

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"
#include "app/plane/arrow_field.hpp"

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

  // The plane view's arrows for the same grid, written into `segments` (a SegmentBatch's storage
  // buffer, 9 floats per segment) from segment index `first`: 3 segments per grid point, as
  // arrow_segments() (app/plane/arrow_field.hpp) builds them. subtract: a fill_grid() output of the
  // same grid (the true field) to subtract — the difference field — or null. Stays on the GPU.
  void fill_arrows(GLuint segments, int first, int nx, int ny, const Vec2& origin, const Vec2& spacing,
                   const GpuLevel& level, const ArrowParams& params, const gl::Buffer* subtract);

  // Another score of the same kind and shape (equal defines()): the compiled kernels are kept.
  // Throws InputError otherwise. score must outlive this.
  void set_score(const GpuScore& score);
  const GpuScore& score() const { return *score_; }

 private:
  void run(GLuint count, const GpuLevel& level, bool with_div, bool grid, GLuint out);
  void set_grid(int nx, const Vec2& origin, const Vec2& spacing);

  const GpuScore* score_;
  std::string defines_;  // the score's defines() the programs are compiled for
  gl::Program program_, div_program_, arrows_program_;  // plain / FIELD_WITH_DIV / FIELD_ARROWS, built on first use
  gl::Buffer input_, output_;
  GpuLevelTable table_;
  int grid_width_ = 1;
  float grid_origin_[2] = {0, 0}, grid_spacing_[2] = {1, 1};
};

}  // namespace scorelab
