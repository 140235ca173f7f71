#include <cmath>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

StepTracer Sampler::begin_trace(int k, const char* formula, const Points& x) {
  if (!followed_ || *followed_ < 0 || *followed_ >= x.cols()) return {};
  trace_ = StepTrace{formula, k, x.col(*followed_), {}};
  return {&trace_, *followed_};
}

void Sampler::tweedie(int k, Points& x, const NoiseLevel& level) {
  const StepTracer trace = begin_trace(k, "x ← (x + s²·∇log pₜ(x))/m  (Tweedie: E[x₀ | xₜ])", x);
  score_.score(x, level, s_);
  if (trace.on()) {
    const Vec2 xj = x.col(trace.column()), sj = s_.col(trace.column());
    trace.add("(1/m − 1)·x", (1.0 / level.m - 1.0) * xj);
    trace.add("(s²/m)·∇log pₜ", level.s * level.s / level.m * sj);
  }
  x = (x + level.s * level.s * s_) / level.m;
}

std::unique_ptr<Sampler> make_sampler(const SamplerConfig& config, const NoiseConfig& noise,
                                      const ScoreFunction& score) {
  validate(config);
  validate(noise);
  switch (config.kind) {
    case SamplerKind::langevin: return std::make_unique<LangevinSampler>(config, noise, score);
    case SamplerKind::annealed: return std::make_unique<AnnealedLangevinSampler>(config, noise, score);
    case SamplerKind::em: return std::make_unique<EulerMaruyamaSampler>(config, noise, score);
    case SamplerKind::pc: return std::make_unique<PredictorCorrectorSampler>(config, noise, score);
    case SamplerKind::ode: return std::make_unique<ProbabilityFlowSampler>(config, noise, score);
    case SamplerKind::ddpm: return std::make_unique<DdpmSampler>(config, noise, score);
  }
  throw std::logic_error("unhandled sampler kind");
}

Points initial_particles(const SamplerConfig& config, const NoiseConfig& noise) {
  // A seed of its own (a permutation of the sampler's), so the start is independent of step noise.
  uint32_t seed = pcg_hash(config.seed ^ 0x5EED1A17u);
  Points x(2, config.particles);
  double prior_std = Sde(noise).prior_std();
  for (int j = 0; j < config.particles; ++j) {
    if (config.init.kind == InitKind::uniform) {
      Vec2 u(uniform01(seed, j, 0), uniform01(seed, j, 1));
      x.col(j) = config.init.low + u.cwiseProduct(config.init.high - config.init.low);
    } else {
      x.col(j) = prior_std * normal2(seed, j, 0);
    }
  }
  return x;
}

SampleRun run_sampler(Sampler& sampler, Points x0, int record_every) {
  SampleRun run;
  SampleObserver keep;
  keep.frame = [&run](int step, const Points& x) {
    run.frames.push_back(x);
    run.frame_steps.push_back(step);
  };
  SampleRun done = run_sampler(sampler, std::move(x0), record_every, keep);
  done.frames = std::move(run.frames);
  done.frame_steps = std::move(run.frame_steps);
  return done;
}

SampleRun run_sampler(Sampler& sampler, Points x0, int record_every, const SampleObserver& observer) {
  SampleRun run;
  run.x = std::move(x0);
  const bool recording = record_every > 0 && observer.frame;
  if (recording) observer.frame(0, run.x);
  const int n = sampler.num_steps();
  for (int k = 0; k < n; ++k) {
    run.nfe += sampler.step(k, run.x);
    if (recording && ((k + 1) % record_every == 0 || k + 1 == n)) observer.frame(k + 1, run.x);
    if (observer.step) observer.step(k + 1, n);
  }
  return run;
}

SampleRun sample(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score,
                 int record_every) {
  auto sampler = make_sampler(config, noise, score);
  return run_sampler(*sampler, initial_particles(config, noise), record_every);
}

}  // namespace scorelab
