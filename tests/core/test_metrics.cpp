// Sample-quality measures (THEORY.md §7) against closed forms, hand-worked cases and their own nulls.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "core/metrics.hpp"

using namespace scorelab;

namespace {

GaussianMixture gaussian(Vec2 mean) { return GaussianMixture({{1.0, mean, Mat2::Identity()}}); }

// The NCSN toy of THEORY.md §7 and its "plain Langevin" failure: right modes, wrong weights.
GaussianMixture ncsn_toy(double w_low) {
  return GaussianMixture({{w_low, Vec2(-5, -5), Mat2::Identity()}, {1 - w_low, Vec2(5, 5), Mat2::Identity()}});
}

TruthSampler sampler_of(const GaussianMixture& mix) {
  return [mix](int n, uint32_t seed) { return mix.sample(n, seed); };
}

// E k_h(x, y) for x ~ N(μᵢ, Σᵢ), y ~ N(μⱼ, Σⱼ) independent. With w = x − y ~ N(δ, C), C = Σᵢ + Σⱼ:
// ∫ N(w; δ, C) exp(−‖w‖²/(2h²)) dw = (2πh²)^(d/2) N(δ; 0, C + h²I) = det(I + C/h²)^(−½) exp(−½ δᵀ(C + h²I)⁻¹δ).
// For Σᵢ = Σⱼ = I in 2D this is (h²/(h²+2))·exp(−‖δ‖²/(2(h²+2))), the form in the task brief.
double expected_kernel(const GaussianComponent& ci, const GaussianComponent& cj, double h) {
  Mat2 c = ci.cov + cj.cov;
  Vec2 d = ci.mean - cj.mean;
  Mat2 shifted = c + h * h * Mat2::Identity();
  return std::exp(-0.5 * d.dot(shifted.inverse() * d)) / std::sqrt((Mat2::Identity() + c / (h * h)).determinant());
}

// E k(x, y), x ~ p, y ~ q, with k averaged over the bandwidths.
double mean_kernel(const GaussianMixture& p, const GaussianMixture& q, const std::vector<double>& hs) {
  double total = 0;
  for (double h : hs)
    for (const auto& ci : p.components())
      for (const auto& cj : q.components()) total += ci.weight * cj.weight * expected_kernel(ci, cj, h);
  return total / double(hs.size());
}

double population_mmd2(const GaussianMixture& p, const GaussianMixture& q, const std::vector<double>& hs) {
  return mean_kernel(p, p, hs) + mean_kernel(q, q, hs) - 2 * mean_kernel(p, q, hs);
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

// Relative standard error of a sample sd from R draws: sqrt((κ − 1)/(4R)) by the delta method, with κ
// the kurtosis of the draws (κ = 3 for a Gaussian; the null MMD² is skewed, so measure it).
double relative_se_of_sd(const std::vector<double>& v) {
  double m = mean_of(v), m2 = 0, m4 = 0;
  for (double x : v) {
    m2 += (x - m) * (x - m);
    m4 += std::pow(x - m, 4);
  }
  m2 /= double(v.size());
  m4 /= double(v.size());
  return std::sqrt((m4 / (m2 * m2) - 1) / (4.0 * double(v.size())));
}

// (1 + c) times another score: a model whose relative Fisher divergence is c² by construction.
class ScaledScore final : public ScoreFunction {
 public:
  ScaledScore(const ScoreFunction& base, double factor) : base_(base), factor_(factor) {}
  void score(const Points& x, const NoiseLevel& level, Points& out) const override {
    base_.score(x, level, out);
    out *= factor_;
  }
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override {
    base_.score_and_divergence(x, level, out, div);
    out *= factor_;
    div *= factor_;
  }

 private:
  const ScoreFunction& base_;
  double factor_;
};

}  // namespace

TEST_CASE("mmd2_unbiased equals the direct double sum (unequal sizes, blocked and threaded path)") {
  // 700 and 500 points: block edges at non-multiples of 128, and enough pairs for the 2-thread path.
  Points a = ncsn_toy(0.2).sample(700, 1), b = ncsn_toy(0.5).sample(500, 2);
  std::vector<double> hs = {0.3, 1.0, 4.0};
  auto k = [&](const Vec2& x, const Vec2& y) {
    double s = 0;
    for (double h : hs) s += std::exp(-(x - y).squaredNorm() / (2 * h * h));
    return s / double(hs.size());
  };
  double saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < a.cols(); ++i)
    for (int j = 0; j < a.cols(); ++j)
      if (i != j) saa += k(a.col(i), a.col(j));
  for (int i = 0; i < b.cols(); ++i)
    for (int j = 0; j < b.cols(); ++j)
      if (i != j) sbb += k(b.col(i), b.col(j));
  for (int i = 0; i < a.cols(); ++i)
    for (int j = 0; j < b.cols(); ++j) sab += k(a.col(i), b.col(j));
  const double m = 700, n = 500;
  double direct = saa / (m * (m - 1)) + sbb / (n * (n - 1)) - 2 * sab / (m * n);
  // Both sum ~10⁶ terms of size ≤ 1 in double: rounding stays far below 1e-11 (vectorised exp differs by ~1 ulp).
  CHECK(std::abs(mmd2_unbiased(a, b, hs) - direct) < 1e-11);
  CHECK(std::abs(mmd2_unbiased(b, a, hs) - direct) < 1e-11);
  // Each thread owns fixed blocks and the partial sums are added in a fixed order: bit-identical reruns.
  CHECK(mmd2_unbiased(a, b, hs) == mmd2_unbiased(a, b, hs));
}

TEST_CASE("mmd2_unbiased is unbiased under the null (true vs true)" * doctest::test_suite("statistical")) {
  GaussianMixture truth = ncsn_toy(0.2);
  std::vector<double> hs = default_bandwidths(truth.sample(2000, 99));
  const int n = 200, reps = 300;
  std::vector<double> null = mmd2_null_samples(sampler_of(truth), n, reps, hs, 5);
  NoiseFloor floor = summarize_null(null, n);
  double se = floor.sd / std::sqrt(double(reps));
  CHECK(std::abs(floor.mean) < 5 * se);  // 5 standard errors of the mean of the reps
  // The test has power: the biased V-statistic (diagonals kept) has mean 2(1 − E k(x, x'))/n under the
  // null (the i = j terms contribute k = 1 instead of E k), far outside the 5-se window.
  double v_bias = 2 * (1 - mean_kernel(truth, truth, hs)) / n;
  CHECK(5 * se < 0.5 * v_bias);
}

TEST_CASE("mmd2_unbiased matches the closed form for N(0, I) vs N(mu, I), one bandwidth" * doctest::test_suite("statistical")) {
  const Vec2 mu(1.0, 0.5);
  const double h = 1.0;
  GaussianMixture p = gaussian(Vec2::Zero()), q = gaussian(mu);
  // Population value 2·h²/(h²+2)·(1 − exp(−‖μ‖²/(2(h²+2)))) (brief's closed form, via population_mmd2).
  double pop = population_mmd2(p, q, {h});
  CHECK(pop == doctest::Approx(2.0 / 3.0 * (1 - std::exp(-1.25 / 6.0))).epsilon(1e-12));

  // R independent estimates at n = 300: their mean must sit within 5 standard errors of pop.
  const int n_small = 300, reps = 60;
  std::vector<double> est;
  for (int r = 0; r < reps; ++r) est.push_back(mmd2_unbiased(p.sample(n_small, 100 + r), q.sample(n_small, 500 + r), {h}));
  NoiseFloor spread = summarize_null(est, n_small);  // here only for mean and sd of the estimates
  CHECK(std::abs(spread.mean - pop) < 5 * spread.sd / std::sqrt(double(reps)));

  // One estimate at n = 5000 (the fast path at its intended size). Under the alternative
  // Var = 4σ₁²/n + (positive O(1/n²) terms), so sd(300)·sqrt(300/5000) over-estimates sd(5000): 5 of those.
  double big = mmd2_unbiased(p.sample(5000, 7), q.sample(5000, 8), {h});
  CHECK(std::abs(big - pop) < 5 * spread.sd * std::sqrt(double(n_small) / 5000.0));
}

TEST_CASE("mmd2: wrong mode weights land far above the noise floor, a true sample below it" * doctest::test_suite("statistical")) {
  GaussianMixture truth = ncsn_toy(0.2), wrong = ncsn_toy(0.5);  // the plain-Langevin pitfall of §7
  const int n = 1280;
  Points reference = truth.sample(n, 11);
  std::vector<double> hs = default_bandwidths(reference);
  NoiseFloor floor = mmd2_noise_floor(sampler_of(truth), n, 30, hs, 21);
  CHECK(floor.n == n);
  CHECK(floor.reps == 30);
  CHECK(floor.bound == doctest::Approx(floor.mean + 4 * floor.sd));
  // Design check: the population gap dwarfs the floor, so "far above" (10×) is the expected outcome.
  CHECK(population_mmd2(truth, wrong, hs) > 20 * floor.bound);
  CHECK(mmd2_unbiased(wrong.sample(n, 12), reference, hs) > 10 * floor.bound);
  // A sampler that is exact: above the bound with probability ≲ 1% (see NoiseFloor).
  CHECK(mmd2_unbiased(truth.sample(n, 13), reference, hs) < floor.bound);
}

TEST_CASE("mmd2 noise floor shrinks like 1/n (degenerate U-statistic), not 1/sqrt(n)" * doctest::test_suite("statistical")) {
  GaussianMixture truth = ncsn_toy(0.2);
  // One bandwidth is enough for a rate (any fixed kernel gives a degenerate null) and 5× cheaper.
  std::vector<double> hs = {default_bandwidths(truth.sample(2000, 3))[2]};
  const int reps = 300;
  std::vector<double> small = mmd2_null_samples(sampler_of(truth), 100, reps, hs, 31);
  std::vector<double> large = mmd2_null_samples(sampler_of(truth), 400, reps, hs, 32);
  double sd_small = summarize_null(small, 100).sd, sd_large = summarize_null(large, 400).sd;
  // sd ∝ n^(−e): e = log(sd_small/sd_large)/log 4, expected 1. Its standard error from the two sd's.
  double e = std::log(sd_small / sd_large) / std::log(4.0);
  double se_e = std::hypot(relative_se_of_sd(small), relative_se_of_sd(large)) / std::log(4.0);
  CHECK(std::abs(e - 1.0) < 5 * se_e);
  CHECK(5 * se_e < 0.5);  // power: the window excludes e = 0.5, the rate of a non-degenerate statistic
}

TEST_CASE("sliced W2: exact values on hand-worked cases") {
  Points a = ncsn_toy(0.3).sample(300, 4);
  CHECK(sliced_w2(a, a, 16, 1) == 0.0);
  Points doubled(2, 600);
  doubled << a, a;  // the same empirical distribution with twice the points (unequal-size path)
  CHECK(sliced_w2(a, doubled, 16, 1) == 0.0);

  // Points on the x axis: W2²(θᵀa, θᵀb) = cos²φ·W2²₁D, and evenly spaced angles average cos² to ½.
  // a = {0, 1}, b = {0, ½, 1}: quantiles differ by ½ on u ∈ (⅓, ⅔) only, so W2²₁D = ¼·⅓ = 1/12.
  Points a1(2, 2), b1(2, 3);
  a1 << 0, 1, 0, 0;
  b1 << 0, 0.5, 1, 0, 0, 0;
  CHECK(sliced_w2(a1, b1, 7, 3) == doctest::Approx(std::sqrt(1.0 / 24.0)).epsilon(1e-12));
  // a = {0}, b = {0, 1}: W2²₁D = ½·1 = ½, sliced W2² = ¼.
  Points a2(2, 1), b2(2, 2);
  a2 << 0, 0;
  b2 << 0, 1, 0, 0;
  CHECK(sliced_w2(a2, b2, 5, 9) == doctest::Approx(0.5).epsilon(1e-12));
}

TEST_CASE("sliced W2 of N(0, I) vs N(mu, I) is ||mu||^2/2, within the sample-size tolerance") {
  const Vec2 mu(1.5, -1.0);
  const int n = 10000, projections = 32;
  Points a = gaussian(Vec2::Zero()).sample(n, 41), b = gaussian(mu).sample(n, 42);
  double sw2 = std::pow(sliced_w2(a, b, projections, 43), 2);
  // Per direction, b = b' + θ·μ with b' ~ N(0, 1) and sorting commutes with the shift:
  //   W2²(a, b) = (θ·μ)² − 2(θ·μ)(ā − b̄')·θ + W2²(a, b'),
  // and averaging over the directions gives ‖μ‖²/2 − μ·(ā − b̄') + (null term ≥ 0). The middle term is
  // N(0, 2‖μ‖²/n); the null term is the sliced W2² of two true samples, bounded by its noise floor.
  NoiseFloor null = sliced_w2_noise_floor(sampler_of(gaussian(Vec2::Zero())), n, 5, projections, 44);
  double tol = 5 * mu.norm() * std::sqrt(2.0 / n) + null.bound * null.bound;
  CHECK(std::abs(sw2 - mu.squaredNorm() / 2) < tol);
  CHECK(tol < 0.1 * mu.squaredNorm() / 2);  // the check has teeth: 10% of the value or better

  // The same decomposition holds exactly for this sample (same directions: same seed).
  Points b_unshifted = b.colwise() - mu;
  double null_term = std::pow(sliced_w2(a, b_unshifted, projections, 43), 2);
  Vec2 mean_gap = a.rowwise().mean() - b_unshifted.rowwise().mean();
  CHECK(sw2 == doctest::Approx(mu.squaredNorm() / 2 - mu.dot(mean_gap) + null_term).epsilon(1e-10));

  // And against its own noise floor: a true sample is below, the shifted one far above.
  CHECK(sliced_w2(a, gaussian(Vec2::Zero()).sample(n, 45), projections, 46) < null.bound);
  CHECK(std::sqrt(sw2) > 10 * null.bound);
}

TEST_CASE("mode_weights approach the mixture weights within binomial standard errors") {
  // Means ≥ 14 apart with unit covariances: a point is misassigned only beyond 7σ (P < 1e-11).
  GaussianMixture mix({{0.2, Vec2(-10, 0), Mat2::Identity()},
                       {0.3, Vec2(0, 10), Mat2::Identity()},
                       {0.5, Vec2(10, 0), Mat2::Identity()}});
  const int n = 20000;
  Eigen::VectorXd w = mode_weights(mix, mix.sample(n, 51));
  REQUIRE(w.size() == 3);
  CHECK(w.sum() == doctest::Approx(1.0).epsilon(1e-12));
  for (int k = 0; k < 3; ++k) {
    double pi = mix.components()[k].weight;
    CHECK(std::abs(w[k] - pi) < 5 * std::sqrt(pi * (1 - pi) / n));  // 5 binomial standard errors
  }
}

TEST_CASE("relative_fisher: 0 for the truth, c^2 for a score scaled by 1 + c") {
  MixtureScore truth(ncsn_toy(0.2));
  NoiseLevel level{0.5, 1.0, 2.0};
  Points x = truth.mixture().noised(level).sample(2000, 61);
  CHECK(relative_fisher(truth, truth, x, level) == 0.0);
  for (double c : {0.1, -0.3, 1.5}) {
    ScaledScore model(truth, 1 + c);
    // Σ‖(1 + c)s − s‖² / Σ‖s‖² = c² exactly, whatever the points.
    CHECK(relative_fisher(model, truth, x, level) == doctest::Approx(c * c).epsilon(1e-12));
  }
}

TEST_CASE("helpers, bandwidths and input errors") {
  Scalars v(4);
  v << 1, 2, 3, 4;
  CHECK(mean_nll(v) == doctest::Approx(2.5));
  CHECK(standard_error(v) == doctest::Approx(std::sqrt(5.0 / 3.0 / 4.0)));  // sd² = (2.25+.25+.25+2.25)/3

  Points square(2, 4);
  square << 0, 2, 0, 2, 0, 0, 2, 2;  // each coordinate {0, 2, 0, 2}: unbiased variance 4/3
  std::vector<double> hs = default_bandwidths(square);
  REQUIRE(hs.size() == 5);
  const double scale = std::sqrt(4.0 / 3.0), factors[] = {0.1, 0.5, 1, 2, 5};
  for (int i = 0; i < 5; ++i) CHECK(hs[i] == doctest::Approx(factors[i] * scale));

  Points one(2, 1);
  one << 1, 1;
  CHECK_THROWS_AS(mmd2_unbiased(one, square, {1.0}), InputError);
  CHECK_THROWS_AS(mmd2_unbiased(square, square, {0.0}), InputError);
  CHECK_THROWS_AS(mmd2_unbiased(square, square, {}), InputError);
  CHECK_THROWS_AS(default_bandwidths(Points::Ones(2, 5)), InputError);
  CHECK_THROWS_AS(sliced_w2(square, square, 0, 1), InputError);
  CHECK_THROWS_AS(mmd2_noise_floor(sampler_of(ncsn_toy(0.2)), 1, 10, {1.0}, 1), InputError);
  CHECK_THROWS_AS(standard_error(Scalars::Ones(1)), InputError);
}
