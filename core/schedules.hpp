// Noise schedules (THEORY.md §3): discrete NCSN/EDM levels and the three SDEs behind one interface.
#pragma once

#include <string_view>
#include <vector>

#include "core/score_function.hpp"

namespace scorelab {

enum class NoiseKind { geometric, edm, ve, vp, subvp };

NoiseKind parse_noise_kind(std::string_view name);  // throws InputError on an unknown name
const char* to_string(NoiseKind kind);

// Parameters of every schedule; each kind reads the fields it needs (listed beside them).
struct NoiseConfig {
  NoiseKind kind = NoiseKind::vp;
  double sigma_min = 0.01;  // geometric, edm, ve
  double sigma_max = 50.0;  // geometric, edm, ve
  int levels = 10;          // geometric, edm; also the level count annealed Langevin uses on an SDE
  double rho = 7.0;         // edm
  double beta_min = 0.1;    // vp, subvp
  double beta_max = 20.0;   // vp, subvp
};

// Checks ranges; throws InputError naming the field (prefix is the JSON path, e.g. "noise").
void validate(const NoiseConfig& config, std::string_view prefix = "noise");

// σᵢ = σ_max·(σ_min/σ_max)^((i−1)/(L−1)), i = 1..L, largest first.
std::vector<double> geometric_sigmas(double sigma_max, double sigma_min, int levels);
// σᵢ = (σ_max^(1/ρ) + i/(N−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, i = 0..N−1, largest first.
std::vector<double> edm_sigmas(double sigma_max, double sigma_min, int levels, double rho);

// A forward SDE dx = f(t)·x dt + g(t) dw with Gaussian marginals x_t = m(t)·x0 + s(t)·z, t ∈ [0, 1].
// Geometric and EDM schedules map to the VE SDE over the same σ range, so that every sampler can run
// on every schedule (σ(t) = σ_min·(σ_max/σ_min)^t passes through every geometric level).
class Sde {
 public:
  explicit Sde(const NoiseConfig& config);

  NoiseKind kind() const { return kind_; }
  double beta(double t) const;              // VP/sub-VP β(t); 0 for VE
  double integrated_beta(double t) const;   // B(t) = ∫₀ᵗ β
  double drift_coef(double t) const;        // f(x, t) = drift_coef(t)·x
  double diffusion(double t) const;         // g(t)
  double mean_coef(double t) const;         // m(t)
  double std_dev(double t) const;           // s(t)
  NoiseLevel level(double t) const { return {t, mean_coef(t), std_dev(t)}; }
  double drift_divergence(double t) const { return 2.0 * drift_coef(t); }  // ∇·f in 2D

  double prior_std() const;                              // σ_max for VE, 1 otherwise
  double prior_log_prob(const Vec2& x) const;            // log N(x; 0, prior_std² I)
  double sampling_eps() const;                           // 1e-5 (VE) or 1e-3 (VP, sub-VP)
  // The time at which s(t) = std (the inverse of std_dev); std must lie in s's range over [0, 1].
  double time_of_std(double std) const;
  static constexpr double kLikelihoodEps = 1e-5;
  static constexpr double kTrainingEps = 1e-5;

 private:
  NoiseKind kind_;
  double sigma_min_, sigma_max_, beta_min_, beta_max_;
};

// The discrete levels a level-based sampler (annealed Langevin) walks, largest noise first.
// Geometric/EDM: their σᵢ (m = 1, t = VE time of σᵢ). VE: L geometric levels over [σ_min, σ_max].
// VP/sub-VP: L times from 1 down to the sampling ε whose s(t) are geometric (a constant ratio between
// neighbouring levels, as NCSN's σᵢ; evenly spaced times left one ratio of 34 at the bottom, which
// annealed Langevin cannot bridge in T steps), with their (m, s).
std::vector<NoiseLevel> discrete_levels(const NoiseConfig& config);

// The VE time at which σ(t) = sigma: t = ln(σ/σ_min) / ln(σ_max/σ_min).
double ve_time_of_sigma(double sigma, double sigma_min, double sigma_max);

// A σ-level on the data itself (m = 1, s = σ ≥ 0), as the single-level objectives train at it and
// plain Langevin's "sigma" asks for it. Its t (the network's conditioning input) is the VE time of σ
// clamped to [0, 1] on the VE-type schedules, and 0 on VP/sub-VP (whose path never has m = 1 and
// s > 0) and at σ = 0 (where ln σ is −∞): always finite, and fixed by (schedule, σ) alone, so a
// network trained at a level and asked for the same σ later sees the same input.
NoiseLevel sigma_level(const NoiseConfig& config, double sigma);

}  // namespace scorelab
