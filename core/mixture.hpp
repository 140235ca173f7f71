// Gaussian mixtures p(x) = Σₖ πₖ N(x; μₖ, Σₖ) with exact log-density, score and Hessian (THEORY.md §1).
#pragma once

#include <vector>

#include "core/score_function.hpp"

namespace scorelab {

struct GaussianComponent {
  double weight = 1.0;
  Vec2 mean = Vec2::Zero();
  Mat2 cov = Mat2::Identity();
};

class GaussianMixture {
 public:
  GaussianMixture() = default;
  explicit GaussianMixture(std::vector<GaussianComponent> components);  // validates, normalises weights

  const std::vector<GaussianComponent>& components() const { return components_; }
  int size() const { return static_cast<int>(components_.size()); }

  // The law of m·x + s·z for x ~ this mixture, z ~ N(0, I): Σₖ πₖ N(m μₖ, m²Σₖ + s²I).
  GaussianMixture noised(double m, double s) const;
  GaussianMixture noised(const NoiseLevel& level) const { return noised(level.m, level.s); }

  double log_prob(const Vec2& x) const;
  Vec2 score(const Vec2& x) const;
  Mat2 hessian_log_prob(const Vec2& x) const;  // ∇² log p, whose trace is the score's divergence
  int most_responsible(const Vec2& x) const;  // argmaxₖ rₖ(x)

  // x: (2, N) → out: (N) or (2, N). Batched forms of the above.
  void log_prob(const Points& x, Scalars& out) const;
  void score(const Points& x, Points& out) const;
  void score_and_divergence(const Points& x, Points& out, Scalars& div) const;

  Points sample(int n, uint32_t seed, uint32_t stream = 0) const;
  // The component each of sample(n, seed, stream)'s points was drawn from (n): the same draws, so
  // point i of sample() came from component sample_components()[i] (the class labels of a
  // class-conditional network's training set).
  std::vector<int> sample_components(int n, uint32_t seed, uint32_t stream = 0) const;

  Vec2 mean() const;
  Mat2 covariance() const;

 private:
  // Per component: logits offset log πₖ − ½ log det(2πΣₖ) and the precision Σₖ⁻¹.
  struct Cached {
    Vec2 mean;
    Mat2 precision;
    double log_norm;
    Mat2 chol;  // lower Cholesky factor of Σₖ, for sampling
  };
  // Writes the component log-terms and scores gₖ = −Σₖ⁻¹(x − μₖ) at x; returns log p(x).
  double log_terms(const Vec2& x, double* logits, Vec2* g) const;
  // r[k] = rₖ(x), g[k] = gₖ(x); returns ḡ = Σₖ rₖ gₖ (the score).
  Vec2 responsibilities(const Vec2& x, double* r, Vec2* g) const;
  // The same where every log-term has overflowed to −inf (|x| beyond ~1e154): the nearest component.
  Vec2 far_responsibilities(const Vec2& x, double* r, Vec2* g) const;

  std::vector<GaussianComponent> components_;
  std::vector<Cached> cache_;
};

// The exact score of a mixture at every noise level: the score of mixture.noised(level).
class MixtureScore final : public ScoreFunction {
 public:
  explicit MixtureScore(GaussianMixture mixture) : mixture_(std::move(mixture)) {}
  const GaussianMixture& mixture() const { return mixture_; }

  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                            Scalars& div) const override;
  bool has_log_prob() const override { return true; }
  void log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const override;

 private:
  GaussianMixture mixture_;
};

}  // namespace scorelab
