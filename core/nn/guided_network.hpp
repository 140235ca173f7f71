// Classifier-free guidance (Ho & Salimans 2021; THEORY.md §6) with a class-conditional network
// (ModelConfig::classes > 0, trained with label dropout):
//   s_w(x, t, k) = (1 − w)·s_θ(x, t, ∅) + w·s_θ(x, t, k).
// w = 0 is the unconditional score, w = 1 the conditional one (the learned twin of exact class
// guidance at w = 1, which samples p(x | k)); w > 1 extrapolates away from the unconditional score.
// The same convention as ClassGuidedScore (core/conditional.hpp), whose exact score is
// (1 − w)·∇log pₜ + w·∇log Nₖ,ₜ: with exact scores s(x, t, ∅) = ∇log pₜ and s(x, t, k) = ∇log pₜ(x | k)
// = ∇log Nₖ,ₜ the two are the same field (= ∇log pₜ + w·∇log rₖ), so one w means the same thing for
// the exact and the learned model and their difference is the network's error.
// Cost: two network evaluations per score (one at w = 0 or w = 1, where a term vanishes).
#pragma once

#include <memory>

#include "core/nn/score_network.hpp"

namespace scorelab {

class ClassifierFreeScore final : public ScoreFunction {
 public:
  // Throws InputError when net is not class-conditional or k is not one of its classes.
  ClassifierFreeScore(std::shared_ptr<const Mlp<float>> net, int k, double w);

  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override;
  double lowest_noise(double schedule_smallest) const override { return cond_.lowest_noise(schedule_smallest); }
  int evaluations_per_score() const override { return w_ == 0 || w_ == 1 ? 1 : 2; }
  void set_trained_sigma(std::optional<double> sigma);

  int component() const { return cond_.label(); }
  double weight() const { return w_; }

 private:
  NetworkScore uncond_, cond_;
  double w_;
};

}  // namespace scorelab
