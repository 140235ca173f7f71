// The concrete samplers. Each is documented at its class; the maths is THEORY.md §4.
#pragma once

#include "core/samplers/sampler.hpp"

namespace scorelab {

// x ← x + ε·s(x) + √(2ε)·z, T = steps times, at one fixed noise level (see SamplerConfig::langevin_sigma).
class LangevinSampler final : public Sampler {
 public:
  LangevinSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int num_steps() const override { return config_.steps; }
  int step(int k, Points& x, uint32_t first_particle) override;
  NoiseLevel level_at(int) const override { return level_; }

 private:
  NoiseLevel level_;
};

// NCSN Algorithm 1: for each level i (largest first), T steps of x ← x + (αᵢ/2)·s(x, σᵢ) + √αᵢ·z with
// αᵢ = ε·σᵢ²/σ_L²; optionally a final Tweedie step at σ_L.
class AnnealedLangevinSampler final : public Sampler {
 public:
  AnnealedLangevinSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int num_steps() const override;
  int step(int k, Points& x, uint32_t first_particle) override;
  NoiseLevel level_at(int k) const override;

 private:
  std::vector<NoiseLevel> levels_;
};

// Base of the samplers that integrate in time from t = 1 down to ε on N steps of h = (1 − ε)/N.
class TimeGridSampler : public Sampler {
 public:
  TimeGridSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int num_steps() const override { return config_.steps + (config_.denoise ? 1 : 0); }
  NoiseLevel level_at(int k) const override { return sde_.level(time_at(k)); }
  double time_at(int k) const { return 1.0 - std::min(k, config_.steps) * h_; }

 protected:
  bool is_denoise_step(int k) const { return k >= config_.steps; }
  double eps_, h_;
};

// Reverse-time SDE by Euler–Maruyama: x ← x − [f(x,t) − g²·s(x,t)]·h + g·√h·z.
class EulerMaruyamaSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Predictor–corrector (Song et al. 2021, App. G): M Langevin corrector steps at t with
// e = 2α(r·√d/‖s‖)² (‖s‖ averaged over the population), then one Euler–Maruyama predictor step.
class PredictorCorrectorSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Probability-flow ODE dx/dt = f(x,t) − ½g²·s(x,t) from t = 1 to ε, by Euler, Heun or RK4.
class ProbabilityFlowSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Ancestral sampling on the discretised chain. VP: x ← (x + β·s)/√(1 − β) + √β·z with β = β(t)·h.
// VE (SMLD ancestral): x ← x + (σ² − σ'²)·s + √(σ'²(σ² − σ'²)/σ²)·z from σ = σ(t) to σ' = σ(t − h).
class DdpmSampler final : public TimeGridSampler {
 public:
  DdpmSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int step(int k, Points& x, uint32_t first_particle) override;
};

// The right-hand side of the probability-flow ODE at time t: f(t)·x − ½g(t)²·s(x, t) (2, N).
// Shared by the ODE sampler and the likelihood.
void probability_flow_rhs(const Sde& sde, const ScoreFunction& score, double t, const Points& x, Points& out);

}  // namespace scorelab
