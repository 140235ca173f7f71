#include "app/lab/gpu_particle_engine.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "app/gl/capabilities.hpp"
#include "app/gpu/sliced_step.hpp"
#include "app/gpu/gpu_sampler.hpp"
#include "core/forward_process.hpp"

namespace scorelab {

// What steps the particle buffer: a GpuSampler or the forward process's kernel, a step at a time,
// whole or in slices (gpu::SlicedStep: buffer() holds the last completed step meanwhile).
class GpuParticleEngine::Stepper {
 public:
  virtual ~Stepper() = default;
  virtual int num_steps() const = 0;
  virtual NoiseLevel level_at(int k) const = 0;
  virtual void set_particles(const Points& x) = 0;
  virtual Points particles() const = 0;
  virtual GLuint buffer() const = 0;
  virtual int begin(int k) = 0;  // abandons a step under way; returns step k's NFE per particle
  virtual bool run(long work) = 0;  // true when the step begun is complete
  virtual double progress() const = 0;
  virtual void abandon() = 0;
  virtual bool set_score(std::shared_ptr<const GpuScore>) { return true; }
  virtual bool kernels_fit(const GpuScore&) const { return true; }
  virtual GLuint weight_buffer() const { return 0; }
};

class GpuParticleEngine::SamplerStepper final : public Stepper {
 public:
  SamplerStepper(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score)
      : config_(config), noise_(noise), score_(make_gpu_score(score)) {  // the engine's first build
    if (!score_)
      throw InputError("GPU particles: this score has no GPU kernel (the ideal score of a point set); use the CPU path");
    sampler_ = std::make_unique<GpuSampler>(config_, noise_, *score_);
  }
  SamplerStepper(const SamplerConfig& config, const NoiseConfig& noise, std::shared_ptr<const GpuScore> score)
      : config_(config), noise_(noise), score_(std::move(score)) {
    if (!score_) throw InputError("GPU particles: no GPU score");
    sampler_ = std::make_unique<GpuSampler>(config_, noise_, *score_);
  }
  int num_steps() const override { return sampler_->num_steps(); }
  NoiseLevel level_at(int k) const override { return sampler_->level_at(k); }
  void set_particles(const Points& x) override { sampler_->set_particles(x); }
  Points particles() const override { return sampler_->particles(); }
  GLuint buffer() const override { return sampler_->particle_buffer(); }
  int begin(int k) override {
    sampler_->abandon_step();
    if (pending_) apply(std::move(pending_));
    return sampler_->begin_step(k);
  }
  bool run(long work) override { return sampler_->continue_step(work); }
  double progress() const override { return sampler_->step_progress(); }
  void abandon() override { sampler_->abandon_step(); }

  // A new score while a step is under way waits for the next step: the passes of one step (PC's
  // corrector and predictor) must follow one score, and finishing with the old one wastes nothing.
  bool set_score(std::shared_ptr<const GpuScore> fresh) override {
    if (!fresh) return false;
    if (sampler_->step_in_progress()) pending_ = std::move(fresh);
    else apply(std::move(fresh));
    return true;
  }
  bool kernels_fit(const GpuScore& fresh) const override { return fits(fresh); }
  GLuint weight_buffer() const override { return sampler_->score().weight_buffer(); }

 private:
  bool fits(const GpuScore& fresh) const {
    return fresh.defines() == score_->defines() && fresh.batch() == score_->batch();
  }
  void apply(std::shared_ptr<const GpuScore> fresh) {
    if (fits(*fresh)) {
      sampler_->set_score(*fresh);  // the sampler's kernels fit: new weights, same programs
      score_ = std::move(fresh);    // after set_score: the sampler no longer reads the old one
      return;
    }
    // Another kind or architecture: new kernels, the particles carried over (a rare switch).
    const Points x = sampler_->particles();
    auto sampler = std::make_unique<GpuSampler>(config_, noise_, *fresh);
    sampler->set_particles(x);
    sampler_ = std::move(sampler);  // the old sampler goes before the score it reads
    score_ = std::move(fresh);
  }

  SamplerConfig config_;
  NoiseConfig noise_;
  std::shared_ptr<const GpuScore> score_;  // its own first build, then shared uploads (lab.uploaded)
  std::unique_ptr<GpuSampler> sampler_;
  std::shared_ptr<const GpuScore> pending_;  // the score of the next step, set during a step
};

// The GPU twin of core's ForwardProcess::step (shaders/forward_step.comp).
class GpuParticleEngine::ForwardStepper final : public Stepper {
 public:
  ForwardStepper(const SamplerConfig& config, const NoiseConfig& noise, int steps)
      : process_(make_forward_process(config, noise, steps)),
        seed_(config.seed),
        program_(gpu::build_compute("forward_step.comp")),
        dummy_(gpu::make_storage(16)) {}
  int num_steps() const override { return process_->num_steps(); }
  NoiseLevel level_at(int k) const override { return process_->level_at(k); }
  void set_particles(const Points& x) override {
    const Eigen::Matrix<float, 2, Eigen::Dynamic> xf = x.cast<float>();
    slices_.set_particles(xf.data(), static_cast<int>(x.cols()));
  }
  Points particles() const override {
    Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, slices_.count());
    gpu::read_storage(slices_.positions(), 0, GLsizeiptr(slices_.count()) * 8, xf.data());
    return xf.cast<double>();
  }
  GLuint buffer() const override { return slices_.positions().id(); }
  int begin(int k) override {
    if (k < 0 || k >= num_steps()) throw std::out_of_range("forward step out of range");
    const ForwardTransition tr = process_->transition(k);
    const float a = float(tr.a), c = float(tr.c);
    slices_.begin({gpu::Pass{&program_, 1, 1.0, false, [=](const gl::Program& p) {
                               gpu::set_uniform(p, "u_a", a);
                               gpu::set_uniform(p, "u_c", c);
                               gpu::set_uniform(p, "u_counter", unsigned(k) + 1u);
                             }}},
                  gpu::kParticleGroup);
    return 0;
  }
  bool run(long work) override {
    return slices_.run(work, [this](const gpu::Pass& pass) {
      gpu::set_uniform(*pass.program, "u_seed", seed_);
      gpu::set_uniform(*pass.program, "u_first", 0u);
      gpu::set_uniform(*pass.program, "u_record_slot", -1);
      glBindBufferBase(GL_SHADER_STORAGE_BUFFER, gpu::binding::kTrajectory, dummy_.id());
    });
  }
  double progress() const override { return slices_.progress(); }
  void abandon() override { slices_.abandon(); }

 private:
  std::unique_ptr<ForwardProcess> process_;
  uint32_t seed_;
  gl::Program program_;
  gl::Buffer dummy_;
  gpu::SlicedStep slices_;
};

int GpuParticleEngine::ring_capacity(int count, int num_steps, size_t budget_bytes) {
  const double per_frame = 8.0 * std::max(count, 1);
  const double fit = static_cast<double>(budget_bytes) / per_frame;
  return static_cast<int>(std::clamp(std::min(fit, num_steps + 1.0), 2.0, 1024.0));
}

GpuParticleEngine::GpuParticleEngine(const SamplerConfig& config, const NoiseConfig& noise,
                                     const ScoreFunction& score, const Points& x0, size_t ring_budget_bytes)
    : GpuParticleEngine(std::make_unique<SamplerStepper>(config, noise, score), x0, ring_budget_bytes) {}

GpuParticleEngine::GpuParticleEngine(const SamplerConfig& config, const NoiseConfig& noise,
                                     std::shared_ptr<const GpuScore> score, const Points& x0, size_t ring_budget_bytes)
    : GpuParticleEngine(std::make_unique<SamplerStepper>(config, noise, std::move(score)), x0, ring_budget_bytes) {}

std::unique_ptr<GpuParticleEngine> GpuParticleEngine::forward(const SamplerConfig& config, const NoiseConfig& noise,
                                                              int steps, const Points& x0, size_t ring_budget_bytes) {
  return std::unique_ptr<GpuParticleEngine>(
      new GpuParticleEngine(std::make_unique<ForwardStepper>(config, noise, steps), x0, ring_budget_bytes));
}

GpuParticleEngine::GpuParticleEngine(std::unique_ptr<Stepper> stepper, const Points& x0, size_t ring_budget_bytes)
    : stepper_(std::move(stepper)), count_(static_cast<int>(x0.cols())) {
  stepper_->set_particles(x0);
  // The trails read the ring as one storage block: keep it within the driver's block size.
  const size_t max_block = static_cast<size_t>(std::max(gpu::get_integer(GL_MAX_SHADER_STORAGE_BLOCK_SIZE), 1 << 24));
  capacity_ = ring_capacity(count_, stepper_->num_steps(), std::min(ring_budget_bytes, max_block));
  if (double(capacity_) * count_ * 8.0 > double(max_block))
    throw InputError("GPU particles: " + std::to_string(count_) + " particles do not fit two frames in a GL storage block");
  ring_ = gpu::make_storage(GLsizeiptr(capacity_) * count_ * 8);
  slot_steps_.assign(static_cast<size_t>(capacity_), 0);
}

GpuParticleEngine::~GpuParticleEngine() = default;

int GpuParticleEngine::num_steps() const { return stepper_->num_steps(); }
NoiseLevel GpuParticleEngine::level_at(int k) const { return stepper_->level_at(k); }

int GpuParticleEngine::step(int k) {
  int nfe = 0;
  step_slice(k, gpu::SlicedStep::kWhole, nfe);
  return nfe;
}

bool GpuParticleEngine::step_slice(int k, long work, int& nfe) {
  if (under_way_ != k) {
    abandon_step();
    under_way_nfe_ = stepper_->begin(k);
    under_way_ = k;
  }
  if (!stepper_->run(work)) return false;
  under_way_ = -1;
  nfe = under_way_nfe_;
  return true;
}

double GpuParticleEngine::step_progress() const { return under_way_ >= 0 ? stepper_->progress() : 0.0; }

void GpuParticleEngine::abandon_step() {
  stepper_->abandon();
  under_way_ = -1;
}
bool GpuParticleEngine::set_score(const ScoreFunction& score) {
  std::unique_ptr<GpuScore> fresh = make_gpu_score(score);
  return fresh && stepper_->set_score(std::move(fresh));
}
bool GpuParticleEngine::set_score(std::shared_ptr<const GpuScore> score) { return stepper_->set_score(std::move(score)); }
bool GpuParticleEngine::kernels_fit(const ScoreFunction& score) const {
  const std::unique_ptr<GpuScore> fresh = make_gpu_score(score);
  return fresh && stepper_->kernels_fit(*fresh);
}
bool GpuParticleEngine::kernels_fit(const GpuScore& score) const { return stepper_->kernels_fit(score); }
GLuint GpuParticleEngine::weight_buffer() const { return stepper_->weight_buffer(); }

void GpuParticleEngine::set_positions(const Points& x) {
  if (x.cols() != count_) throw std::invalid_argument("GpuParticleEngine::set_positions: another particle count");
  abandon_step();
  stepper_->set_particles(x);
  total_ = oldest_ = 0;
}
GLuint GpuParticleEngine::particle_buffer() const { return stepper_->buffer(); }
int GpuParticleEngine::frames() const { return static_cast<int>(total_ - oldest_); }
int GpuParticleEngine::slot_of(int frame) const { return static_cast<int>(absolute(frame) % capacity_); }
int GpuParticleEngine::step_of(int frame) const { return slot_steps_[static_cast<size_t>(slot_of(frame))]; }

void GpuParticleEngine::record(int step) {
  if (total_ - oldest_ == capacity_) ++oldest_;  // the ring is full: the oldest frame's slot is reused
  const int slot = static_cast<int>(total_ % capacity_);
  const GLsizeiptr bytes = GLsizeiptr(count_) * 8;
  glBindBuffer(GL_COPY_READ_BUFFER, stepper_->buffer());
  glBindBuffer(GL_COPY_WRITE_BUFFER, ring_.id());
  glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, GLintptr(slot) * bytes, bytes);
  glBindBuffer(GL_COPY_READ_BUFFER, 0);
  glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
  slot_steps_[static_cast<size_t>(slot)] = step;
  ++total_;
}

void GpuParticleEngine::restore(int frame) {
  if (frame < 0 || frame >= frames()) throw std::out_of_range("GpuParticleEngine::restore: no such frame");
  abandon_step();
  const GLsizeiptr bytes = GLsizeiptr(count_) * 8;
  glBindBuffer(GL_COPY_READ_BUFFER, ring_.id());
  glBindBuffer(GL_COPY_WRITE_BUFFER, stepper_->buffer());
  glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, GLintptr(slot_of(frame)) * bytes, 0, bytes);
  glBindBuffer(GL_COPY_READ_BUFFER, 0);
  glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
  total_ = absolute(frame) + 1;  // later frames are dropped; their slots are written again
}

Points GpuParticleEngine::download(int frame) const {
  if (frame < 0 || frame >= frames()) throw std::out_of_range("GpuParticleEngine::download: no such frame");
  Eigen::Matrix<float, 2, Eigen::Dynamic> xf(2, count_);
  const GLsizeiptr bytes = GLsizeiptr(count_) * 8;
  gpu::read_storage(ring_, GLintptr(slot_of(frame)) * bytes, bytes, xf.data());
  return xf.cast<double>();
}

Points GpuParticleEngine::positions() const { return stepper_->particles(); }

namespace {

// Runs steps 0, 1, … of `run` (cycling) for about budget_s; returns particle-steps per second.
template <class StepFn, class SyncFn>
double steps_per_second(int n, int num_steps, double budget_s, StepFn step, SyncFn sync) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  int done = 0;
  double elapsed = 0.0;
  do {
    step(done % num_steps);
    ++done;
    sync();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < budget_s && done < 1000);
  return elapsed > 0.0 ? double(n) * done / elapsed : 0.0;
}

}  // namespace

ParticleSpeed measure_particle_speed(const SamplerConfig& config, const NoiseConfig& noise,
                                     const ScoreFunction& score, int n, double budget_s) {
  ParticleSpeed speed;
  SamplerConfig c = config;
  c.particles = std::max(n, 1);
  c.denoise = false;
  const Points x0 = initial_particles(c, noise);
  {
    auto sampler = make_sampler(c, noise, score);
    Points x = x0;
    speed.cpu = steps_per_second(c.particles, sampler->num_steps(), budget_s,
                                 [&](int k) { sampler->step(k, x); }, [] {});
  }
  if (std::string off = gl::compute_off_reason(); !off.empty()) {  // below GL 4.3: no GPU path to time
    speed.gpu_error = std::move(off);
    return speed;
  }
  try {
    GpuParticleEngine engine(c, noise, score, x0, 1);
    engine.step(0);  // first use: driver-side setup is not the steady state
    glFinish();
    speed.gpu = steps_per_second(c.particles, engine.num_steps(), budget_s, [&](int k) { engine.step(k); },
                                 [] { glFinish(); });
  } catch (const std::exception& e) {
    speed.gpu_error = e.what();
  }
  return speed;
}

}  // namespace scorelab
