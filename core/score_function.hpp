// The one interface every sampler, the likelihood and the metrics use to ask for a score.
//
// An implementation is either exact (a Gaussian mixture, the ideal score of a point set) or a
// trained network; samplers cannot tell the difference, which is the point of the lab.
#pragma once

#include "core/types.hpp"

namespace scorelab {

// Where along the noising process a score is asked for. Every process we use has Gaussian
// marginals x = m·x0 + s·z, z ~ N(0, I):
//   - NCSN noise levels: m = 1, s = σ, t = position of the level in [0, 1] (largest σ at t = 1);
//   - SDEs (VE, VP, sub-VP): m = m(t), s = s(t) from core/schedules.hpp;
//   - the clean data: m = 1, s = 0.
// Exact scores read (m, s); networks read t or s, whichever they are conditioned on.
struct NoiseLevel {
  double t = 0.0;
  double m = 1.0;
  double s = 0.0;
};

class ScoreFunction {
 public:
  virtual ~ScoreFunction() = default;

  // x: (2, N) points; out: (2, N) scores ∇ₓ log p_level(x). out is resized by the callee.
  virtual void score(const Points& x, const NoiseLevel& level, Points& out) const = 0;

  // Score and its exact divergence ∇·s = ∂s₁/∂x₁ + ∂s₂/∂x₂ (div: (N)), for the ODE likelihood.
  virtual void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                    Scalars& div) const = 0;

  // The exact log-density log p_level(x), when the implementation knows it (mixtures, point sets).
  virtual bool has_log_prob() const { return false; }
  virtual void log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const;

  // The smallest noise s at which the score means something, for use with a schedule whose smallest
  // level is `schedule_smallest`: 0 for exact scores (a point set's through its small-noise floor);
  // a network knows only the levels it was trained on (its train.sigma when known, else the
  // schedule's smallest), and a sampler never asks it below them (see LangevinSampler).
  virtual double lowest_noise(double schedule_smallest) const {
    (void)schedule_smallest;
    return 0.0;
  }

  // Score evaluations are counted by callers (samplers report them per particle), not here. What one
  // costs in function evaluations, the NFE of the literature: 2 for classifier-free guidance at
  // 0 < w ≠ 1 (the unconditional and the conditional network), 1 otherwise; wrappers forward.
  virtual int evaluations_per_score() const { return 1; }
};

// The curl of the field in 2-D, ∂s₂/∂x₁ − ∂s₁/∂x₂ at each column of x (N), by central differences of
// step h (four score evaluations per point, in one batch). A true score is a gradient, so its curl
// is zero; a free network's need not be (the energy-vs-free lecture). The error is O(h²) plus the
// score's rounding divided by h: h ≈ 1e-2 of the data's scale suits a float network.
Scalars score_curl(const ScoreFunction& score, const Points& x, const NoiseLevel& level, double h);

}  // namespace scorelab
