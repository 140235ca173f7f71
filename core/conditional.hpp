// Conditional sampling (THEORY.md §6): ∇log pₜ(x | y) = ∇log pₜ(x) + ∇log pₜ(y | x).
//  - Class guidance on a mixture, y = component k: pₜ(k | x) = rₖ(x) under pₜ, exact at every t.
//    With weight w the score is ∇log pₜ + w·∇log rₖ = (1 − w)·∇log pₜ + w·∇log Nₖ,ₜ; w = 1 samples the
//    exact p(x | k), larger w sharpens towards the component's core.
//  - An inverse problem, y = aᵀx₀ + n, n ~ N(0, σ_y²): guidance by the approximation
//    pₜ(y | xₜ) ≈ N(y; aᵀxₜ/m, σ_y² + (s/m)²‖a‖²) over any score (exact or learned), and the exact
//    posterior p₀(x | y) of a mixture prior, again a mixture, to check the approximation against.
#pragma once

#include <memory>
#include <string>

#include "core/mixture.hpp"

namespace scorelab {

// "class=K,w=W" (K a component index from 0, W in [0, 100]).
struct ClassCondition {
  int component = 0;
  double weight = 1.0;
};
// Throws InputError "<what>: ..." on a malformed spec or a component the mixture lacks.
ClassCondition parse_class_condition(const std::string& spec, int components, const std::string& what = "--condition");

// y = aᵀx₀ + n with n ~ N(0, σ²): "A=[a1,a2],y=Y,sigma=S" (a ≠ 0, σ > 0).
struct Observation {
  Vec2 a = Vec2(1, 0);
  double y = 0.0;
  double sigma = 0.1;
};
Observation parse_observation(const std::string& spec, const std::string& what = "--observe");

// p(x | k): the component alone (weight 1).
GaussianMixture class_conditional(const GaussianMixture& mixture, int k);
// p₀(x | y) ∝ p(x)·N(y; aᵀx, σ²) for a mixture prior: per component, the Gaussian update of mean and
// covariance, weights πₖ·N(y; aᵀμₖ, aᵀΣₖa + σ²).
GaussianMixture exact_posterior(const GaussianMixture& prior, const Observation& obs);

// (1 − w)·∇log pₜ(x) + w·∇log Nₖ,ₜ(x), with pₜ the noised mixture and Nₖ,ₜ its component k.
class ClassGuidedScore final : public ScoreFunction {
 public:
  ClassGuidedScore(GaussianMixture mixture, ClassCondition condition);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override;

 private:
  MixtureScore all_, one_;
  double w_;
};

// base(x, t) + ∇ₓ log N(y; aᵀx/m, σ_y² + (s/m)²‖a‖²) = base + (y − aᵀx/m)/(m·v)·a.
class ObservationGuidedScore final : public ScoreFunction {
 public:
  ObservationGuidedScore(std::shared_ptr<const ScoreFunction> base, Observation obs);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override;
  double lowest_noise(double schedule_smallest) const override { return base_->lowest_noise(schedule_smallest); }
  int evaluations_per_score() const override { return base_->evaluations_per_score(); }

 private:
  // The guidance term's coefficient c = 1/(m·v) at the level (the term is c·(y − aᵀx/m)·a).
  double coefficient(const NoiseLevel& level) const;
  std::shared_ptr<const ScoreFunction> base_;
  Observation obs_;
};

}  // namespace scorelab
