// The ideal score of a point set: against finite differences, the one-point Gaussian, an equivalent
// MixtureScore, thread/block independence, far-away queries and the s = 0 floor.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <numbers>

#include "core/empirical_score.hpp"
#include "core/mixture.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

Points one_point(const Vec2& x) {
  Points p(2, 1);
  p.col(0) = x;
  return p;
}

double log_prob_at(const ScoreFunction& f, const Vec2& x, const NoiseLevel& level) {
  Scalars lp;
  f.log_prob(one_point(x), level, lp);
  return lp[0];
}

Vec2 score_at(const ScoreFunction& f, const Vec2& x, const NoiseLevel& level) {
  Points s;
  f.score(one_point(x), level, s);
  return s.col(0);
}

// Queries spread over and around the data (moons lie in about [-3, 3] × [-1.5, 2]).
Points queries() {
  Points q(2, 6);
  q << 0.1, -2.0, 3.0, 0.0, 1.5, -0.7,  //
      0.2, 1.0, -2.0, 2.5, 0.3, -0.4;
  return q;
}

}  // namespace

TEST_CASE("score and divergence match central differences of log-prob and of the score") {
  EmpiricalScore f(toy_samples("moons", 40, 1));
  const double h = 1e-5;
  for (NoiseLevel level : {NoiseLevel{0.2, 1.0, 0.3}, NoiseLevel{0.5, 0.7, 0.5}, NoiseLevel{0.1, 1.3, 0.15}}) {
    CAPTURE(level.s);
    Points q = queries(), s;
    Scalars div;
    f.score_and_divergence(q, level, s, div);
    for (int j = 0; j < q.cols(); ++j) {
      Vec2 x = q.col(j), fd_score;
      double fd_div = 0;
      for (int d = 0; d < 2; ++d) {
        Vec2 e = Vec2::Zero();
        e[d] = h;
        fd_score[d] = (log_prob_at(f, x + e, level) - log_prob_at(f, x - e, level)) / (2 * h);
        fd_div += (score_at(f, x + e, level)[d] - score_at(f, x - e, level)[d]) / (2 * h);
      }
      // Central differences: truncation h²|f'''|/6 with |f'''| ≲ 1/s³ ≈ 300 → 5e-9; rounding
      // ulp·|log p|/h ≈ 1e-10. One order further for the divergence (derivatives of the score).
      CHECK((s.col(j) - fd_score).norm() < 1e-6 * (1 + s.col(j).norm()));
      CHECK(std::abs(div[j] - fd_div) < 1e-5 * (1 + std::abs(div[j])));
      CHECK((score_at(f, x, level) - s.col(j)).norm() == 0.0);  // score() agrees with the pair form
    }
  }
}

TEST_CASE("one point: the Gaussian N(m x₁, s²I)") {
  const Vec2 x1(0.7, -1.2);
  EmpiricalScore f(one_point(x1));
  const NoiseLevel level{0.3, 0.8, 0.6};
  const double s2 = level.s * level.s;
  Points q = queries(), s;
  Scalars div, lp;
  f.score_and_divergence(q, level, s, div);
  f.log_prob(q, level, lp);
  for (int j = 0; j < q.cols(); ++j) {
    Vec2 d = q.col(j) - level.m * x1;
    CHECK((s.col(j) + d / s2).norm() < 1e-12 * (1 + d.norm() / s2));
    CHECK(div[j] == doctest::Approx(-2 / s2).epsilon(1e-12));
    double expected = -d.squaredNorm() / (2 * s2) - std::log(2 * std::numbers::pi * s2);
    CHECK(lp[j] == doctest::Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("equals a MixtureScore of equal-weight isotropic components N(m xᵢ, s²I)") {
  Points data = toy_samples("8gaussians", 30, 2);
  EmpiricalScore f(data);
  for (NoiseLevel level : {NoiseLevel{0.4, 1.0, 0.4}, NoiseLevel{0.8, 0.5, 1.2}, NoiseLevel{0.1, 1.0, 0.05}}) {
    CAPTURE(level.s);
    std::vector<GaussianComponent> comps;
    for (int i = 0; i < data.cols(); ++i)
      comps.push_back({1.0, level.m * Vec2(data.col(i)), level.s * level.s * Mat2::Identity()});
    MixtureScore mix{GaussianMixture(std::move(comps))};
    const NoiseLevel clean{0.0, 1.0, 0.0};  // the mixture already holds the noise
    Points q = queries(), s_f, s_m;
    Scalars div_f, div_m, lp_f, lp_m;
    f.score_and_divergence(q, level, s_f, div_f);
    mix.score_and_divergence(q, clean, s_m, div_m);
    f.log_prob(q, level, lp_f);
    mix.log_prob(q, clean, lp_m);
    // Same quantities by different arithmetic (centred sums vs per-component precision): agreement to
    // rounding, scaled by the sizes involved (|div| up to 2/s² = 800).
    for (int j = 0; j < q.cols(); ++j) {
      CHECK((s_f.col(j) - s_m.col(j)).norm() < 1e-9 * (1 + s_m.col(j).norm()));
      CHECK(div_f[j] == doctest::Approx(div_m[j]).epsilon(1e-9));
      CHECK(lp_f[j] == doctest::Approx(lp_m[j]).epsilon(1e-11));
    }
  }
}

TEST_CASE("threaded, single-threaded and one-query-at-a-time results are bit-identical") {
  Points data = toy_samples("swissroll", 3000, 3), q = toy_samples("swissroll", 1001, 4);  // 3e6 pairs: threaded
  const NoiseLevel level{0.3, 0.9, 0.2};
  EmpiricalScore one(data, 1), two(data, 2), three(data, 3);
  Points s1, s2, s3;
  Scalars d1, d2, d3, l1, l2;
  one.score_and_divergence(q, level, s1, d1);
  two.score_and_divergence(q, level, s2, d2);
  three.score_and_divergence(q, level, s3, d3);
  one.log_prob(q, level, l1);
  two.log_prob(q, level, l2);
  CHECK(s1 == s2);
  CHECK(s1 == s3);
  CHECK(d1 == d2);
  CHECK(d1 == d3);
  CHECK(l1 == l2);
  bool same = true;
  for (int j = 0; j < q.cols(); j += 50) {
    Points s;
    Scalars d;
    two.score_and_divergence(one_point(q.col(j)), level, s, d);
    same = same && s.col(0) == s1.col(j) && d[0] == d1[j];
  }
  CHECK(same);
}

TEST_CASE("far-away queries stay finite and follow the nearest point") {
  Points data = toy_samples("moons", 200, 5);
  EmpiricalScore f(data);
  for (double s : {0.01, 1.0}) {
    const NoiseLevel level{0.5, 0.9, s};
    for (Vec2 x : {Vec2(1e4, -1e4), Vec2(-3e6, 2e6)}) {
      Points q = one_point(x), sc;
      Scalars div, lp;
      f.score_and_divergence(q, level, sc, div);
      f.log_prob(q, level, lp);
      REQUIRE(sc.allFinite());
      REQUIRE(std::isfinite(div[0]));
      REQUIRE(std::isfinite(lp[0]));
      // Far away the nearest point dominates whenever the gap in squared distance to the next one
      // dwarfs s²; the score then points back along the whole offset, −(x − m x_near)/s².
      Eigen::Index near;
      ((level.m * data).colwise() - x).colwise().squaredNorm().minCoeff(&near);
      Vec2 expected = -(x - level.m * Vec2(data.col(near))) / (s * s);
      if (s == 0.01) CHECK((sc.col(0) - expected).norm() < 1e-9 * expected.norm());
      CHECK(sc.col(0).dot(x) < 0);
      CHECK(lp[0] < -1e6);
    }
  }
}

TEST_CASE("s = 0 uses the documented floor; bad point sets are refused") {
  Points data = toy_samples("rings", 50, 6), q = queries();
  EmpiricalScore f(data);
  Points a, b;
  f.score(q, {0.0, 1.0, 0.0}, a);
  f.score(q, {0.0, 1.0, EmpiricalScore::kMinNoise}, b);
  CHECK(a == b);
  CHECK(a.allFinite());
  CHECK_THROWS_AS(EmpiricalScore{Points(2, 0)}, InputError);
  Points bad = data;
  bad(1, 7) = std::nan("");
  CHECK_THROWS_AS(EmpiricalScore{bad}, InputError);
  CHECK(f.size() == 50);
  CHECK(f.has_log_prob());
}

TEST_CASE("10^4 queries × 10^4 points: finite everywhere") {
  // Speed is a figure for scripts/bench, never an assertion here.
  Points data = toy_samples("checkerboard", 10000, 7), q = toy_samples("checkerboard", 10000, 8);
  EmpiricalScore f(data);
  Points s;
  f.score(q, {0.5, 1.0, 0.1}, s);
  CHECK(s.allFinite());
}
