#include "core/metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <thread>

#include "core/rng.hpp"

namespace scorelab {

namespace {

using Eigen::Index;

constexpr Index kBlock = 128;           // 128 × 128 doubles = 128 KiB per scratch array: stays in L2
constexpr double kPairsPerThread = 1 << 16;  // below this many pairs a second thread costs more than it saves

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

void check_bandwidths(const std::vector<double>& bandwidths) {
  require(!bandwidths.empty(), "mmd2: bandwidths is empty");
  for (double h : bandwidths)
    require(std::isfinite(h) && h > 0, "mmd2: bandwidth " + std::to_string(h) + " must be positive");
}

// One block of the kernel matrix: Σ over i in [i0, i0 + ni), j in [j0, j0 + nj) of Σ_h k_h(xᵢ, yⱼ)
// (the sum over bandwidths, not yet the mean). neg_inv_2h2: −1/(2h²) per bandwidth.
// In 2D the squared distance is formed from coordinate differences, not ‖x‖² + ‖y‖² − 2xᵀy: the
// expansion saves nothing with 2 coordinates and loses digits for points far from the origin.
// It also makes the diagonal of a within-sample block exactly 0, so k = 1 there exactly.
double block_sum(const Points& x, Index i0, Index ni, const Points& y, Index j0, Index nj,
                 const std::vector<double>& neg_inv_2h2, Eigen::ArrayXXd& d2, Eigen::ArrayXXd& tmp) {
  d2.resize(ni, nj);  // d2: (ni, nj) squared distances
  tmp.resize(ni, nj);
  d2.colwise() = x.row(0).segment(i0, ni).transpose().array();
  d2.rowwise() -= y.row(0).segment(j0, nj).array();
  tmp.colwise() = x.row(1).segment(i0, ni).transpose().array();
  tmp.rowwise() -= y.row(1).segment(j0, nj).array();
  d2 = d2.square() + tmp.square();
  double sum = 0;
  for (double c : neg_inv_2h2) sum += (d2 * c).exp().sum();
  return sum;
}

// A block of one of the three kernel sums: 0 = within a, 1 = within b, 2 = across.
struct BlockJob {
  int which;
  Index i0, ni, j0, nj;
  double weight;        // 2 for an off-diagonal block of a symmetric sum (it stands for its mirror)
  bool drop_diagonal;   // a diagonal block of a within-sample sum: remove the i = j terms
};

void add_symmetric_jobs(int which, Index n, std::vector<BlockJob>& jobs) {
  for (Index i0 = 0; i0 < n; i0 += kBlock)
    for (Index j0 = i0; j0 < n; j0 += kBlock) {
      Index ni = std::min(kBlock, n - i0), nj = std::min(kBlock, n - j0);
      jobs.push_back({which, i0, ni, j0, nj, i0 == j0 ? 1.0 : 2.0, i0 == j0});
    }
}

// Sums of Σ_h k_h over pairs: [0] within a (i ≠ j), [1] within b (i ≠ j), [2] across.
// Jobs are dealt round-robin to 2 threads; each thread keeps its own sums and they are added in a
// fixed order, so the result is the same whatever the timing.
std::array<double, 3> kernel_sums(const Points& a, const Points& b, const std::vector<double>& neg_inv_2h2) {
  std::vector<BlockJob> jobs;
  add_symmetric_jobs(0, a.cols(), jobs);
  add_symmetric_jobs(1, b.cols(), jobs);
  for (Index i0 = 0; i0 < a.cols(); i0 += kBlock)
    for (Index j0 = 0; j0 < b.cols(); j0 += kBlock)
      jobs.push_back({2, i0, std::min(kBlock, a.cols() - i0), j0, std::min(kBlock, b.cols() - j0), 1.0, false});

  const double n_bw = static_cast<double>(neg_inv_2h2.size());
  auto run = [&](size_t first, size_t stride, std::array<double, 3>& sums) {
    Eigen::ArrayXXd d2, tmp;
    for (size_t j = first; j < jobs.size(); j += stride) {
      const BlockJob& job = jobs[j];
      const Points& x = job.which == 1 ? b : a;
      const Points& y = job.which == 0 ? a : b;
      double s = block_sum(x, job.i0, job.ni, y, job.j0, job.nj, neg_inv_2h2, d2, tmp);
      if (job.drop_diagonal) s -= static_cast<double>(job.ni) * n_bw;  // k(x, x) = 1 per bandwidth
      sums[job.which] += job.weight * s;
    }
  };

  const double pairs = 0.5 * double(a.cols()) * double(a.cols()) + 0.5 * double(b.cols()) * double(b.cols()) +
                       double(a.cols()) * double(b.cols());
  std::array<double, 3> s0{}, s1{};
  if (pairs < 2 * kPairsPerThread) {
    run(0, 1, s0);
  } else {
    std::thread worker(run, 1, 2, std::ref(s1));
    run(0, 2, s0);
    worker.join();
  }
  return {s0[0] + s1[0], s0[1] + s1[1], s0[2] + s1[2]};
}

// Exact 1D W2² between two empirical distributions given sorted values: ∫₀¹ (Qa(u) − Qb(u))² du.
// Both quantile functions are piecewise constant with jumps at i/na and j/nb; walk the merged jumps
// in integer units of 1/(na·nb) so coincident jumps are detected exactly.
double w2_squared_sorted(const std::vector<double>& pa, const std::vector<double>& pb) {
  const int64_t na = static_cast<int64_t>(pa.size()), nb = static_cast<int64_t>(pb.size());
  int64_t i = 0, j = 0, prev = 0;
  double acc = 0;
  while (i < na && j < nb) {
    int64_t end_a = (i + 1) * nb, end_b = (j + 1) * na;
    int64_t end = std::min(end_a, end_b);
    double d = pa[i] - pb[j];
    acc += d * d * static_cast<double>(end - prev);
    prev = end;
    if (end_a == end) ++i;
    if (end_b == end) ++j;
  }
  return acc / (static_cast<double>(na) * static_cast<double>(nb));
}

void project_sorted(const Points& x, double c, double s, std::vector<double>& out) {
  out.resize(static_cast<size_t>(x.cols()));
  for (Index i = 0; i < x.cols(); ++i) out[static_cast<size_t>(i)] = c * x(0, i) + s * x(1, i);
  std::sort(out.begin(), out.end());
}

// Seeds of the two independent true samples (and the directions) of null repetition r.
uint32_t rep_seed(uint32_t seed, int r, uint32_t which) { return hash3(seed, static_cast<uint32_t>(r), which); }

void check_null_args(const char* what, int n, int reps) {
  require(n >= 2, std::string(what) + ": noise-floor sample size n = " + std::to_string(n) + " must be at least 2");
  require(reps >= 2, std::string(what) + ": noise-floor reps = " + std::to_string(reps) + " must be at least 2");
}

}  // namespace

std::vector<double> default_bandwidths(const Points& reference) {
  require(reference.cols() >= 2, "bandwidths: the reference sample needs at least 2 points");
  Vec2 mean = reference.rowwise().mean();
  double var_sum = (reference.colwise() - mean).squaredNorm() / double(reference.cols() - 1);  // var_x + var_y
  double scale = std::sqrt(0.5 * var_sum);
  require(scale > 0 && std::isfinite(scale), "bandwidths: the reference sample has no spread (scale " +
                                                 std::to_string(scale) + ")");
  return {0.1 * scale, 0.5 * scale, 1.0 * scale, 2.0 * scale, 5.0 * scale};
}

double mmd2_unbiased(const Points& a, const Points& b, const std::vector<double>& bandwidths) {
  require(a.cols() >= 2 && b.cols() >= 2, "mmd2: each sample needs at least 2 points (got " +
                                              std::to_string(a.cols()) + " and " + std::to_string(b.cols()) + ")");
  check_bandwidths(bandwidths);
  std::vector<double> neg_inv_2h2;
  for (double h : bandwidths) neg_inv_2h2.push_back(-1.0 / (2.0 * h * h));
  std::array<double, 3> s = kernel_sums(a, b, neg_inv_2h2);
  const double m = double(a.cols()), n = double(b.cols()), n_bw = double(bandwidths.size());
  return (s[0] / (m * (m - 1)) + s[1] / (n * (n - 1)) - 2.0 * s[2] / (m * n)) / n_bw;
}

double sliced_w2(const Points& a, const Points& b, int projections, uint32_t seed) {
  require(a.cols() >= 1 && b.cols() >= 1, "sliced_w2: each sample needs at least 1 point");
  require(projections >= 1, "sliced_w2: projections = " + std::to_string(projections) + " must be at least 1");
  const double offset = uniform01(seed, 0, 0);
  std::vector<double> pa, pb;
  double total = 0;
  for (int p = 0; p < projections; ++p) {
    double angle = std::numbers::pi * (offset + p) / projections;
    double c = std::cos(angle), s = std::sin(angle);
    project_sorted(a, c, s, pa);
    project_sorted(b, c, s, pb);
    total += w2_squared_sorted(pa, pb);
  }
  return std::sqrt(total / projections);
}

NoiseFloor summarize_null(const std::vector<double>& values, int n) {
  require(values.size() >= 2, "noise floor: needs at least 2 repetitions");
  double mean = 0;
  for (double v : values) mean += v;
  mean /= double(values.size());
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  double sd = std::sqrt(ss / double(values.size() - 1));
  return {mean, sd, mean + 4.0 * sd, n, static_cast<int>(values.size())};
}

std::vector<double> mmd2_null_samples(const TruthSampler& draw_truth, int n, int reps,
                                      const std::vector<double>& bandwidths, uint32_t seed) {
  check_null_args("mmd2", n, reps);
  std::vector<double> out;
  for (int r = 0; r < reps; ++r)
    out.push_back(mmd2_unbiased(draw_truth(n, rep_seed(seed, r, 0)), draw_truth(n, rep_seed(seed, r, 1)), bandwidths));
  return out;
}

std::vector<double> sliced_w2_null_samples(const TruthSampler& draw_truth, int n, int reps, int projections,
                                           uint32_t seed) {
  check_null_args("sliced_w2", n, reps);
  std::vector<double> out;
  for (int r = 0; r < reps; ++r)
    out.push_back(sliced_w2(draw_truth(n, rep_seed(seed, r, 0)), draw_truth(n, rep_seed(seed, r, 1)), projections,
                            rep_seed(seed, r, 2)));
  return out;
}

NoiseFloor mmd2_noise_floor(const TruthSampler& draw_truth, int n, int reps, const std::vector<double>& bandwidths,
                            uint32_t seed) {
  return summarize_null(mmd2_null_samples(draw_truth, n, reps, bandwidths, seed), n);
}

NoiseFloor sliced_w2_noise_floor(const TruthSampler& draw_truth, int n, int reps, int projections, uint32_t seed) {
  return summarize_null(sliced_w2_null_samples(draw_truth, n, reps, projections, seed), n);
}

Eigen::VectorXd mode_weights(const GaussianMixture& mixture, const Points& x) {
  require(x.cols() >= 1, "mode_weights: no points");
  require(mixture.size() >= 1, "mode_weights: the mixture has no components");
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(mixture.size());
  for (Index i = 0; i < x.cols(); ++i) counts[mixture.most_responsible(x.col(i))] += 1.0;
  return counts / double(x.cols());
}

double relative_fisher(const ScoreFunction& model, const ScoreFunction& truth, const Points& x,
                       const NoiseLevel& level) {
  require(x.cols() >= 1, "relative_fisher: no points");
  Points s_model, s_true;  // (2, N) each
  model.score(x, level, s_model);
  truth.score(x, level, s_true);
  double denom = s_true.squaredNorm();
  require(denom > 0, "relative_fisher: the true score is zero at every point");
  return (s_model - s_true).squaredNorm() / denom;
}

double mean_nll(const Scalars& nll) {
  require(nll.size() >= 1, "mean_nll: no values");
  return nll.mean();
}

double standard_error(const Scalars& values) {
  require(values.size() >= 2, "standard_error: needs at least 2 values");
  double n = double(values.size());
  double var = (values.array() - values.mean()).square().sum() / (n - 1);
  return std::sqrt(var / n);
}

}  // namespace scorelab
