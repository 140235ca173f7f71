#include "app/gpu/gpu_sampler.hpp"

#include <cmath>
#include <stdexcept>

#include "app/gpu/compute.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

namespace {

constexpr GLuint kLocalSize = 64;  // shaders/particles.glsl local_size_x

// core's sampler is kept for its schedule (num_steps, level_at, time_at); it never scores here.
class ScheduleOnlyScore final : public ScoreFunction {
 public:
  void score(const Points&, const NoiseLevel&, Points&) const override { fail(); }
  void score_and_divergence(const Points&, const NoiseLevel&, Points&, Scalars&) const override { fail(); }

 private:
  [[noreturn]] static void fail() { throw std::logic_error("GpuSampler: the core schedule must not score"); }
};

GLuint ceil_div(GLuint a, GLuint b) { return (a + b - 1) / b; }

// Groups dispatch_flat launches for n invocations (rows of at most 65535 groups).
GLuint launched_groups(GLuint n) {
  const GLuint groups = (n + kLocalSize - 1) / kLocalSize;
  const GLuint rows = (groups + 65534) / 65535;
  return std::min<GLuint>(groups, 65535) * rows;
}

}  // namespace

struct GpuSampler::Programs {
  gl::Program step;  // langevin_step, em_step (also PC's predictor), ode_step or ddpm_step
  gl::Program pc_norm, pc_reduce, pc_corrector;
  gl::Program tweedie;
};

GpuSampler::GpuSampler(const SamplerConfig& config, const NoiseConfig& noise, const GpuScore& score)
    : config_(config), noise_(noise), sde_(noise), score_(score),
      null_score_(std::make_unique<ScheduleOnlyScore>()),
      schedule_(make_sampler(config, noise, *null_score_)), programs_(std::make_unique<Programs>()) {
  h_ = (1.0 - sde_.sampling_eps()) / config.steps;  // TimeGridSampler::h_
  const std::string defs = score_.defines_for(3);  // at most t, t + h/2, t + h per dispatch
  switch (config.kind) {
    case SamplerKind::langevin:
    case SamplerKind::annealed: programs_->step = gpu::build_compute("langevin_step.comp", defs); break;
    case SamplerKind::em: programs_->step = gpu::build_compute("em_step.comp", defs); break;
    case SamplerKind::pc:
      programs_->step = gpu::build_compute("em_step.comp", defs);
      programs_->pc_norm = gpu::build_compute("pc_score_norm.comp", defs);
      programs_->pc_reduce = gpu::build_compute("pc_reduce.comp");
      programs_->pc_corrector = gpu::build_compute("pc_corrector.comp");
      break;
    case SamplerKind::ode: programs_->step = gpu::build_compute("ode_step.comp", defs); break;
    case SamplerKind::ddpm: programs_->step = gpu::build_compute("ddpm_step.comp", defs); break;
  }
  if (config.denoise && config.kind != SamplerKind::langevin)
    programs_->tweedie = gpu::build_compute("tweedie_step.comp", defs);
  particles_ = gl::make_buffer();
  dummy_ = gpu::make_storage(16);
}

GpuSampler::~GpuSampler() = default;

int GpuSampler::num_steps() const { return schedule_->num_steps(); }
NoiseLevel GpuSampler::level_at(int k) const { return schedule_->level_at(k); }

void GpuSampler::set_particles(const Points& x, uint32_t first_particle) {
  if (x.cols() < 1 || x.cols() > 0x7FFFFFFF / 8) throw InputError("particles: need 1 to 2^28 particles");
  count_ = int(x.cols());
  first_particle_ = first_particle;
  const Eigen::Matrix<float, 2, Eigen::Dynamic> xf = x.cast<float>();  // (2, N) column-major = N vec2
  gpu::respecify(GL_SHADER_STORAGE_BUFFER, particles_, GLsizeiptr(count_) * 8, xf.data(), GL_DYNAMIC_COPY);
  if (config_.kind == SamplerKind::pc) {
    scratch_ = gpu::make_storage(GLsizeiptr(count_) * 8);
    sums_ = gpu::make_storage(GLsizeiptr(1 + launched_groups(ceil_div(GLuint(count_), score_.batch()))) * 4);
  }
  set_trajectory_capacity(ring_capacity_);
}

Points GpuSampler::particles() const {
  Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, count_);
  gpu::read_storage(particles_, 0, GLsizeiptr(count_) * 8, xf.data());
  return xf.cast<double>();
}

void GpuSampler::set_trajectory_capacity(int capacity) {
  if (capacity < 0 || capacity > 1024 || double(capacity) * count_ >= 4294967296.0)
    throw InputError("trajectory capacity must be in [0, 1024] frames with capacity x particles < 2^32");
  ring_capacity_ = capacity;
  frames_recorded_ = 0;
  ring_ = capacity > 0 && count_ > 0 ? gpu::make_storage(GLsizeiptr(capacity) * count_ * 8) : gl::Buffer();
}

Points GpuSampler::trajectory_frame(long frame) const {
  if (ring_capacity_ == 0 || frame < 0 || frame >= frames_recorded_ || frame < frames_recorded_ - ring_capacity_)
    throw std::out_of_range("trajectory frame " + std::to_string(frame) + " is not in the ring");
  Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, count_);
  gpu::read_storage(ring_, GLintptr(frame % ring_capacity_) * count_ * 8, GLsizeiptr(count_) * 8, xf.data());
  return xf.cast<double>();
}

void GpuSampler::finish() const { glFinish(); }

void GpuSampler::upload_levels(const std::vector<GpuLevel>& levels) { score_.upload_levels(levels, table_); }

void GpuSampler::bind_particles(bool record) const {
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kParticles, particles_.id());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kTrajectory, record ? ring_.id() : dummy_.id());
  if (scratch_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kScratch, scratch_.id());
  if (sums_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kPartials, sums_.id());
}

// One dispatch of a per-particle kernel whose step uniforms are set, over ceil(N / batch)
// invocations (batch: particles per invocation); records when asked and possible.
void GpuSampler::dispatch(const gl::Program& p, bool record, int batch) {
  record = record && ring_capacity_ > 0;
  glUseProgram(p.id());
  gpu::set_uniform(p, "u_count", unsigned(count_));
  gpu::set_uniform(p, "u_seed", config_.seed);
  gpu::set_uniform(p, "u_first", first_particle_);
  gpu::set_uniform(p, "u_level", 0u);
  gpu::set_uniform(p, "u_record_slot", record ? int(frames_recorded_ % ring_capacity_) : -1);
  bind_particles(record);
  score_.bind(table_);
  gpu::dispatch_flat(ceil_div(GLuint(count_), GLuint(batch)), kLocalSize);
  gpu::storage_barrier();
  if (record) ++frames_recorded_;
}

int GpuSampler::step(int k, bool record) {
  if (k < 0 || k >= num_steps()) throw std::out_of_range("GpuSampler::step: k out of range");
  if (count_ == 0) throw std::logic_error("GpuSampler::step: no particles (call set_particles)");
  const bool annealed = config_.kind == SamplerKind::annealed;
  const int last_regular = annealed ? int(discrete_levels(noise_).size()) * config_.steps_per_level : config_.steps;
  if (config_.kind != SamplerKind::langevin && config_.denoise && k >= last_regular) return tweedie_step(k, record);
  const auto* grid = dynamic_cast<const TimeGridSampler*>(schedule_.get());
  const double t = grid ? grid->time_at(k) : 0.0;
  switch (config_.kind) {
    case SamplerKind::langevin:
    case SamplerKind::annealed: return langevin_step(k, record);
    case SamplerKind::em:
      upload_levels({sde_level(sde_, t)});
      return em_step(t, uint32_t(k), record);
    case SamplerKind::pc: return pc_step(k, t, record);
    case SamplerKind::ode: return ode_step(t, record);
    case SamplerKind::ddpm: return ddpm_step(k, t, record);
  }
  return 0;
}

// Sampler::tweedie at level_at(k): x ← (x + s²·score)/m.
int GpuSampler::tweedie_step(int k, bool record) {
  const NoiseLevel level = level_at(k);
  upload_levels({GpuLevel{level}});
  gpu::set_uniform(programs_->tweedie, "u_s2", float(level.s * level.s));
  gpu::set_uniform(programs_->tweedie, "u_m", float(level.m));
  dispatch(programs_->tweedie, record, score_.batch());
  return 1;
}

// Langevin (a = ε, b = √(2ε)) or annealed Langevin (αᵢ = ε·σᵢ²/σ_L², a = αᵢ/2, b = √αᵢ).
int GpuSampler::langevin_step(int k, bool record) {
  const gl::Program& p = programs_->step;
  const NoiseLevel level = level_at(k);
  double a = config_.eps, b = std::sqrt(2.0 * config_.eps);
  if (config_.kind == SamplerKind::annealed) {
    const NoiseLevel last = discrete_levels(noise_).back();
    const double alpha = config_.eps * (level.s * level.s) / (last.s * last.s);
    a = 0.5 * alpha;
    b = std::sqrt(alpha);
  }
  upload_levels({GpuLevel{level}});
  gpu::set_uniform(p, "u_a", float(a));
  gpu::set_uniform(p, "u_b", float(b));
  gpu::set_uniform(p, "u_counter", uint32_t(k));
  dispatch(p, record, score_.batch());
  return 1;
}

// One reverse-SDE Euler–Maruyama step at t (level row 0 must hold t) with the given RNG counter.
int GpuSampler::em_step(double t, uint32_t counter, bool record) {
  const gl::Program& p = programs_->step;
  const double f = sde_.drift_coef(t), g = sde_.diffusion(t);
  gpu::set_uniform(p, "u_f", float(f));
  gpu::set_uniform(p, "u_g2", float(g * g));
  gpu::set_uniform(p, "u_h", float(h_));
  gpu::set_uniform(p, "u_noise_scale", float(g * std::sqrt(h_)));
  gpu::set_uniform(p, "u_counter", counter);
  dispatch(p, record, score_.batch());
  return 1;
}

// M corrector steps (each: scores + group sums, the mean, the update), then the EM predictor.
int GpuSampler::pc_step(int k, double t, bool record) {
  const int m = config_.corrector_steps;
  const uint32_t base = uint32_t(k) * uint32_t(m + 1);
  const double alpha = sde_.kind() == NoiseKind::ve ? 1.0 : 1.0 - sde_.beta(t) * h_;
  upload_levels({sde_level(sde_, t)});
  const GLuint groups = launched_groups(ceil_div(GLuint(count_), score_.batch()));
  for (int c = 0; c < m; ++c) {
    dispatch(programs_->pc_norm, false, score_.batch());
    glUseProgram(programs_->pc_reduce.id());
    gpu::set_uniform(programs_->pc_reduce, "u_groups", unsigned(groups));
    gpu::set_uniform(programs_->pc_reduce, "u_count", unsigned(count_));
    glDispatchCompute(1, 1, 1);
    gpu::storage_barrier();
    gpu::set_uniform(programs_->pc_corrector, "u_alpha", float(alpha));
    gpu::set_uniform(programs_->pc_corrector, "u_snr", float(config_.snr));
    gpu::set_uniform(programs_->pc_corrector, "u_counter", base + uint32_t(c));
    dispatch(programs_->pc_corrector, false, 1);  // no score: one particle per invocation
  }
  em_step(t, base + uint32_t(m), record);
  return m + 1;
}

// Probability-flow ODE from t to t − h_ with levels t, t + h/2, t + h (h = −h_), as core evaluates.
int GpuSampler::ode_step(double t, bool record) {
  const double h = -h_;  // integrating backwards in time
  upload_levels({sde_level(sde_, t), sde_level(sde_, t + 0.5 * h), sde_level(sde_, t + h)});
  gpu::set_solver_uniforms(programs_->step, config_.solver, h);
  dispatch(programs_->step, record, score_.batch());
  return config_.solver == OdeSolver::euler ? 1 : config_.solver == OdeSolver::heun ? 2 : 4;
}

// x ← a·x + b·s + c·z with (a, b, c) exactly as core's DdpmSampler::step.
int GpuSampler::ddpm_step(int k, double t, bool record) {
  const gl::Program& p = programs_->step;
  double a, b, c;
  if (sde_.kind() == NoiseKind::vp) {
    const double beta = sde_.beta(t) * h_;
    a = 1.0 / std::sqrt(1.0 - beta);
    b = beta * a;
    c = std::sqrt(beta);
  } else {
    const double s2 = std::pow(sde_.std_dev(t), 2), s2_next = std::pow(sde_.std_dev(t - h_), 2);
    a = 1.0;
    b = s2 - s2_next;
    c = std::sqrt(s2_next * (s2 - s2_next) / s2);
  }
  upload_levels({sde_level(sde_, t)});
  gpu::set_uniform(p, "u_a", float(a));
  gpu::set_uniform(p, "u_b", float(b));
  gpu::set_uniform(p, "u_c", float(c));
  gpu::set_uniform(p, "u_counter", uint32_t(k));
  dispatch(p, record, score_.batch());
  return 1;
}

SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every) {
  SampleRun run;
  sampler.set_particles(x0);
  if (record_every > 0) {
    run.frames.push_back(sampler.particles());
    run.frame_steps.push_back(0);
  }
  const int n = sampler.num_steps();
  for (int k = 0; k < n; ++k) {
    run.nfe += sampler.step(k);
    if (record_every > 0 && ((k + 1) % record_every == 0 || k + 1 == n)) {
      run.frames.push_back(sampler.particles());
      run.frame_steps.push_back(k + 1);
    }
  }
  run.x = sampler.particles();
  return run;
}

}  // namespace scorelab
