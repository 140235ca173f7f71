// Log-likelihood through the probability-flow ODE with the exact 2D divergence (THEORY.md §5):
//   log p₀(x₀) = log p₁(x₁) + ∫₀¹ ∇·[f − ½g²s](xₜ, t) dt, integrating forward from x₀ to x₁.
#pragma once

#include "core/sampler_config.hpp"
#include "core/schedules.hpp"
#include "core/score_function.hpp"

namespace scorelab {

struct LikelihoodConfig {
  int steps = 200;                   // fixed steps on [ε, 1]
  OdeSolver solver = OdeSolver::rk4;
  double eps = Sde::kLikelihoodEps;  // start time
  // When the score function knows its exact density (mixtures, point sets), use its p₁ at t = 1 as
  // the prior instead of the SDE's N(0, prior_std² I). The two differ by the data's imprint left at
  // t = 1 (for VE with σ_max = 50 and data at ±5 that is ~0.1 nats a point), which would otherwise
  // hide the accuracy of the ODE itself.
  bool exact_prior = true;
};

// x0: (2, N) → log p₀(x0) in nats (N). NLL = −result; bits/dim = NLL / (2 ln 2).
Scalars ode_log_likelihood(const ScoreFunction& score, const NoiseConfig& noise, const Points& x0,
                           const LikelihoodConfig& config = {});

// The same integration, for callers that want the end points too (the GUI's density heatmap).
struct OdeLikelihoodResult {
  Scalars log_p0;          // (N)
  Points x1;               // (2, N) where each point ends at t = 1
  Scalars delta_log_p;     // (N) ∫ divergence
  long nfe = 0;            // score-and-divergence evaluations per point
};
OdeLikelihoodResult ode_likelihood(const ScoreFunction& score, const NoiseConfig& noise, const Points& x0,
                                   const LikelihoodConfig& config = {});

}  // namespace scorelab
