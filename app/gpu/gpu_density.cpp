#include "app/gpu/gpu_density.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "app/gpu/bindings.hpp"

namespace scorelab {

GpuDensity::GpuDensity(const GpuScore& score, const NoiseConfig& noise, const LikelihoodConfig& config, int batch)
    : score_(&score), defines_(score.defines()), config_(config), sde_(noise) {
  if (score.is_energy())
    throw InputError("the GPU density does not take energy networks (second-order divergence); use the CPU path");
  if (batch < 0 || batch > GpuScore::kNetworkBatch)
    throw InputError("density batch must be in [0, " + std::to_string(GpuScore::kNetworkBatch) + "]");
  configure(noise, config);
  // The fused network kernel takes one point per invocation (its workgroup shares the work).
  const bool lanes_network = score.is_network() && score.kernel() == NetworkKernel::lanes;
  batch_ = lanes_network ? (batch > 0 ? batch : kNetworkBatch) : score.batch();
  // At most three level rows per dispatch (compute_rows): a mixture reads its components from a
  // uniform block (shaders/mixture_score.glsl).
  std::string defines = score.defines_for(GpuScore::kMixtureUboLevels);
  if (lanes_network) defines += "#undef SCORE_BATCH\n#define SCORE_BATCH " + std::to_string(batch_) + "\n";
  program_ = gpu::build_compute("density.comp", defines);
  set_grid(grid_);
}

void GpuDensity::set_score(const GpuScore& score) {
  if (score.defines() != defines_)
    throw InputError("GpuDensity::set_score: the score's kind or architecture differs from the compiled kernel's");
  score_ = &score;
  table_.key.clear();  // the new score's level rows (a network's time features) are uploaded afresh
  configure(noise_, config_);
}

void GpuDensity::configure(const NoiseConfig& noise, const LikelihoodConfig& config) {
  if (config.steps < 1 || config.steps > kMaxSteps)
    throw InputError("likelihood steps must be in [1, " + std::to_string(kMaxSteps) + "]");
  if (!(config.eps > 0.0 && config.eps < 1.0)) throw InputError("likelihood start time must be in (0, 1)");
  validate(noise);
  noise_ = noise;
  config_ = config;
  sde_ = Sde(noise);
  h_ = (1.0 - config.eps) / config.steps;
  // Every level core's ode_likelihood visits, computed as it does: t = ε + i·h, then t + 0.5·h, t + h.
  levels_.clear();
  levels_.reserve(3 * size_t(config.steps) + 1);
  for (int i = 0; i < config.steps; ++i) {
    const double t = config.eps + i * h_;
    for (double ti : {t, t + 0.5 * h_, t + h_}) levels_.push_back(sde_level(sde_, ti));
  }
  levels_.push_back(sde_level(sde_, 1.0));  // the exact prior p₁
}

void GpuDensity::set_grid(const DensityGrid& grid) {
  if (grid.width < 1 || grid.height < 1 || grid.width > 16384 || grid.height > 16384)
    throw InputError("density grid: width and height must be in [1, 16384]");
  grid_ = grid;
  texture_ = gl::make_texture();
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glTexStorage2D(GL_TEXTURE_2D, 1, GL_R32F, grid.width, grid.height);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  const std::vector<float> nan(size_t(grid.width) * grid.height, std::numeric_limits<float>::quiet_NaN());
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, grid.width, grid.height, GL_RED, GL_FLOAT, nan.data());
  glBindTexture(GL_TEXTURE_2D, 0);
}

void GpuDensity::compute_rows(int row_begin, int row_end) {
  row_begin = std::max(row_begin, 0);
  row_end = std::min(row_end, grid_.height);
  if (row_begin >= row_end) return;
  const GLuint count = GLuint(row_end - row_begin) * GLuint(grid_.width);
  const GLsizeiptr state_bytes = GLsizeiptr(count) * 16;
  if (state_bytes > state_bytes_) {
    state_ = gpu::make_storage(state_bytes);
    state_bytes_ = state_bytes;
  }
  const gl::Program& p = program_;
  glUseProgram(p.id());
  gpu::set_uniform(p, "u_count", unsigned(count));
  gpu::set_uniform(p, "u_width", unsigned(grid_.width));
  gpu::set_uniform(p, "u_row0", unsigned(row_begin));
  gpu::set_uniform(p, "u_origin", float(grid_.origin.x()), float(grid_.origin.y()));
  gpu::set_uniform(p, "u_spacing", float(grid_.spacing.x()), float(grid_.spacing.y()));
  gpu::set_solver_uniforms(p, config_.solver, h_);
  gpu::set_uniform(p, "u_exact_prior", config_.exact_prior && !score_->is_network() ? 1 : 0);
  const double var = sde_.prior_std() * sde_.prior_std();
  gpu::set_uniform(p, "u_prior_var", float(var));
  gpu::set_uniform(p, "u_prior_log_norm", float(std::log(2.0 * std::numbers::pi * var)));
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kDensityState, state_.id());
  glBindImageTexture(0, texture_.id(), 0, GL_FALSE, 0, GL_WRITE_ONLY, GL_R32F);
  const GLuint invocations = (count + GLuint(batch_) - 1) / GLuint(batch_);
  // Phase 0 and 1: step i with its rows t, t + h/2, t + h; phase 2: the end, with the row of t = 1.
  for (int i = 0; i <= config_.steps; ++i) {
    const bool end = i == config_.steps;
    const auto first = levels_.begin() + 3 * std::ptrdiff_t(i);
    score_->upload_levels(std::vector<GpuLevel>(first, end ? levels_.end() : first + 3), table_);
    score_->bind(table_);
    gpu::set_uniform(p, "u_phase", end ? 2 : i == 0 ? 0 : 1);
    gpu::dispatch_flat(invocations, 64);
    gpu::storage_barrier();
  }
}

std::vector<float> GpuDensity::read_back() const {
  std::vector<float> out(size_t(grid_.width) * grid_.height);
  glMemoryBarrier(GL_TEXTURE_UPDATE_BARRIER_BIT);
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RED, GL_FLOAT, out.data());
  glBindTexture(GL_TEXTURE_2D, 0);
  return out;
}

long GpuDensity::nfe_per_point() const {
  const int per_step = config_.solver == OdeSolver::euler ? 1 : config_.solver == OdeSolver::heun ? 2 : 4;
  return long(config_.steps) * per_step;
}

}  // namespace scorelab
