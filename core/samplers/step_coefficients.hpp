// The per-step scalars of the samplers, as plain functions of the schedule (THEORY.md §3–4).
//
// The CPU samplers (core/samplers/*.cpp) and the GPU host (app/gpu/gpu_sampler.cpp) both call these,
// so a formula fixed here is fixed on both sides: the GLSL kernels only apply the numbers they are
// given. Everything here is the same for every particle of a step, computed once in double.
#pragma once

#include <vector>

#include "core/sampler_config.hpp"
#include "core/schedules.hpp"

namespace scorelab {

// A point on a sampler's path: the noise level where the score is asked for, and the coefficients
// of the flow there, dx/dτ = drift·x − half_g2·s(x):
//   - SDE time (τ = t): drift = f(t), half_g2 = ½g(t)², drift_div = ∇·f = 2f(t) in 2D;
//   - EDM's σ (τ = σ, Karras et al. 2022): drift = 0, half_g2 = σ, so dx/dσ = −σ·s(x, σ).
struct FlowPoint {
  NoiseLevel level;
  double drift = 0;
  double half_g2 = 0;
  double drift_div = 0;
};

FlowPoint sde_flow_point(const Sde& sde, double t);
// The level of σ on the EDM ladder: m = 1, s = σ, t = the VE time of σ (what t-conditioned nets read).
FlowPoint edm_flow_point(const NoiseConfig& noise, double sigma);

// The nodes of a time-grid sampler (EM, PC, ODE, DDPM) with N = steps:
//   - VP, sub-VP, VE, geometric: t_k = 1 − k·(1 − ε)/N, k = 0..N, uniform in t (ε: Sde::sampling_eps);
//   - EDM: the ρ-ladder σ_0 = σ_max > … > σ_{N−1} = σ_min (THEORY §3), then σ_N = 0. The SDE samplers
//     step between VE times of the ladder; every sampler's last step (σ_min → 0) is Tweedie's
//     x + σ²·s(x, σ), which is the Euler step of dx/dσ = −σ·s to σ = 0 and ancestral sampling's last
//     step with σ' = 0.
class SamplerGrid {
 public:
  SamplerGrid(const NoiseConfig& noise, int steps);

  const NoiseConfig& noise() const { return noise_; }
  bool edm() const { return edm_; }
  int steps() const { return steps_; }
  // SDE time of node k (EDM: the VE time of σ_k; σ_N = 0 has none and maps to 0).
  double time(int k) const;
  // σ_k on the EDM ladder (0 at k = N); only for edm().
  double sigma(int k) const { return sigmas_[k]; }
  // The noise level of node k: where the particles are before step k.
  NoiseLevel level(int k) const;
  // EDM's last step: Tweedie at σ_{N−1}.
  bool is_final_tweedie(int k) const { return edm_ && k == steps_ - 1; }

 private:
  NoiseConfig noise_;
  Sde sde_;
  int steps_;
  bool edm_;
  double eps_;
  std::vector<double> sigmas_;  // EDM: N + 1 nodes, the last 0
};

// One reverse-SDE step from node k to k + 1, h = t_k − t_{k+1} > 0. Euler–Maruyama:
//   x ← x + a(x; start)·h + noise_start·z,  a(x; P) = −(P.drift·x − 2·P.half_g2·s(x, P.level)).
// Stochastic Heun (additive noise; THEORY §4) with the same z:
//   x̃ = x + a(x; start)·h + noise_start·z,  x ← x + ½(a(x; start) + a(x̃; end))·h + noise_mean·z.
struct ReverseSdeStep {
  FlowPoint start, end;
  double h = 0;
  double noise_start = 0;  // g(t_k)·√h
  double noise_mean = 0;   // ½(g(t_k) + g(t_{k+1}))·√h
};
ReverseSdeStep reverse_sde_step(const Sde& sde, const SamplerGrid& grid, int k);

// Ancestral step x ← a·x + b·s(x, t_k) + c·z from node k to k + 1, with exact discrete coefficients:
//   VP: αᵢ = m(t_k)²/m(t_{k+1})² = exp(−ΔB), ΔB = B(t_k) − B(t_{k+1}), βᵢ = −expm1(−ΔB) ∈ (0, 1) at any step count;
//       a = 1/√αᵢ, b = βᵢ/√αᵢ, c = √βᵢ;
//   VE (SMLD): a = 1, b = σ² − σ'², c = √(σ'²(σ² − σ'²)/σ²), σ = s(t_k), σ' = s(t_{k+1}).
struct AncestralStep {
  double a = 1, b = 0, c = 0;
};
AncestralStep ancestral_step(const Sde& sde, const SamplerGrid& grid, int k);

// The predictor–corrector corrector's α at node k: 1 (VE), else the discrete αᵢ = exp(−ΔB) of the step.
double corrector_alpha(const Sde& sde, const SamplerGrid& grid, int k);

// One probability-flow ODE step: the solver from points[0] through points[1] (midpoint) to
// points[2] with step h (τ_{k+1} − τ_k < 0). EDM: optional stochastic churn first (Karras et al.
// 2022, Alg. 2): x ← x + churn_std·z, which moves the start from σ_k up to σ̂ = σ_k(1 + γ), and the
// last step (to σ = 0) is Euler.
struct OdeStep {
  FlowPoint points[3];
  double h = 0;
  OdeSolver solver = OdeSolver::euler;
  double churn_std = 0;  // √(σ̂² − σ_k²)·S_noise; 0 without churn
};
OdeStep ode_step(const Sde& sde, const SamplerGrid& grid, const SamplerConfig& config, int k);

// One Langevin step x ← x + a·s(x, level) + b·z at step k: plain Langevin (a = ε, b = √(2ε), its one
// level), or annealed (NCSN Alg. 1: level i = k / T, αᵢ = ε·σᵢ²/σ_L², a = αᵢ/2, b = √αᵢ).
struct LangevinStep {
  NoiseLevel level;
  double a = 0, b = 0;
};
LangevinStep plain_langevin_step(const SamplerConfig& config, const NoiseLevel& level);
// levels: discrete_levels() of the schedule; eps: annealed_eps().
LangevinStep annealed_langevin_step(const SamplerConfig& config, const std::vector<NoiseLevel>& levels, double eps,
                                    int k);

// Annealed Langevin's base step ε: the configured one, or (config.eps_auto) Song & Ermon 2020's
// technique 4 for the worst ratio γ = sᵢ₋₁/sᵢ of neighbouring levels.
double annealed_eps(const SamplerConfig& config, const std::vector<NoiseLevel>& levels);
// Technique 4 in this project's form of the update, x ← x + (αᵢ/2)·s + √αᵢ·z, αᵢ = ε·sᵢ²/s_L²:
// with e = ε/(2s_L²), after T steps at level i from variance γ²sᵢ² the variance is sᵢ² times
//   v(e) = (1 − e)^{2T}·(γ² − c) + c,  c = 2/(2 − e)  (c: the stationary variance ratio).
// v > 1 for every e ∈ (0, 1), so ε minimises v − 1: the ε that brings the variance closest to sᵢ².
double song_ermon_eps(double gamma, int steps_per_level, double smallest_s);
double song_ermon_variance_ratio(double eps, double gamma, int steps_per_level, double smallest_s);
// Annealed Langevin is stable only for ε < 4·s_L² (the drift multiplies deviations by 1 − ε/(2s_L²)).
inline double annealed_stability_bound(double smallest_s) { return 4.0 * smallest_s * smallest_s; }

}  // namespace scorelab
