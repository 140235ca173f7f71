// The model's log-density on a grid through the probability-flow ODE with the exact divergence,
// on the GPU: the twin of core's ode_likelihood (core/likelihood.hpp), progressive — a band of rows
// per call, so the GUI can spread a 256² grid over frames — into an R32F texture the heatmap
// samples directly. Kernel: shaders/density.comp. A GL context must be current.
#pragma once

#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"
#include "core/likelihood.hpp"

namespace scorelab {

// Grid point (i, j), i < width, j < height, is origin + (i, j)·spacing; texel (i, j) holds its log p₀.
struct DensityGrid {
  int width = 256;
  int height = 256;
  Vec2 origin{-8.0, -8.0};
  Vec2 spacing{16.0 / 255.0, 16.0 / 255.0};
};

class GpuDensity {
 public:
  static constexpr int kMaxSteps = 100000;

  // Uses the score's exact log p₁ as the prior when config.exact_prior and the score is a mixture
  // (as core does for scores with a log-density). Throws InputError for energy networks (their
  // divergence needs second-order forward mode, not in the kernel) or steps out of [1, kMaxSteps].
  GpuDensity(const GpuScore& score, const NoiseConfig& noise, const LikelihoodConfig& config = {});

  // (Re)allocates the texture for the grid; every texel is NaN until its row is computed.
  void set_grid(const DensityGrid& grid);
  const DensityGrid& grid() const { return grid_; }

  // Integrates rows [row_begin, row_end) of the grid (one dispatch).
  void compute_rows(int row_begin, int row_end);
  void compute_all() { compute_rows(0, grid_.height); }

  GLuint texture() const { return texture_.id(); }  // R32F, width × height
  // log p₀ of every grid point, row-major: value (i, j) at [j·width + i] (waits for the GPU).
  std::vector<float> read_back() const;

  long nfe_per_point() const;  // score-and-divergence evaluations per grid point

 private:
  const GpuScore& score_;
  LikelihoodConfig config_;
  Sde sde_;
  double h_;
  gl::Program program_;
  GpuLevelTable table_;
  DensityGrid grid_;
  gl::Texture texture_;
};

}  // namespace scorelab
