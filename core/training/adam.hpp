// Adam (Kingma & Ba 2015) with bias correction and optional global-norm gradient clipping, and the
// exponential moving average of the weights that sampling uses.
//
// Both work on the flat parameter vector of core/nn/mlp.hpp, so they are a few vectorised lines.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace scorelab {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double clip = 0.0;  // > 0: rescale the gradient so that its global L2 norm is at most clip
};

template <typename Scalar>
class Adam {
 public:
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  Adam() = default;
  Adam(Eigen::Index n, AdamOptions options) : options_(options), m_(Vector::Zero(n)), v_(Vector::Zero(n)) {}

  const AdamOptions& options() const { return options_; }
  int64_t steps() const { return t_; }

  // θ ← θ − lr·m̂/(√v̂ + eps) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). grad is clipped in place.
  // Returns the gradient's global norm before clipping (a useful health signal).
  double step(Vector& params, Vector& grad) {
    const double norm = std::sqrt(grad.template cast<double>().squaredNorm());
    if (options_.clip > 0 && norm > options_.clip) grad *= static_cast<Scalar>(options_.clip / norm);
    ++t_;
    const Scalar b1 = static_cast<Scalar>(options_.beta1), b2 = static_cast<Scalar>(options_.beta2);
    m_ = b1 * m_ + (Scalar(1) - b1) * grad;
    v_ = b2 * v_ + (Scalar(1) - b2) * grad.cwiseAbs2();
    // Folding both corrections into the step size: lr·√(1−β₂ᵗ)/(1−β₁ᵗ), eps scaled to match.
    const double c1 = 1.0 - std::pow(options_.beta1, double(t_));
    const double c2 = 1.0 - std::pow(options_.beta2, double(t_));
    const Scalar step_size = static_cast<Scalar>(options_.lr * std::sqrt(c2) / c1);
    const Scalar eps = static_cast<Scalar>(options_.eps * std::sqrt(c2));
    params.array() -= step_size * m_.array() / (v_.array().sqrt() + eps);
    return norm;
  }

 private:
  AdamOptions options_;
  Vector m_, v_;
  int64_t t_ = 0;
};

// shadow ← d·shadow + (1 − d)·θ with d = min(decay, (1 + n)/(10 + n)) at update n (0-based).
// Why the warm-up: with d = 0.999 from the start, the average would remember the random
// initialisation for thousands of steps, and early snapshots (what the lab shows while training)
// would be useless. The same schedule as torch_ema's `use_num_updates`.
template <typename Scalar>
class Ema {
 public:
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  Ema() = default;
  Ema(const Vector& params, double decay) : shadow_(params), decay_(decay) {}

  void update(const Vector& params) {
    const double d = std::min(decay_, (1.0 + double(updates_)) / (10.0 + double(updates_)));
    ++updates_;
    shadow_ = static_cast<Scalar>(d) * shadow_ + static_cast<Scalar>(1.0 - d) * params;
  }
  const Vector& weights() const { return shadow_; }
  int64_t updates() const { return updates_; }

 private:
  Vector shadow_;
  double decay_ = 0.999;
  int64_t updates_ = 0;
};

}  // namespace scorelab
