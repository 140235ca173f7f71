// The model's log-density on a grid through the probability-flow ODE with the exact divergence,
// on the GPU: the twin of core's ode_likelihood (core/likelihood.hpp), progressive — a band of rows
// per call (the GUI's density job, app/lab/gpu_density_backend, runs bands on a worker thread) —
// into an R32F texture. Kernel: shaders/density.comp. A GL context must be current.
#pragma once

#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"
#include "app/plane/density_grid.hpp"
#include "core/likelihood.hpp"

namespace scorelab {

class GpuDensity {
 public:
  static constexpr int kMaxSteps = 100000;

  // Uses the score's exact log p₁ as the prior when config.exact_prior and the score is a mixture
  // (as core does for scores with a log-density). Throws InputError for energy networks (their
  // divergence needs second-order forward mode, not in the kernel) or steps out of [1, kMaxSteps].
  //
  // batch: grid points per invocation for a network (SCORE_BATCH of this kernel; 0: kNetworkBatch).
  // Mixtures always use the score's own batch.
  GpuDensity(const GpuScore& score, const NoiseConfig& noise, const LikelihoodConfig& config = {}, int batch = 0);

  // Grid points per invocation of the network density kernel. Not GpuScore::kNetworkBatch (8): the
  // divergence pass carries a tangent beside every activation, and with 8 points per invocation the
  // kernel spilled and llvmpipe's LLVM spent minutes on it. Measured on Mesa 22.3 llvmpipe (CPU time
  // of compile + first dispatch, MESA_SHADER_CACHE_DISABLE=true; then a 96×59 grid, RK4 × 32):
  //   64-64 net:        8 points, unrolled tangent columns 36.6 s → 4 points, rolled (mlp.glsl) 9.0 s
  //   128-128-128 net:  301 s, grid 21.5 s → 41.9 s, grid 3.0 s
  // (2 points: 5.0 s to compile but ~2× slower to run; 1 point: 5.2 s, ~3× slower.)
  static constexpr int kNetworkBatch = 4;

  // Another score of the same kind and shape (equal defines(): e.g. a newer snapshot of the same
  // architecture): the compiled kernel is kept, only the score's buffers and level rows change.
  // Throws InputError when the shapes differ (that needs a new GpuDensity). score must outlive this.
  void set_score(const GpuScore& score);
  // A new schedule, start time (config.eps: log p at that level) or step count, without recompiling.
  // Throws InputError as the constructor.
  void configure(const NoiseConfig& noise, const LikelihoodConfig& config);

  // (Re)allocates the texture for the grid; every texel is NaN until its row is computed.
  void set_grid(const DensityGrid& grid);
  const DensityGrid& grid() const { return grid_; }

  // Integrates rows [row_begin, row_end) of the grid: one dispatch per ODE step and one to finish
  // (see shaders/density.comp for why), the band's state in a storage buffer between them.
  void compute_rows(int row_begin, int row_end);
  void compute_all() { compute_rows(0, grid_.height); }

  GLuint texture() const { return texture_.id(); }  // R32F, width × height
  // log p₀ of every grid point, row-major: value (i, j) at [j·width + i] (waits for the GPU).
  std::vector<float> read_back() const;

  long nfe_per_point() const;  // score-and-divergence evaluations per grid point

 private:
  const GpuScore* score_;
  std::string defines_;  // the score's defines() program_ was compiled for
  int batch_ = 1;        // SCORE_BATCH of program_
  NoiseConfig noise_;
  LikelihoodConfig config_;
  Sde sde_;
  double h_;
  gl::Program program_;
  std::vector<GpuLevel> levels_;  // every level core visits: 3 per step (t, t + h/2, t + h), then t = 1
  GpuLevelTable table_;           // the rows of the dispatch under way
  gl::Buffer state_;              // (x, ℓ, 0) per point of the band being integrated
  GLsizeiptr state_bytes_ = 0;
  DensityGrid grid_;
  gl::Texture texture_;
};

}  // namespace scorelab
