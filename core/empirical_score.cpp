#include "core/empirical_score.hpp"

#include <algorithm>
#include <functional>
#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

namespace scorelab {

namespace {

// Below this many (query, data point) pairs a second thread costs more than it saves (~1 ms of work).
constexpr double kParallelPairs = 1 << 20;

// Everything one query needs, shared read-only by all threads of a call.
struct Setup {
  Eigen::ArrayXd mx, my;  // (n): m·(xᵢ − center), the component means in centred coordinates
  Vec2 shift;             // m·center: subtract from a query to centre it
  double s2;              // s², s already clamped to the floor
  double log_norm;        // −log n − log(2π s²)
};

// Per-thread scratch: (n) squared distances and (n) unnormalised responsibilities.
struct Scratch {
  Eigen::ArrayXd d2, w;
};

// One query x. With dᵢ² = ‖x − m xᵢ‖², logitsᵢ = −dᵢ²/(2s²) − log n − log(2πs²), and
// responsibilities rᵢ = softmax(logits) (log-sum-exp shifted by the nearest point, so far-away queries
// stay finite):
//   score = Σ rᵢ gᵢ = −(x − m x̄ᵣ)/s², gᵢ = −(x − m xᵢ)/s², x̄ᵣ = Σ rᵢ xᵢ
//   div   = Σ rᵢ‖gᵢ‖² − ‖Σ rᵢ gᵢ‖² − 2/s² = Varᵣ(m xᵢ)/s⁴ − 2/s²
// Distances are direct differences, not the ‖x‖² + ‖mxᵢ‖² − 2x·mxᵢ expansion: never negative, no
// cancellation, and each column's arithmetic is independent of how the queries are blocked.
void evaluate_query(const Setup& su, const Vec2& query, Scratch& sc, Vec2* score, double* div,
                    double* log_prob) {
  const double qx = query.x() - su.shift.x(), qy = query.y() - su.shift.y();
  const double inv_2s2 = 0.5 / su.s2;
  sc.d2 = (su.mx - qx).square() + (su.my - qy).square();
  const double d2_min = sc.d2.minCoeff();  // no index: the indexed form is not vectorised (5x slower)
  sc.w = ((d2_min - sc.d2) * inv_2s2).exp();  // in (0, 1], 1 at the nearest point
  const double z = sc.w.sum();
  if (log_prob) *log_prob = -d2_min * inv_2s2 + std::log(z) + su.log_norm;
  if (!score && !div) return;
  const double bx = (sc.w * su.mx).sum() / z, by = (sc.w * su.my).sum() / z;  // m x̄ᵣ (centred)
  if (score) *score = Vec2(bx - qx, by - qy) / su.s2;
  if (div) {
    // Varᵣ(m xᵢ) in two passes, about its own mean: no cancellation, never negative.
    const double var = (sc.w * ((su.mx - bx).square() + (su.my - by).square())).sum() / z;
    *div = var / (su.s2 * su.s2) - 2.0 / su.s2;
  }
}

Points checked_points(Points data) {
  if (data.cols() == 0) throw InputError("empirical score: the point set is empty");
  if (!data.allFinite()) throw InputError("empirical score: the point set has non-finite coordinates");
  return data;
}

}  // namespace

EmpiricalScore::EmpiricalScore(Points data, int max_threads, Method method)
    : data_(checked_points(std::move(data))),
      center_(data_.rowwise().mean()),
      // Centring keeps the weighted sums below at the data's own scale, whatever its offset.
      cx_(data_.row(0).transpose().array() - center_.x()),
      cy_(data_.row(1).transpose().array() - center_.y()),
      max_threads_(std::max(1, max_threads)),
      method_(method),
      cells_(data_.colwise() - center_) {}

void EmpiricalScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  evaluate(x, level, {&out, nullptr, nullptr});
}

void EmpiricalScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                          Scalars& div) const {
  evaluate(x, level, {&out, &div, nullptr});
}

void EmpiricalScore::log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const {
  evaluate(x, level, {nullptr, nullptr, &out});
}

void EmpiricalScore::evaluate(const Points& x, const NoiseLevel& level, const Outputs& out) const {
  const Eigen::Index count = x.cols(), n = data_.cols();
  if (out.score) out.score->resize(2, count);
  if (out.div) out.div->resize(count);
  if (out.log_prob) out.log_prob->resize(count);
  // The fast path works in the data's own units (u = x/m, kernel width s/m): it needs m > 0.
  if (method_ != Method::exact && level.m > 0 && std::isfinite(level.m)) {
    evaluate_fast(x, level, out);
    return;
  }
  const double s = std::max(level.s, kMinNoise);
  const Setup su{level.m * cx_, level.m * cy_, level.m * center_, s * s,
                 -std::log(static_cast<double>(n)) - std::log(2 * std::numbers::pi * s * s)};

  // x: (2, count); each thread owns a contiguous range of query columns and writes only those.
  auto work = [&](Eigen::Index begin, Eigen::Index end) {
    Scratch sc;
    Vec2 g;
    for (Eigen::Index j = begin; j < end; ++j) {
      evaluate_query(su, x.col(j), sc, out.score ? &g : nullptr, out.div ? &(*out.div)[j] : nullptr,
                     out.log_prob ? &(*out.log_prob)[j] : nullptr);
      if (out.score) out.score->col(j) = g;
    }
  };
  split_queries(count, static_cast<double>(count) * static_cast<double>(n), kParallelPairs, work);
}

void EmpiricalScore::split_queries(Eigen::Index count, double work_units, double min_units_per_thread,
                                   const std::function<void(Eigen::Index, Eigen::Index)>& work) const {
  const Eigen::Index threads =
      work_units < min_units_per_thread ? 1 : std::max<Eigen::Index>(1, std::min<Eigen::Index>(max_threads_, count));
  std::vector<std::thread> pool;
  for (Eigen::Index t = 1; t < threads; ++t)
    pool.emplace_back(work, count * t / threads, count * (t + 1) / threads);
  work(0, count / threads);
  for (auto& th : pool) th.join();
}

}  // namespace scorelab
