// Mixture log-prob, score and Hessian against finite differences; noised copies against Monte Carlo.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/mixture.hpp"
#include "core/toy_data.hpp"
#include "core/rng.hpp"

using namespace scorelab;

namespace {
GaussianMixture skewed_mixture() {
  Mat2 a, b;
  a << 1.0, 0.3, 0.3, 0.5;
  b << 0.4, -0.1, -0.1, 2.0;
  return GaussianMixture({{0.3, Vec2(-1.0, 0.5), a}, {0.7, Vec2(1.5, -0.5), b}, {0.5, Vec2(0, 2), Mat2::Identity()}});
}
}  // namespace

TEST_CASE("score and Hessian match central differences of log-prob") {
  GaussianMixture mix = skewed_mixture();
  const double h = 1e-5;
  for (Vec2 x : {Vec2(0.1, 0.2), Vec2(-2.0, 1.0), Vec2(3.0, -2.0), Vec2(0.0, 2.5)}) {
    Vec2 fd_score;
    for (int d = 0; d < 2; ++d) {
      Vec2 e = Vec2::Zero();
      e[d] = h;
      fd_score[d] = (mix.log_prob(x + e) - mix.log_prob(x - e)) / (2 * h);
    }
    // Central differences of a smooth function in double: error ~ h² |f'''| + ulp/h ≈ 1e-10 + 1e-11.
    CHECK((mix.score(x) - fd_score).norm() < 1e-7);
    Mat2 fd_hess;
    for (int d = 0; d < 2; ++d) {
      Vec2 e = Vec2::Zero();
      e[d] = h;
      fd_hess.col(d) = (mix.score(x + e) - mix.score(x - e)) / (2 * h);
    }
    CHECK((mix.hessian_log_prob(x) - fd_hess).norm() < 1e-7);
    Points one(2, 1);
    one.col(0) = x;
    Points s;
    Scalars div;
    mix.score_and_divergence(one, s, div);
    CHECK(div[0] == doctest::Approx(mix.hessian_log_prob(x).trace()).epsilon(1e-12));
  }
}

TEST_CASE("log-density is normalised (grid quadrature)") {
  GaussianMixture mix = skewed_mixture();
  double step = 0.05, total = 0;
  for (double x = -12; x < 12; x += step)
    for (double y = -12; y < 12; y += step) total += std::exp(mix.log_prob(Vec2(x, y))) * step * step;
  CHECK(total == doctest::Approx(1.0).epsilon(1e-4));
}

TEST_CASE("log-sum-exp keeps far-away points finite") {
  GaussianMixture mix = skewed_mixture();
  Vec2 far(1e4, -1e4);
  CHECK(std::isfinite(mix.log_prob(far)));
  CHECK(mix.score(far).allFinite());
}

TEST_CASE("far from the data, tied components keep the score and its divergence exact") {
  // 8gaussians noised almost to the VP prior: components 0.019 apart, covariance ≈ I. At |x| ~ 3·10¹³
  // the logits (~ −8·10²⁶) tie in double for three components; log p = max + log 3 rounds to max, so
  // rₖ = exp(logitₖ − log p) gave each tied one r = 1 and tripled the score.
  const GaussianMixture mix = toy_mixture("8gaussians")->noised(0.0067377358140589686, 0.99997730120043227);
  const double var = mix.components()[0].cov(0, 0);
  for (double c : {28279340167710.441, 1e10, 1e5}) {
    Points x(2, 1);
    x << c, c;
    Points s;
    Scalars div;
    mix.score_and_divergence(x, s, div);
    CAPTURE(c);
    // Every component's score is −(x − m μₖ)/var with m μₖ ≤ 0.02: the mixture's is within 0.03/var of −x/var.
    CHECK(std::abs(s(0, 0) + c / var) <= 0.03 / var + 1e-12 * c);
    CHECK(std::abs(s(1, 0) + c / var) <= 0.03 / var + 1e-12 * c);
    // The divergence is −2/var plus the responsibilities' variance of gₖ, at most (0.04/var)² whichever
    // components the rounded logits tie (the one-pass form was off by ~1e28 here).
    const double spread = std::pow(0.04 / var, 2);
    CHECK(std::abs(div[0] + 2.0 / var) <= spread);
    CHECK(std::abs(mix.hessian_log_prob(x.col(0)).trace() + 2.0 / var) <= spread);
  }
}

TEST_CASE("beyond the overflow of every quadratic form, the score is the nearest component's, not NaN (issue 17)") {
  // At |x| = 1e300, dᵀΣ⁻¹d overflows for every component: all logits are −inf. log p is −inf (named by
  // nll), but the score −Σₖ⁻¹(x − μₖ) of the nearest component is finite and is the true limit.
  const GaussianMixture mix = skewed_mixture();
  for (double c : {1e160, 1e300}) {
    CAPTURE(c);
    const Vec2 x(c, -c);
    const Vec2 s = mix.score(x);
    REQUIRE(s.allFinite());
    // Whatever component wins, the score points back towards the data, with |s| ~ |x| / σ².
    CHECK(s.dot(x) < 0);
    CHECK(s.norm() > 1e-3 * c);
    CHECK(!std::isfinite(mix.log_prob(x)));
    Points p(2, 1);
    p.col(0) = x;
    Points sp;
    Scalars div;
    mix.score_and_divergence(p, sp, div);
    CHECK(sp.col(0) == s);
    CHECK(std::isfinite(div[0]));
  }
  // Non-finite input stays non-finite: nothing is made up.
  CHECK(!mix.score(Vec2(std::numeric_limits<double>::infinity(), 0)).allFinite());
}

TEST_CASE("noised mixture equals the Monte-Carlo convolution with N(m·, s²I)") {
  GaussianMixture mix = skewed_mixture();
  const double m = 0.8, s = 0.7;
  GaussianMixture noised = mix.noised(m, s);
  // p_noised(y) = E_x[N(y; m x, s² I)], estimated from n draws of x. Relative standard error of the
  // estimate is sd(N(y; m x, s²))/(mean·√n); at these points the ratio sd/mean < 3, so 5 standard
  // errors with n = 200000 is below 0.034 relative.
  const int n = 200000;
  Points x = mix.sample(n, 7);
  for (Vec2 y : {Vec2(0.0, 0.0), Vec2(1.0, -0.5), Vec2(-1.0, 1.0)}) {
    double acc = 0, acc2 = 0;
    for (int i = 0; i < n; ++i) {
      double v = std::exp(-(y - m * x.col(i)).squaredNorm() / (2 * s * s)) / (2 * M_PI * s * s);
      acc += v;
      acc2 += v * v;
    }
    double mean = acc / n, sd = std::sqrt(acc2 / n - mean * mean);
    double se = sd / std::sqrt(double(n));
    CHECK(std::abs(std::exp(noised.log_prob(y)) - mean) < 5 * se);
  }
}

TEST_CASE("sampling reproduces weights, mean and covariance") {
  GaussianMixture mix = skewed_mixture();
  const int n = 100000;
  Points x = mix.sample(n, 3);
  Vec2 mean = x.rowwise().mean();
  Mat2 cov = Mat2::Zero();
  for (int i = 0; i < n; ++i) cov += (x.col(i) - mean) * (x.col(i) - mean).transpose();
  cov /= n - 1;
  Mat2 truth = mix.covariance();
  // Standard error of a mean coordinate: sqrt(var/n) ≈ sqrt(2.5/1e5) = 0.005; allow 5 of them.
  CHECK((mean - mix.mean()).norm() < 5 * std::sqrt(truth.trace() / n));
  CHECK((cov - truth).norm() < 0.05 * truth.norm());
  std::vector<int> counts(3, 0);
  for (int i = 0; i < n; ++i) counts[mix.most_responsible(x.col(i))]++;
  // Components overlap, so assignment shares are near but not equal to the weights.
  CHECK(counts[1] > counts[0]);
}

TEST_CASE("bad components are refused with a message") {
  CHECK_THROWS_AS(GaussianMixture(std::vector<GaussianComponent>{}), InputError);
  CHECK_THROWS_AS(GaussianMixture({{-1.0, Vec2::Zero(), Mat2::Identity()}}), InputError);
  Mat2 singular;
  singular << 1, 1, 1, 1;
  CHECK_THROWS_AS(GaussianMixture({{1.0, Vec2::Zero(), singular}}), InputError);
  CHECK_THROWS_AS(GaussianMixture({{1.0, Vec2(NAN, 0), Mat2::Identity()}}), InputError);
}
