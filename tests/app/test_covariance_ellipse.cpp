// Covariance ellipses drawn for mixture components: every vertex lies on (x − μ)ᵀΣ⁻¹(x − μ) = k².
#include <doctest/doctest.h>

#include <cmath>

#include "app/plane/ellipse.hpp"

using namespace scorelab;

TEST_CASE("every vertex is at Mahalanobis distance k, and the curve closes") {
  Mat2 cov;
  cov << 2.0, 0.7, 0.7, 0.5;  // correlated, unequal variances
  const Vec2 mean(1.0, -3.0);
  const std::vector<Vec2> curve = covariance_ellipse(mean, cov, 2.0, 64);
  REQUIRE(curve.size() == 65);
  CHECK((curve.front() - curve.back()).norm() == 0.0);
  const Mat2 precision = cov.inverse();
  for (const Vec2& p : curve) {
    const Vec2 d = p - mean;
    CHECK(d.dot(precision * d) == doctest::Approx(4.0).epsilon(1e-12));
  }
}

TEST_CASE("the vertices go once round the mean") {
  // The angle about the mean advances monotonically through a full turn (no reversal, no double loop).
  Mat2 cov;
  cov << 1.0, -0.4, -0.4, 3.0;
  const std::vector<Vec2> curve = covariance_ellipse(Vec2::Zero(), cov, 1.0, 100);
  double turned = 0.0;
  for (size_t i = 1; i < curve.size(); ++i) {
    const double step = std::atan2(curve[i - 1].x() * curve[i].y() - curve[i - 1].y() * curve[i].x(),
                                   curve[i - 1].dot(curve[i]));
    CHECK(step != 0.0);
    turned += step;
  }
  CHECK(std::abs(turned) == doctest::Approx(2.0 * M_PI));
}

TEST_CASE("bounds are mean ± k·σ per axis and contain the whole curve") {
  Mat2 cov;
  cov << 4.0, 1.0, 1.0, 1.0;
  const Vec2 mean(-1.0, 2.0);
  const Bounds2 b = covariance_ellipse_bounds(mean, cov, 2.0);
  CHECK(b.min.x() == doctest::Approx(-5.0));
  CHECK(b.max.y() == doctest::Approx(4.0));
  double reach_x = 0.0;
  for (const Vec2& p : covariance_ellipse(mean, cov, 2.0, 720)) {
    CHECK(p.x() >= b.min.x() - 1e-12);
    CHECK(p.x() <= b.max.x() + 1e-12);
    CHECK(p.y() >= b.min.y() - 1e-12);
    CHECK(p.y() <= b.max.y() + 1e-12);
    reach_x = std::max(reach_x, p.x() - mean.x());
  }
  // The box is tight: the curve comes within the polygon's chord error of it (720 segments).
  CHECK(reach_x == doctest::Approx(4.0).epsilon(1e-3));
}

TEST_CASE("a singular covariance gives a flat ellipse, not NaN") {
  Mat2 cov;
  cov << 1.0, 1.0, 1.0, 1.0;  // all mass on the line y = x
  for (const Vec2& p : covariance_ellipse(Vec2::Zero(), cov, 2.0, 16)) {
    CHECK(std::isfinite(p.x()));
    CHECK(p.x() == doctest::Approx(p.y()).epsilon(1e-9));
  }
}
