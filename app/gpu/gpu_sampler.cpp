#include "app/gpu/gpu_sampler.hpp"

#include <cmath>
#include <stdexcept>

#include "app/gpu/sliced_step.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

namespace {

constexpr GLuint kGroup = gpu::kParticleGroup;  // invocations per workgroup

// How a sliced step's budget divides between its passes: cost per particle relative to a pass that
// evaluates the score once (weights set slice sizes only, never results). Measured on llvmpipe at
// 10⁶ particles, relative to the EM pass: predictor–corrector's scores-and-sums pass and its update
// pass cost 1.6 and 0.4 with a mixture of 8 (the update's noise draw is a good part of a cheap score;
// the sums' barrier tree adds to it), 1.0 and 0.015 with a 64×3 network (the network is everything;
// 0.02 here). A wrong weight only makes some frames' slices dearer or cheaper than the budget.
constexpr double kScoreWeight = 1.0;
struct PcWeights {
  double sums, update;
};
PcWeights pc_weights(const GpuScore& score) { return score.is_network() ? PcWeights{1.0, 0.02} : PcWeights{1.6, 0.4}; }

// core's sampler is kept for its schedule (num_steps, level_at); it never scores here. It answers
// lowest_noise() as the CPU twin of the GPU score would, so that Langevin picks the same level as core.
class ScheduleOnlyScore final : public ScoreFunction {
 public:
  explicit ScheduleOnlyScore(const GpuScore& score) : network_(score.is_network()), trained_sigma_(score.trained_sigma()) {}
  double lowest_noise(double schedule_smallest) const override {
    return network_ ? trained_sigma_.value_or(schedule_smallest) : 0.0;
  }
  void score(const Points&, const NoiseLevel&, Points&) const override { fail(); }
  void score_and_divergence(const Points&, const NoiseLevel&, Points&, Scalars&) const override { fail(); }

 private:
  [[noreturn]] static void fail() { throw std::logic_error("GpuSampler: the core schedule must not score"); }
  bool network_;
  std::optional<double> trained_sigma_;
};

GLuint ceil_div(GLuint a, GLuint b) { return (a + b - 1) / b; }

}  // namespace

struct GpuSampler::Programs {
  gl::Program step;  // langevin_step, em_step (also PC's predictor), ode_step or ddpm_step
  gl::Program pc_norm, pc_reduce, pc_corrector;
  gl::Program tweedie;
};

GpuSampler::GpuSampler(const SamplerConfig& config, const NoiseConfig& noise, const GpuScore& score)
    : config_(config), noise_(noise), sde_(noise), score_(&score),
      null_score_(std::make_unique<ScheduleOnlyScore>(score)),
      schedule_(make_sampler(config, noise, *null_score_)), grid_(noise, config.steps),
      programs_(std::make_unique<Programs>()) {
  const std::string defs = score_->defines_for(3);  // at most t, t + h/2, t + h per dispatch
  switch (config.kind) {
    case SamplerKind::langevin:
    case SamplerKind::annealed: programs_->step = gpu::build_compute("langevin_step.comp", defs); break;
    case SamplerKind::em:
      programs_->step = gpu::build_compute(config.solver == OdeSolver::heun ? "sde_heun_step.comp" : "em_step.comp", defs);
      break;
    case SamplerKind::pc:
      programs_->step = gpu::build_compute("em_step.comp", defs);
      programs_->pc_norm = gpu::build_compute("pc_score_norm.comp", defs);
      programs_->pc_reduce = gpu::build_compute("pc_reduce.comp");
      programs_->pc_corrector = gpu::build_compute("pc_corrector.comp");
      break;
    case SamplerKind::ode: programs_->step = gpu::build_compute("ode_step.comp", defs); break;
    case SamplerKind::ddpm: programs_->step = gpu::build_compute("ddpm_step.comp", defs); break;
  }
  // EDM's grid ends with a Tweedie step (em, pc, ddpm) whatever `denoise` says.
  const bool edm_tweedie = grid_.edm() && config.kind != SamplerKind::ode;
  if ((config.denoise || edm_tweedie) && config.kind != SamplerKind::langevin)
    programs_->tweedie = gpu::build_compute("tweedie_step.comp", defs);
  dummy_ = gpu::make_storage(16);
}

GpuSampler::~GpuSampler() = default;

void GpuSampler::set_score(const GpuScore& score) {
  if (score.defines() != score_->defines() || score.batch() != score_->batch())
    throw InputError("GpuSampler::set_score: the score's kind or architecture differs from the compiled kernels'");
  score_ = &score;
  invalidate_levels();  // a network's time features belong to the network
}

int GpuSampler::num_steps() const { return schedule_->num_steps(); }
NoiseLevel GpuSampler::level_at(int k) const { return schedule_->level_at(k); }

void GpuSampler::set_particles(const Points& x, uint32_t first_particle) {
  if (x.cols() < 1 || x.cols() > 0x7FFFFFFF / 8) throw InputError("particles: need 1 to 2^28 particles");
  count_ = int(x.cols());
  first_particle_ = first_particle;
  const Eigen::Matrix<float, 2, Eigen::Dynamic> xf = x.cast<float>();  // (2, N) column-major = N vec2
  slices_.set_particles(xf.data(), count_);  // abandons a step under way
  recording_ = false;
  if (config_.kind == SamplerKind::pc) {
    scratch_ = gpu::make_storage(GLsizeiptr(count_) * 8);
    sums_ = gpu::make_storage(GLsizeiptr(1 + ceil_div(GLuint(count_), kGroup * score_->batch())) * 4);
  }
  set_trajectory_capacity(ring_capacity_);
}

Points GpuSampler::particles() const {
  Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, count_);
  gpu::read_storage(slices_.positions(), 0, GLsizeiptr(count_) * 8, xf.data());
  return xf.cast<double>();
}

void GpuSampler::set_trajectory_capacity(int capacity) {
  if (capacity < 0 || capacity > 1024 || double(capacity) * count_ >= 4294967296.0)
    throw InputError("trajectory capacity must be in [0, 1024] frames with capacity x particles < 2^32");
  if (recording_) abandon_step();  // its last pass would write the old ring
  ring_capacity_ = capacity;
  frames_recorded_ = 0;
  ring_clobbered_ = -1;
  ring_ = capacity > 0 && count_ > 0 ? gpu::make_storage(GLsizeiptr(capacity) * count_ * 8) : gl::Buffer();
}

Points GpuSampler::trajectory_frame(long frame) const {
  if (ring_capacity_ == 0 || frame < 0 || frame >= frames_recorded_ || frame < frames_recorded_ - ring_capacity_ ||
      frame == ring_clobbered_)
    throw std::out_of_range("trajectory frame " + std::to_string(frame) + " is not in the ring");
  Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, count_);
  gpu::read_storage(ring_, GLintptr(frame % ring_capacity_) * count_ * 8, GLsizeiptr(count_) * 8, xf.data());
  return xf.cast<double>();
}

void GpuSampler::finish() const { glFinish(); }

int GpuSampler::step(int k, bool record) {
  const int nfe = begin_step(k, record);
  continue_step(gpu::SlicedStep::kWhole);
  return nfe;
}

int GpuSampler::begin_step(int k, bool record) {
  if (k < 0 || k >= num_steps()) throw std::out_of_range("GpuSampler::step: k out of range");
  if (count_ == 0) throw std::logic_error("GpuSampler::step: no particles (call set_particles)");
  int nfe = 0;
  std::vector<gpu::Pass> passes = plan_step(k, nfe);
  recording_ = record && ring_capacity_ > 0;
  passes.back().record = recording_;
  // The slot this step writes holds the ring's oldest frame: gone from the first slice on.
  if (recording_) ring_clobbered_ = frames_recorded_ - ring_capacity_;
  slices_.begin(std::move(passes), long(kGroup) * score_->batch());
  return nfe;
}

void GpuSampler::abandon_step() {
  slices_.abandon();
  recording_ = false;
}

bool GpuSampler::continue_step(long work) {
  score_->upload_levels(levels_, table_);  // skipped when the table already holds them
  if (!slices_.run(work, [this](const gpu::Pass& pass) { set_shared(pass); })) return false;
  if (recording_) ++frames_recorded_;
  recording_ = false;
  return true;
}

// Set before every dispatch, slices included: GL keeps uniforms per program, and another pass (or
// another sampler's use of the score's buffers) may have run since.
void GpuSampler::set_shared(const gpu::Pass& pass) const {
  const gl::Program& p = *pass.program;
  if (pass.batch > 0) {
    gpu::set_uniform(p, "u_seed", config_.seed);
    gpu::set_uniform(p, "u_first", first_particle_);
    gpu::set_uniform(p, "u_level", 0u);
    gpu::set_uniform(p, "u_record_slot", pass.record ? int(frames_recorded_ % ring_capacity_) : -1);
  }
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kTrajectory, pass.record ? ring_.id() : dummy_.id());
  if (scratch_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kScratch, scratch_.id());
  if (sums_) glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kPartials, sums_.id());
  score_->bind(table_);
}

std::vector<gpu::Pass> GpuSampler::plan_step(int k, int& nfe) {
  nfe = 1;
  switch (config_.kind) {
    case SamplerKind::langevin: return langevin_step(k);
    case SamplerKind::annealed:
      if (config_.denoise && k >= int(discrete_levels(noise_).size()) * config_.steps_per_level) return tweedie_step(k);
      return langevin_step(k);
    case SamplerKind::ode:
      if (k >= config_.steps) return tweedie_step(k);
      return ode_step(k, nfe);
    default: break;
  }
  // em, pc, ddpm: `denoise` after the last step, or EDM's last step to σ = 0 (core's is_denoise_step).
  if (k >= config_.steps || grid_.is_final_tweedie(k)) return tweedie_step(k);
  switch (config_.kind) {
    case SamplerKind::em: return em_step(k, nfe);
    case SamplerKind::pc: return pc_step(k, nfe);
    case SamplerKind::ddpm: return ddpm_step(k);
    default: break;
  }
  throw std::logic_error("GpuSampler: unknown sampler kind");
}

// A pass of a kernel that scores the particles (batches of the score's SCORE_BATCH).
gpu::Pass GpuSampler::score_pass(const gl::Program& p, double weight,
                                 std::function<void(const gl::Program&)> uniforms) const {
  return gpu::Pass{&p, score_->batch(), weight, false, std::move(uniforms)};
}

// Sampler::tweedie at level_at(k): x ← (x + s²·score)/m.
std::vector<gpu::Pass> GpuSampler::tweedie_step(int k) {
  const NoiseLevel level = level_at(k);
  levels_ = {GpuLevel{level}};
  const float s2 = float(level.s * level.s), m = float(level.m);
  return {score_pass(programs_->tweedie, kScoreWeight, [=](const gl::Program& p) {
    gpu::set_uniform(p, "u_s2", s2);
    gpu::set_uniform(p, "u_m", m);
  })};
}

// Langevin or annealed Langevin with core's (level, a, b) for step k.
std::vector<gpu::Pass> GpuSampler::langevin_step(int k) {
  LangevinStep st;
  if (config_.kind == SamplerKind::annealed) {
    const std::vector<NoiseLevel> levels = discrete_levels(noise_);
    st = annealed_langevin_step(config_, levels, annealed_eps(config_, levels), k);
  } else {
    st = plain_langevin_step(config_, level_at(k));
  }
  levels_ = {GpuLevel{st.level}};
  return {score_pass(programs_->step, kScoreWeight, [a = float(st.a), b = float(st.b), k](const gl::Program& p) {
    gpu::set_uniform(p, "u_a", a);
    gpu::set_uniform(p, "u_b", b);
    gpu::set_uniform(p, "u_counter", uint32_t(k));
  })};
}

// One reverse-SDE step from node k: Euler–Maruyama, or stochastic Heun (solver heun: two level rows).
std::vector<gpu::Pass> GpuSampler::em_step(int k, int& nfe) {
  const ReverseSdeStep st = reverse_sde_step(sde_, grid_, k);
  if (config_.solver != OdeSolver::heun) {
    levels_ = {st.start};
    return {em_pass(st, uint32_t(k))};
  }
  levels_ = {st.start, st.end};
  nfe = 2;
  const float h = float(st.h), noise_start = float(st.noise_start), noise_mean = float(st.noise_mean);
  return {score_pass(programs_->step, 2 * kScoreWeight, [=](const gl::Program& p) {
    gpu::set_uniform(p, "u_h", h);
    gpu::set_uniform(p, "u_noise_start", noise_start);
    gpu::set_uniform(p, "u_noise_mean", noise_mean);
    gpu::set_uniform(p, "u_counter", uint32_t(k));
  })};
}

// The Euler–Maruyama pass of em_step.comp (also PC's predictor); level row 0 must hold st.start.
gpu::Pass GpuSampler::em_pass(const ReverseSdeStep& st, uint32_t counter) {
  const float uf = float(st.start.drift), g2 = float(2.0 * st.start.half_g2), h = float(st.h),
              noise = float(st.noise_start);
  return score_pass(programs_->step, kScoreWeight, [=](const gl::Program& p) {
    gpu::set_uniform(p, "u_f", uf);
    gpu::set_uniform(p, "u_g2", g2);
    gpu::set_uniform(p, "u_h", h);
    gpu::set_uniform(p, "u_noise_scale", noise);
    gpu::set_uniform(p, "u_counter", counter);
  });
}

// M corrector steps (each: scores + group sums, the mean, the update), then the EM predictor.
std::vector<gpu::Pass> GpuSampler::pc_step(int k, int& nfe) {
  const int m = config_.corrector_steps;
  const uint32_t base = uint32_t(k) * uint32_t(m + 1);
  const ReverseSdeStep st = reverse_sde_step(sde_, grid_, k);
  const float alpha = float(corrector_alpha(sde_, grid_, k));
  const float snr = float(config_.snr);
  // Groups of pc_score_norm.comp holding a particle: its sums are at pc_sums[1 + g], g < groups.
  const GLuint groups = ceil_div(GLuint(count_), kGroup * score_->batch()), count = GLuint(count_);
  levels_ = {st.start};
  const PcWeights weights = pc_weights(*score_);
  std::vector<gpu::Pass> passes;
  for (int c = 0; c < m; ++c) {
    passes.push_back(score_pass(programs_->pc_norm, weights.sums, nullptr));
    passes.push_back(gpu::Pass{&programs_->pc_reduce, 0, 0.0, false, [=](const gl::Program& p) {
                                 gpu::set_uniform(p, "u_groups", unsigned(groups));
                                 gpu::set_uniform(p, "u_count", unsigned(count));
                               }});
    const uint32_t counter = base + uint32_t(c);
    // No score: one particle per invocation (the scores are in the scratch buffer).
    passes.push_back(gpu::Pass{&programs_->pc_corrector, 1, weights.update, false, [=](const gl::Program& p) {
                                 gpu::set_uniform(p, "u_alpha", alpha);
                                 gpu::set_uniform(p, "u_snr", snr);
                                 gpu::set_uniform(p, "u_counter", counter);
                               }});
  }
  passes.push_back(em_pass(st, base + uint32_t(m)));
  nfe = m + 1;
  return passes;
}

// Probability-flow ODE step k with core's rows (start, midpoint, end), step and solver; EDM's churn.
std::vector<gpu::Pass> GpuSampler::ode_step(int k, int& nfe) {
  const OdeStep st = scorelab::ode_step(sde_, grid_, config_, k);
  levels_ = {st.points[0], st.points[1], st.points[2]};
  nfe = st.solver == OdeSolver::euler ? 1 : st.solver == OdeSolver::heun ? 2 : 4;
  const OdeSolver solver = st.solver;
  const double h = st.h;
  const float churn = float(st.churn_std);
  return {score_pass(programs_->step, nfe * kScoreWeight, [=](const gl::Program& p) {
    gpu::set_solver_uniforms(p, solver, h);
    gpu::set_uniform(p, "u_churn_std", churn);
    gpu::set_uniform(p, "u_counter", uint32_t(k));
  })};
}

// x ← a·x + b·s + c·z with core's exact discrete coefficients (ancestral_step).
std::vector<gpu::Pass> GpuSampler::ddpm_step(int k) {
  const AncestralStep st = ancestral_step(sde_, grid_, k);
  levels_ = {GpuLevel{grid_.level(k)}};
  return {score_pass(programs_->step, kScoreWeight,
                     [a = float(st.a), b = float(st.b), c = float(st.c), k](const gl::Program& p) {
                       gpu::set_uniform(p, "u_a", a);
                       gpu::set_uniform(p, "u_b", b);
                       gpu::set_uniform(p, "u_c", c);
                       gpu::set_uniform(p, "u_counter", uint32_t(k));
                     })};
}

SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every) {
  SampleRun kept;
  SampleObserver keep;
  keep.frame = [&kept](int step, const Points& x) {
    kept.frames.push_back(x);
    kept.frame_steps.push_back(step);
  };
  SampleRun run = run_gpu_sampler(sampler, x0, record_every, keep);
  run.frames = std::move(kept.frames);
  run.frame_steps = std::move(kept.frame_steps);
  return run;
}

SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every, const SampleObserver& observer) {
  SampleRun run;
  sampler.set_particles(x0);
  const bool record = record_every > 0 && observer.frame;
  if (record) observer.frame(0, sampler.particles());
  const int n = sampler.num_steps();
  for (int k = 0; k < n; ++k) {
    run.nfe += sampler.step(k);
    if (record && ((k + 1) % record_every == 0 || k + 1 == n)) observer.frame(k + 1, sampler.particles());
    if (observer.step) observer.step(k + 1, n);
  }
  run.x = sampler.particles();
  return run;
}

}  // namespace scorelab
