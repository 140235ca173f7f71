// The "ideal" score of a finite point set {xᵢ}, i = 1..n (THEORY.md §1): at a noise level (t, m, s)
// the noised empirical distribution is p(x) = (1/n) Σᵢ N(x; m xᵢ, s²I), and its score is the exact
// minimiser of DSM on that set. Sampling with it reproduces the training points (memorisation).
//
// Two ways to the same numbers (Method):
//   - exact: the full sum over all n points per query, O(n) each (the reference the tests compare to);
//   - fast (the default): per query, only the points whose weight relative to the nearest one exceeds
//     e^−(ln n + 20) (a truncated sum over a cell grid, core/point_grid.hpp; the full sum's result to
//     ~1e-10 relative), and for score-only calls at large s, where even the truncated sum visits
//     thousands of points, the blurred-lattice field of core/gaussian_grid_field.hpp (to ~1e-5 relative
//     near the data; queries farther than its reach go to the truncated sum). Which runs is chosen per
//     call by a cost model (points a truncated sum would visit vs the lattice's build). The lattice
//     serves score and log-prob calls (log-prob to ~1e-6 absolute); calls with the divergence always
//     take the truncated sum, which is exact to rounding-level tolerance at every s.
#pragma once

#include <functional>
#include <memory>

#include "core/gaussian_grid_field.hpp"
#include "core/point_grid.hpp"
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

  // fast: the cost model picks per call (the default). exact: the full sum. truncated: the cell-grid
  // sum at every s. lattice: the lattice for calls without the divergence whenever it fits in
  // memory, truncated sums elsewhere. The last two exist so tests and benchmarks can hold each path to the full sum.
  enum class Method { fast, exact, truncated, lattice };

  // data: (2, n), n ≥ 1, finite. max_threads: the most threads one call may use (≥ 1); large calls
  // are split across them by query column.
  explicit EmpiricalScore(Points data, int max_threads = 2, Method method = Method::fast);

  const Points& data() const { return data_; }
  int size() const { return static_cast<int>(data_.cols()); }
  // The truncated sums' cell grid over the centred data (data − center()), for the GPU twin.
  const PointGrid& cells() const { return cells_; }
  const Vec2& center() const { return center_; }
  // Points whose weight relative to the nearest is below e^−cutoff are left out of truncated sums.
  double truncation_cutoff() const;

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
  void evaluate_fast(const Points& x, const NoiseLevel& level, const Outputs& out) const;
  std::unique_ptr<GaussianGridField> grid_field_for(Eigen::Index queries, double s_unscaled) const;
  // Calls work(begin, end) over query columns [0, count), on up to max_threads_ threads when there
  // are at least min_per_thread columns (or pairs, as the caller counts them) per thread.
  void split_queries(Eigen::Index count, double work_units, double min_units_per_thread,
                     const std::function<void(Eigen::Index, Eigen::Index)>& work) const;

  Points data_;
  Vec2 center_;                    // mean of the data: distances are taken in centred coordinates
  Eigen::ArrayXd cx_, cy_;         // (n): data minus center_, one array per coordinate
  int max_threads_;
  Method method_;
  PointGrid cells_;                // the centred data (cx_, cy_) in cells, for truncated sums
};

}  // namespace scorelab
