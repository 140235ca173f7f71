// The concrete samplers. Each is documented at its class; the maths is THEORY.md §4.
#pragma once

#include "core/samplers/sampler.hpp"
#include "core/samplers/step_coefficients.hpp"

namespace scorelab {

// x ← x + ε·s(x) + √(2ε)·z, T = steps times, at one fixed noise level (see SamplerConfig::langevin_sigma).
// A score that does not know the clean data (a network) is asked at the schedule's smallest level
// instead of below it; note() then says which σ ran.
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
// αᵢ = ε·σᵢ²/σ_L²; optionally a final Tweedie step at σ_L. ε is the configured one or, with
// eps_auto, Song & Ermon's technique 4 (step_coefficients.hpp); note() warns when ε ≥ 4σ_L².
class AnnealedLangevinSampler final : public Sampler {
 public:
  AnnealedLangevinSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int num_steps() const override;
  int step(int k, Points& x, uint32_t first_particle) override;
  NoiseLevel level_at(int k) const override;
  double eps() const { return eps_; }  // the base ε in use

 private:
  std::vector<NoiseLevel> levels_;
  double eps_;
};

// Base of the samplers that walk the nodes of a SamplerGrid: from t = 1 down to ε on N uniform steps,
// or down EDM's σ ladder to σ = 0 (step_coefficients.hpp).
class TimeGridSampler : public Sampler {
 public:
  TimeGridSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  // EDM's grid already ends with Tweedie's step, so `denoise` adds none there.
  int num_steps() const override { return config_.steps + (config_.denoise && !grid_.edm() ? 1 : 0); }
  NoiseLevel level_at(int k) const override { return grid_.level(k); }
  const SamplerGrid& grid() const { return grid_; }

 protected:
  // The final Tweedie step: `denoise` after the last step, or EDM's step to σ = 0.
  bool is_denoise_step(int k) const { return k >= config_.steps || grid_.is_final_tweedie(k); }
  SamplerGrid grid_;
};

// Reverse-time SDE: x ← x − [f(x,t) − g²·s(x,t)]·h + g·√h·z (Euler–Maruyama), or stochastic Heun
// (solver = heun: the reverse drift at both ends, one noise draw; two score evaluations a step).
class EulerMaruyamaSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Predictor–corrector (Song et al. 2021, App. G): M Langevin corrector steps at t with
// e = 2α(r·√d/‖s‖)² (‖s‖ averaged over the population), then one Euler–Maruyama predictor step.
// The corrector runs first, at the level the particles are at, as in score_sde's code.
class PredictorCorrectorSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Probability-flow ODE dx/dt = f(x,t) − ½g²·s(x,t) from t = 1 to ε, by Euler, Heun or RK4; on the EDM
// schedule dx/dσ = −σ·s(x, σ) down the ρ-ladder (Karras et al. 2022: Heun, NFE = 2N − 1), with churn.
class ProbabilityFlowSampler final : public TimeGridSampler {
 public:
  using TimeGridSampler::TimeGridSampler;
  int step(int k, Points& x, uint32_t first_particle) override;
};

// Ancestral sampling on the discretised chain, with exact discrete coefficients (ancestral_step):
// VP: x ← (x + βᵢ·s)/√(1 − βᵢ) + √βᵢ·z, βᵢ = −expm1(−ΔB). VE (SMLD): x ← x + (σ² − σ'²)·s + √(σ'²(σ² − σ'²)/σ²)·z.
class DdpmSampler final : public TimeGridSampler {
 public:
  DdpmSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s);
  int step(int k, Points& x, uint32_t first_particle) override;
};

// The right-hand side of the probability-flow ODE at time t: f(t)·x − ½g(t)²·s(x, t) (2, N).
// Shared by the ODE sampler and the likelihood.
void probability_flow_rhs(const Sde& sde, const ScoreFunction& score, double t, const Points& x, Points& out);
// The same at a FlowPoint: drift·x − half_g2·s(x, level).
void flow_rhs(const FlowPoint& p, const ScoreFunction& score, const Points& x, Points& out);

}  // namespace scorelab
