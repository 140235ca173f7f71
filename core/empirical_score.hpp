// The "ideal" score of a finite point set {xᵢ}, i = 1..n (THEORY.md §1): at a noise level (t, m, s)
// the noised empirical distribution is p(x) = (1/n) Σᵢ N(x; m xᵢ, s²I), and its score is the exact
// minimiser of DSM on that set. Sampling with it reproduces the training points (memorisation).
#pragma once

#include "core/score_function.hpp"

namespace scorelab {

class EmpiricalScore final : public ScoreFunction {
 public:
  // s = 0 is a sum of Dirac deltas: no density, no score. Levels with s below this floor are
  // evaluated at s = kMinNoise instead: a Gaussian KDE far narrower than the spacing of any toy
  // training set (~0.05 for 10^4 points), so the field stays finite and still points at the nearest
  // data point. Samplers stop at s ≈ 0.01 (VE σ_min; VP at t = 1e-3), above the floor; only an
  // explicit s = 0 (the clean data, NoiseLevel's default) is clamped.
  static constexpr double kMinNoise = 1e-3;

  // data: (2, n), n ≥ 1, finite. max_threads: the most threads one call may use (≥ 1); large calls
  // (queries × n above ~2^20) are split across them by query column.
  explicit EmpiricalScore(Points data, int max_threads = 2);

  const Points& data() const { return data_; }
  int size() const { return static_cast<int>(data_.cols()); }

  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                            Scalars& div) const override;
  bool has_log_prob() const override { return true; }
  void log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const override;

 private:
  struct Outputs {
    Points* score = nullptr;
    Scalars* div = nullptr;
    Scalars* log_prob = nullptr;
  };
  void evaluate(const Points& x, const NoiseLevel& level, const Outputs& out) const;

  Points data_;
  Vec2 center_;                    // mean of the data: distances are taken in centred coordinates
  Eigen::ArrayXd cx_, cy_;         // (n): data minus center_, one array per coordinate
  int max_threads_;
};

}  // namespace scorelab
