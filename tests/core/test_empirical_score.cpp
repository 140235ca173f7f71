// The ideal score of a point set: against finite differences, the one-point Gaussian, an equivalent
// MixtureScore, thread/block independence, far-away queries and the s = 0 floor.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/empirical_score.hpp"
#include "core/mixture.hpp"
#include "core/rng.hpp"
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

// ---- The fast path (Method::fast and its two halves) against the full sum ----------------------

namespace {

using Method = EmpiricalScore::Method;

// Queries for a point set at noise s: data points offset by N(0, (1.5 s)²) draws (where samplers put
// particles), plus a ring far outside the data (50 units out) where only the nearest points count.
Points queries_around(const Points& data, int count, double s, uint32_t seed) {
  Points q(2, count);
  for (int j = 0; j < count; ++j) q.col(j) = data.col((j * 7919) % data.cols()) + 1.5 * s * normal2(seed, j, 0);
  for (int j = 0; j < std::min(count, 8); ++j)
    q.col(j) = 50.0 * Vec2(std::cos(0.8 * j), std::sin(0.8 * j));
  return q;
}

// Largest ‖fast − exact‖ / max(‖exact‖, floor) over the columns: relative to the score's own norm,
// with a floor at 1 % of 1/s, the score's natural size (a score crossing zero has no relative error).
double max_relative_error(const Points& fast, const Points& exact, double floor) {
  double worst = 0;
  for (int j = 0; j < exact.cols(); ++j)
    worst = std::max(worst, (fast.col(j) - exact.col(j)).norm() / std::max(exact.col(j).norm(), floor));
  return worst;
}

double max_relative_error(const Scalars& fast, const Scalars& exact, double floor) {
  return ((fast - exact).array().abs() / exact.array().abs().max(floor)).maxCoeff();
}

// Largest error of the log-densities, absolute where |log p| < 1 and relative above.
double max_log_prob_error(const Scalars& fast, const Scalars& exact) { return max_relative_error(fast, exact, 1.0); }

struct Worst {
  double score = 0, log_prob = 0;
};

// Every method against the full sum on `data` at one level: score and log-prob (every method), and
// the divergence (the fast method, whose calls with a divergence take the truncated sum throughout).
Worst check_against_full_sum(const Points& data, const Points& q, const NoiseLevel& level) {
  const EmpiricalScore exact(data, 2, Method::exact);
  Points s_exact;
  Scalars div_exact, lp_exact;
  exact.score_and_divergence(q, level, s_exact, div_exact);
  exact.log_prob(q, level, lp_exact);
  const double s = std::max(level.s, EmpiricalScore::kMinNoise);
  Worst worst;
  for (Method method : {Method::fast, Method::truncated, Method::lattice}) {
    CAPTURE(static_cast<int>(method));
    const EmpiricalScore f(data, 2, method);
    Points sc;
    Scalars lp;
    f.score(q, level, sc);
    f.log_prob(q, level, lp);
    REQUIRE(sc.allFinite());
    REQUIRE(lp.allFinite());
    const double err = max_relative_error(sc, s_exact, 0.01 / s), lp_err = max_log_prob_error(lp, lp_exact);
    CHECK(err < 1e-4);
    CHECK(lp_err < 1e-5);
    worst.score = std::max(worst.score, err);
    worst.log_prob = std::max(worst.log_prob, lp_err);
  }
  const EmpiricalScore fast(data, 2, Method::fast);
  Points sc;
  Scalars div;
  fast.score_and_divergence(q, level, sc, div);
  CHECK(max_relative_error(sc, s_exact, 0.01 / s) < 1e-6);  // with the divergence: truncated sums
  CHECK(max_relative_error(div, div_exact, 0.01 / (s * s)) < 1e-6);
  return worst;
}

}  // namespace

TEST_CASE("fast path = full sum within 1e-4, small set (every path, m = 1 and m = 0.6)") {
  const Points data = toy_samples("swissroll", 1500, 21);
  Worst worst;
  for (double m : {1.0, 0.6})
    for (double s : {0.001, 0.01, 0.1, 0.3, 1.0, 4.0, 20.0}) {
      CAPTURE(m);
      CAPTURE(s);
      const Worst w = check_against_full_sum(data, queries_around(m * data, 150, s, 22), {0.5, m, s});
      worst = {std::max(worst.score, w.score), std::max(worst.log_prob, w.log_prob)};
    }
  MESSAGE("largest relative errors, 1500 swiss-roll points: score " << worst.score << ", log-prob " << worst.log_prob);
}

TEST_CASE("fast path = full sum within 1e-4, 10^4 checkerboard and swiss-roll points, s from 0.01 to 20" *
          doctest::test_suite("statistical")) {
  for (const char* name : {"checkerboard", "swissroll"}) {
    const Points data = toy_samples(name, 10000, 0);
    Worst worst;
    for (double m : {1.0, 0.5})
      for (double s : {0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0}) {
        CAPTURE(name);
        CAPTURE(m);
        CAPTURE(s);
        const Worst w = check_against_full_sum(data, queries_around(m * data, 1500, s, 23), {0.5, m, s});
        worst = {std::max(worst.score, w.score), std::max(worst.log_prob, w.log_prob)};
      }
    MESSAGE("largest relative errors, 10^4 " << std::string(name) << " points: score " << worst.score
                                             << ", log-prob " << worst.log_prob);
  }
}

// (Queries millions of units out are in the far-away case above: there d² ~ 1e13 carries rounding
// of ~1e-3, far above 2s², so weights and divergence are ill-conditioned in any arithmetic.)
TEST_CASE("fast path at the memorisation end: 30 points, s down to the floor, near and far queries") {
  const Points data = toy_samples("8gaussians", 30, 24);
  for (double s : {0.0, 0.002, 0.01, 0.05}) {
    CAPTURE(s);
    Points q = queries_around(data, 40, std::max(s, 0.01), 25);
    q.col(10) = data.col(3);  // exactly on a point
    q.col(11) = 0.5 * (data.col(4) + data.col(5));  // between two points
    check_against_full_sum(data, q, {0.1, 1.0, s});
  }
}

TEST_CASE("fast path: threaded and single-threaded results are bit-identical, on both paths") {
  const Points data = toy_samples("checkerboard", 3000, 26), q = queries_around(data, 1200, 0.5, 27);
  for (Method method : {Method::truncated, Method::lattice}) {
    const EmpiricalScore one(data, 1, method), two(data, 2, method);
    for (double s : {0.05, 0.5, 3.0}) {
      Points a, b;
      one.score(q, {0.5, 0.8, s}, a);
      two.score(q, {0.5, 0.8, s}, b);
      CHECK(a == b);
    }
  }
}

TEST_CASE("fast path: a non-finite query gives a non-finite score, as the full sum does, and no other harm") {
  const Points data = toy_samples("checkerboard", 2000, 28);
  Points q = queries_around(data, 300, 0.5, 29);
  q(0, 20) = std::nan("");
  q(1, 21) = std::numeric_limits<double>::infinity();
  for (Method method : {Method::fast, Method::truncated, Method::lattice}) {
    const EmpiricalScore f(data, 2, method), exact(data, 2, Method::exact);
    for (double s : {0.05, 3.0}) {
      Points a, b;
      f.score(q, {0.5, 1.0, s}, a);
      exact.score(q, {0.5, 1.0, s}, b);
      CHECK_FALSE(a.col(20).allFinite());
      CHECK_FALSE(a.col(21).allFinite());
      a.col(20).setZero();
      a.col(21).setZero();
      b.col(20).setZero();
      b.col(21).setZero();
      CHECK(max_relative_error(a, b, 0.01 / s) < 1e-4);
    }
  }
}
