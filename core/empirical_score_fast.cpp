// EmpiricalScore's fast path (Method::fast): the same quantities as the full sum of
// core/empirical_score.cpp, from the points near each query (truncated sum, core/point_grid.hpp) or,
// for score and log-prob calls at large s, from a blurred lattice (core/gaussian_grid_field.hpp).
//
// Everything here runs in the data's own units: with u = (x − m·center)/m and s' = s/m,
//   p(x) = (1/n) Σᵢ N(x; m xᵢ, s²I) = p̃_{s'}(u)/(n·2π s²),   ∇ₓ log p = ∇ᵤ log p̃ / m,
//   ∇ₓ·∇ₓ log p = (∇ᵤ·∇ᵤ log p̃) / m²,
// so the cell grid is built once for the data and serves every (m, s) of a VP or VE process.
#include <cmath>
#include <numbers>

#include "core/empirical_score.hpp"

namespace scorelab {

namespace {

// Truncation: points with weight below e^−(ln n + kCutoffMargin) relative to the nearest are left out.
// Their total weight is below e^−20 ≈ 2e-9 of Σw, and their pull on the weighted mean below
// 2e-9·√(2·cutoff)·s' ≈ 2e-8·s': the score, whose natural size is 1/s', moves by < 1e-7 relative.
constexpr double kCutoffMargin = 20;

// The lattice: 8 nodes per s', queries served up to 3 s' from their nearest point. Measured against
// the full sum on 10⁴ checkerboard and swiss-roll points, s from 0.2 to 20, queries at data points
// plus N(0, (1.5 s)²) offsets: error below 2e-6 of 1/s' (the score's natural size) and 5e-5 of the
// score's own norm; with 4 nodes per s' it was 1e-4 and 3e-3, with 6 nodes 1e-5 and 3e-4.
constexpr GridFieldShape kShape{8, 3};
constexpr long long kMaxNodes = 2'000'000;  // a build holds 5 maps of doubles at its peak: 80 MB

// Cost model, in nanoseconds of one thread (both paths split their work over the same threads):
// one (query, point) pair of a truncated sum; one multiply-add of a lattice build (vectorised); one
// lattice query (any_within and a 6 × 6 stencil of 3 maps). Measured on 10⁴ swiss-roll points
// (Release, AVX2): 2.7 ns, 0.07–0.17 ns and ~75 ns. The paths cross near s' = 0.1–0.2 there.
constexpr double kPairNs = 2.7, kMaddNs = 0.1, kGridQueryNs = 100;

}  // namespace

double EmpiricalScore::truncation_cutoff() const {
  return std::log(static_cast<double>(size())) + kCutoffMargin;
}

std::unique_ptr<GaussianGridField> EmpiricalScore::grid_field_for(Eigen::Index queries, double s_unscaled) const {
  const GaussianGridField::Size z = GaussianGridField::size_for(cells_.lo(), cells_.hi(), s_unscaled, kShape);
  if (method_ == Method::truncated || z.nx * z.ny > kMaxNodes) return nullptr;
  const double truncated_ns =
      kPairNs * double(queries) * cells_.mean_points_within(s_unscaled * std::sqrt(2 * truncation_cutoff()));
  // Both run on the same threads (queries split by column, the lattice's passes by lattice column).
  const double grid_ns = kMaddNs * z.build_madds + kGridQueryNs * double(queries);
  if (method_ == Method::fast && grid_ns >= truncated_ns) return nullptr;
  const Points centred = data_.colwise() - center_;
  return std::make_unique<GaussianGridField>(centred, cells_.lo(), cells_.hi(), s_unscaled, kShape, max_threads_);
}

void EmpiricalScore::evaluate_fast(const Points& x, const NoiseLevel& level, const Outputs& out) const {
  const Eigen::Index count = x.cols();
  const double s = std::max(level.s, kMinNoise), m = level.m, sp = s / m;  // sp: s' (data units)
  const double cutoff = truncation_cutoff();
  const double log_norm = -std::log(static_cast<double>(size())) - std::log(2 * std::numbers::pi * s * s);
  const Vec2 shift = m * center_;
  // The lattice serves the score and the log-density (samplers, arrows, heatmaps); it has no
  // divergence, so calls that want one (the ODE likelihood) take the truncated sums throughout.
  const std::unique_ptr<GaussianGridField> field = out.div ? nullptr : grid_field_for(count, sp);
  const double reach = kShape.reach * sp;

  // x: (2, count); each thread owns a contiguous range of query columns and writes only those.
  auto work = [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j) {
      const Vec2 u = (x.col(j) - shift) / m;
      Vec2 g;
      double density;
      if (field && cells_.any_within(u, reach) && field->read(u, density, g)) {
        if (out.score) out.score->col(j) = g / m;
        if (out.log_prob) (*out.log_prob)[j] = std::log(density) + log_norm;  // p = p̃/(n·2πs²)
        continue;
      }
      const KernelSums k = cells_.kernel_sums(u, sp, cutoff, out.div != nullptr);
      if (out.score) out.score->col(j) = (k.mean - u) / (sp * sp * m);
      if (out.div) (*out.div)[j] = (k.var / (sp * sp) - 2.0) / (sp * sp * m * m);
      if (out.log_prob) (*out.log_prob)[j] = -k.d2_min / (2 * sp * sp) + std::log(k.z) + log_norm;
    }
  };
  // Threads pay off past ~256 queries (a truncated query costs 1–20 µs, a thread ~20 µs to start).
  split_queries(count, static_cast<double>(count), 256, work);
}

}  // namespace scorelab
