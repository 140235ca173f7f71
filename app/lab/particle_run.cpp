#include "app/lab/particle_run.hpp"

#include <algorithm>
#include <cmath>

namespace scorelab {

CpuParticleEngine::CpuParticleEngine(std::unique_ptr<Sampler> sampler, Points x0)
    : sampler_(std::move(sampler)), x_(std::move(x0)) {}

void CpuParticleEngine::restore(int frame) {
  x_ = history_.frame(frame).cast<double>();
  history_.truncate_after(frame);
}

void CpuParticleEngine::take_storage_of(ParticleEngine& old) {
  if (auto* cpu = dynamic_cast<CpuParticleEngine*>(&old)) history_.adopt_storage(std::move(cpu->history_));
}

void ParticleRun::restart(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score) {
  std::unique_ptr<Sampler> sampler = make_sampler(config, noise, score);  // validates first
  start(std::make_unique<CpuParticleEngine>(std::move(sampler), initial_particles(config, noise)), config);
}

void ParticleRun::start(std::unique_ptr<ParticleEngine> engine, const SamplerConfig& config) {
  if (engine_) engine->take_storage_of(*engine_);
  engine_ = std::move(engine);
  config_ = config;
  step_ = 0;
  nfe_ = 0;
  ++generation_;
  engine_->record(0);
}

void ParticleRun::switch_engine(std::unique_ptr<ParticleEngine> engine) {
  if (engine_) engine->take_storage_of(*engine_);
  engine_ = std::move(engine);
  ++generation_;
  engine_->record(step_);
}

int ParticleRun::advance(int steps) {
  if (!engine_) return 0;
  const int n = std::min(steps, engine_->num_steps() - step_);
  for (int i = 0; i < n; ++i) nfe_ += engine_->step(step_++);
  if (n > 0) {
    engine_->record(step_);
    ++generation_;
  }
  return std::max(n, 0);
}

double ParticleRun::advance_slice(long work) {
  if (!engine_ || finished()) return 0.0;
  const double before = engine_->step_under_way() == step_ ? engine_->step_progress() : 0.0;
  int nfe = 0;
  if (!engine_->step_slice(step_, work, nfe)) return std::max(engine_->step_progress() - before, 0.0);
  nfe_ += nfe;
  engine_->record(++step_);
  ++generation_;
  return 1.0 - before;
}

void ParticleRun::rewind_to(int i) {
  if (!engine_ || i < 0 || i >= engine_->frames()) return;
  engine_->abandon_step();
  const int step = engine_->step_of(i);
  // NFE per step is constant for a sampler, so the count scales with the step.
  if (step_ > 0) nfe_ = nfe_ * step / step_;
  step_ = step;
  engine_->restore(i);
  ++generation_;
}

NoiseLevel ParticleRun::level() const { return level_at_step(step_); }

NoiseLevel ParticleRun::level_at_step(int k) const {
  if (!engine_) return {};
  return engine_->level_at(std::clamp(k, 0, engine_->num_steps()));
}

const FrameHistory* ParticleRun::cpu_history() const {
  const auto* cpu = dynamic_cast<const CpuParticleEngine*>(engine_.get());
  return cpu ? &cpu->history() : nullptr;
}

int budgeted_steps(int requested, double seconds_per_step, double budget_s) {
  requested = std::max(requested, 1);
  if (!(seconds_per_step > 0.0)) return requested;
  const double fit = std::floor(budget_s / seconds_per_step);
  return static_cast<int>(std::clamp(fit, 1.0, static_cast<double>(requested)));
}

int steps_this_frame(int requested, double seconds_per_step, double budget_s, double seconds_since_step,
                     double step_extra_s) {
  const double extra = std::min(step_extra_s, 3.0 * seconds_per_step + 0.5);
  if (seconds_per_step > budget_s && seconds_since_step < 2.0 * std::max(seconds_per_step, extra)) return 0;
  return budgeted_steps(requested, seconds_per_step, budget_s);
}

void StepPace::add(double steps, double seconds) {
  if (!(steps >= 0.0)) return;
  // A quarter of each new frame: follows a change of N within a few frames, smooths jitter.
  constexpr double kWeight = 0.25;
  const bool first = seconds_per_step <= 0.0;
  steps_per_frame = first ? steps : (1 - kWeight) * steps_per_frame + kWeight * steps;
  if (steps == 0.0) return;
  const double per_step = seconds / steps;
  seconds_per_step = first ? per_step : (1 - kWeight) * seconds_per_step + kWeight * per_step;
}

void StepPace::add_frame_period(double seconds) {
  if (!(seconds > 0.0) || seconds > 5.0) return;  // a stall (a dialog, a compile) is not the pace
  seconds_per_frame = seconds_per_frame > 0.0 ? 0.8 * seconds_per_frame + 0.2 * seconds : seconds;
}

bool SlowMotion::due(int frames_per_step) {
  if (frames_per_step <= 1) {
    waited_ = 0;
    return true;
  }
  if (waited_ == 0 || waited_ >= frames_per_step) {
    waited_ = 1;
    return true;
  }
  ++waited_;
  return false;
}

double finish_seconds(int steps_left, const StepPace& pace, int steps_per_frame, int frames_per_step) {
  if (steps_left <= 0) return 0.0;
  if (!(pace.seconds_per_frame > 0.0)) return -1.0;
  double seconds_per_step_played = 0.0;
  if (frames_per_step > 1) {
    seconds_per_step_played = std::max(frames_per_step * pace.seconds_per_frame, pace.seconds_per_step);
  } else {
    // The budget may cap the requested steps: the measured steps/frame then (a step every 1/x frames).
    double per_frame = std::max(steps_per_frame, 1);
    if (pace.steps_per_frame > 0.0 && pace.steps_per_frame < per_frame) per_frame = pace.steps_per_frame;
    seconds_per_step_played = pace.seconds_per_frame / per_frame;
  }
  return steps_left * seconds_per_step_played;
}

FrameSteps plan_sliced_frame(int requested, double seconds_per_step, double budget_s, int count) {
  count = std::max(count, 1);
  if (!(seconds_per_step > 0.0)) {
    if (count <= kProbeSlice) return {budgeted_steps(requested, seconds_per_step, budget_s), 0};
    return {0, kProbeSlice};
  }
  if (seconds_per_step <= budget_s) return {budgeted_steps(requested, seconds_per_step, budget_s), 0};
  const double share = std::max(budget_s, 0.0) / seconds_per_step;  // < 1: the step is dearer
  return {0, std::clamp(static_cast<long>(share * count), 1L, static_cast<long>(count))};
}

}  // namespace scorelab
