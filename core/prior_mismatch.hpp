// Numbers behind the schedule explorer (THEORY.md §3): how far the end of the forward process is from
// the prior the sampler starts from, and the constant that turns a score-matching loss into the
// Fisher divergence. Monte-Carlo estimates with their standard errors, so a gauge can say how sure
// it is.
#pragma once

#include "core/data_source.hpp"
#include "core/mixture.hpp"
#include "core/schedules.hpp"

namespace scorelab {

struct Estimate {
  double value = 0.0;
  double standard_error = 0.0;  // sd/√n of the Monte-Carlo average
};

// KL(p₁ ‖ prior) = E_{p₁}[log p₁(x) − log prior(x)], p₁ the data pushed through the forward process
// to t = 1 and prior the schedule's N(0, prior_std² I). log p₁ is exact: a noised mixture, or the
// noised empirical distribution of the training points (toy sets and drawn points). A σ_max too small
// for the data (VE) or a β too small to forget it (VP) shows as a large KL: the sampler starts from
// the wrong distribution. n samples from `seed`.
Estimate prior_kl(const DataConfig& data, const NoiseConfig& noise, int n, uint32_t seed);

// ½·E_p‖∇log p(x)‖²: score matching's ISM/SSM loss equals the Fisher divergence ½E‖s_θ − ∇log p‖²
// minus this constant, so loss + constant is the Fisher divergence (THEORY.md §2).
Estimate score_norm_constant(const GaussianMixture& p, int n, uint32_t seed);

}  // namespace scorelab
