#include "app/gui/particle_run.hpp"

#include <algorithm>

namespace scorelab {

void ParticleRun::restart(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score) {
  std::unique_ptr<Sampler> sampler = make_sampler(config, noise, score);  // validates first
  sampler_ = std::move(sampler);
  config_ = config;
  x_ = initial_particles(config, noise);
  step_ = 0;
  nfe_ = 0;
  history_.clear();
  history_.push(0, x_);
}

int ParticleRun::advance(int steps) {
  if (!sampler_) return 0;
  const int n = std::min(steps, sampler_->num_steps() - step_);
  for (int i = 0; i < n; ++i) nfe_ += sampler_->step(step_++, x_);
  if (n > 0) history_.push(step_, x_);
  return std::max(n, 0);
}

void ParticleRun::rewind_to(int i) {
  if (!sampler_ || i < 0 || i >= history_.size()) return;
  // NFE per step is constant for a sampler, so the count scales with the step.
  if (step_ > 0) nfe_ = nfe_ * history_.step_of(i) / step_;
  step_ = history_.step_of(i);
  x_ = history_.frame(i).cast<double>();
  history_.truncate_after(i);
}

NoiseLevel ParticleRun::level() const { return level_at_step(step_); }

NoiseLevel ParticleRun::level_at_step(int k) const {
  if (!sampler_) return {};
  return sampler_->level_at(std::clamp(k, 0, sampler_->num_steps()));
}

}  // namespace scorelab
