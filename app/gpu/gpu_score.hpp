// The score a kernel evaluates, on the GPU side: the exact Gaussian-mixture score, a network
// (core/nn Mlp<float>) or the ideal score of a point set (core's truncated cell-grid sums,
// shaders/ideal_score.glsl), and the level table the kernels index (shaders/sde.glsl, score.glsl).
//
// The host evaluates everything that is the same for all particles of a dispatch — core's Sde
// coefficients, core's GaussianMixture::noised() per level, core's Mlp features of t — in double
// (or, for the network's time features, with core's own float code), and uploads one row per level.
// The kernels do the per-particle arithmetic. A GL context must be current.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/fused_mlp_shape.hpp"
#include "app/gpu/network_kernel.hpp"
#include "core/empirical_score.hpp"
#include "core/mixture.hpp"
#include "core/nn/mlp.hpp"
#include "core/samplers/step_coefficients.hpp"
#include "core/schedules.hpp"

namespace scorelab {

// One row of the level table: the noise level and, for the samplers that move in time, the flow's
// coefficients there (zero for fixed-level samplers): core's FlowPoint (core/samplers/step_coefficients.hpp).
using GpuLevel = FlowPoint;

// The level of an SDE at time t, with its coefficients (core's Sde, in double).
inline GpuLevel sde_level(const Sde& sde, double t) { return sde_flow_point(sde, t); }

// The rows a kernel indexes by level (shaders/sde.glsl) and, for a mixture, each level's prepared
// components; for a network, each level's time features. Owned by the kernel's host (a sampler, the
// density, the score field), so that users of one GpuScore do not overwrite each other's tables.
struct GpuLevelTable {
  gl::Buffer levels, components, time_features;
  int count = 0;
  std::vector<double> key;  // what was uploaded last (identical uploads are skipped)
};

class GpuScore {
 public:
  static constexpr int kMaxComponents = 256;
  // Particles per invocation of a network kernel (see shaders/mlp.glsl): one gathered weight vec4
  // feeds this many dot products. Mixtures use 1. Also the most a GpuScore accepts: on Mesa 22.3's
  // llvmpipe, 16 particles per invocation with 64-wide layers silently returned wrong scores for
  // half of the points (and 64 with a 16-12 network's Jacobian gave NaN), while 8 matched core for
  // every architecture tried (16-12 … 3 × 128, 256-wide from a storage buffer).
  static constexpr int kNetworkBatch = 8;

  // Exact score of a mixture (at most kMaxComponents components; throws InputError beyond).
  explicit GpuScore(GaussianMixture mixture);
  // A score network (weights packed with core's pack_weights_std140). Throws InputError when the
  // architecture cannot be mapped (more than 9 affine layers).
  // batch: particles per invocation (SCORE_BATCH), 1 to kNetworkBatch. force_storage_buffer reads the weights
  // from a storage buffer even when they fit uniform blocks (tests of that path; slower).
  explicit GpuScore(std::shared_ptr<const Mlp<float>> net, int batch = kNetworkBatch,
                    bool force_storage_buffer = false);
  // A score network on the given kernel (network_kernel.hpp): lanes as above with kNetworkBatch;
  // fused (shaders/mlp_fused.glsl) one particle per invocation, the weights from a storage buffer
  // staged through shared memory. A network too wide for the context's shared memory keeps lanes
  // (kernel() says which was built).
  GpuScore(std::shared_ptr<const Mlp<float>> net, NetworkKernel kernel);
  // The ideal score of a point set: core's cell grid of the data (its truncated path; core's
  // large-s lattice has no twin, so at large s this kernel visits every point per particle).
  explicit GpuScore(const EmpiricalScore& ideal);
  ~GpuScore();
  GpuScore(GpuScore&&) noexcept;
  GpuScore& operator=(GpuScore&&) noexcept;

  bool is_network() const { return net_ != nullptr; }
  bool is_ideal() const { return static_cast<bool>(ideal_points_); }
  // A network's train.sigma (see NetworkScore::trained_sigma), so that samplers pick core's levels.
  const std::optional<double>& trained_sigma() const { return trained_sigma_; }
  void set_trained_sigma(std::optional<double> sigma) { trained_sigma_ = sigma; }
  bool is_energy() const { return net_ != nullptr && net_->config().energy; }
  const std::optional<GaussianMixture>& mixture() const { return mixture_; }
  const Mlp<float>* network() const { return net_.get(); }
  bool uses_weight_ssbo() const { return weight_ssbo_; }
  // The buffer a network's packed weights are in (bound by bind(); 0 for the other scores).
  GLuint weight_buffer() const { return weights_.id(); }
  // Network weight uploads (glBufferData of packed weights) made on the calling thread so far:
  // the tests' check that one snapshot is uploaded once per GL context (per thread: the density
  // worker's context uploads its own copy on its own thread).
  static long weight_uploads_on_this_thread();
  int batch() const { return batch_; }  // SCORE_BATCH of the kernels
  NetworkKernel kernel() const { return kernel_; }  // a network's kernel (lanes for the other scores)
  const std::optional<FusedMlpShape>& fused_shape() const { return fused_shape_; }  // fused only

  // The #defines a kernel that includes score.glsl is compiled with (score kind, MIX_K or the
  // network's architecture). Programs are specific to one GpuScore's kind and shape.
  const std::string& defines() const { return defines_; }
  // The same for a kernel that reads at most `levels_per_dispatch` level rows: a mixture's
  // components then come from a uniform block (constant-offset loads, ~1.5× faster on llvmpipe)
  // instead of a storage buffer, when they fit the GL minimum block size (16 KiB).
  std::string defines_for(int levels_per_dispatch) const;
  static constexpr int kMixtureUboLevels = 3;

  // Fills `table` with `levels` (skipped when identical to its last upload).
  void upload_levels(const std::vector<GpuLevel>& levels, GpuLevelTable& table) const;

  // Binds the table and the score's buffers at their binding points (app/gpu/bindings.hpp).
  void bind(const GpuLevelTable& table) const;

 private:
  void build_network_defines(bool force_storage_buffer);
  std::string fused_defines_or_fall_back();
  bool mixture_uses_ubo() const;

  std::optional<GaussianMixture> mixture_;
  std::shared_ptr<const Mlp<float>> net_;
  std::string defines_;
  bool weight_ssbo_ = false;
  int batch_ = 1;
  NetworkKernel kernel_ = NetworkKernel::lanes;
  std::optional<FusedMlpShape> fused_shape_;
  gl::Buffer weights_;
  gl::Buffer ideal_points_, ideal_cells_;  // the ideal score's sorted points (vec2) and cell starts (int)
  std::vector<GLintptr> block_offsets_;  // bytes: head, then W_0 … W_{L−1} (UBO mode)
  std::vector<GLsizeiptr> block_sizes_;
  std::optional<double> trained_sigma_;
};

// The GPU twin of a core score function: a MixtureScore or a NetworkScore (its network is copied,
// on default_network_kernel());
// null for the others. The ideal score of a point set has a twin (GpuScore(const EmpiricalScore&)),
// but it is not offered here: without core's large-s lattice it visits every point per particle at
// large s, slower on llvmpipe than core's fast path on the CPU, where point sets keep running.
std::unique_ptr<GpuScore> make_gpu_score(const ScoreFunction& score);

}  // namespace scorelab
