// The blurred-lattice KDE of the ideal score at large s: its score against the direct sum near the
// points, and its refusals off the lattice.
#include <doctest/doctest.h>

#include <cmath>

#include "core/gaussian_grid_field.hpp"
#include "core/rng.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

// ∇ log Σᵢ exp(−‖u − xᵢ‖²/(2s²)) by the direct sum (shifted by the nearest point).
Vec2 direct_score(const Points& pts, const Vec2& u, double s) {
  const Eigen::ArrayXd d2 = (pts.colwise() - u).colwise().squaredNorm().transpose().array();
  const Eigen::ArrayXd w = ((d2.minCoeff() - d2) / (2 * s * s)).exp();
  const Vec2 mean((w * pts.row(0).transpose().array()).sum(), (w * pts.row(1).transpose().array()).sum());
  return (mean / w.sum() - u) / (s * s);
}

}  // namespace

TEST_CASE("lattice score = direct sum within 1e-4 of 1/s, up to 3 s from the points") {
  const Points pts = toy_samples("swissroll", 800, 1);
  const Vec2 lo = pts.rowwise().minCoeff(), hi = pts.rowwise().maxCoeff();
  for (double s : {0.3, 1.0, 5.0}) {
    const GaussianGridField field(pts, lo, hi, s, GridFieldShape{8, 3});
    double worst = 0;
    for (int j = 0; j < 100; ++j) {
      const Vec2 u = pts.col(j * 7) + s * normal2(2, j, 0);  // within ~3 s of a point
      Vec2 g;
      REQUIRE(field.score(u, g));
      const Vec2 exact = direct_score(pts, u, s);
      worst = std::max(worst, (g - exact).norm() * s);
    }
    CAPTURE(s);
    CHECK(worst < 1e-5);
  }
}

TEST_CASE("off the lattice the field says no; the size estimate matches the build") {
  const Points pts = toy_samples("moons", 300, 3);
  const Vec2 lo = pts.rowwise().minCoeff(), hi = pts.rowwise().maxCoeff();
  const GridFieldShape shape{8, 3};
  const GaussianGridField field(pts, lo, hi, 0.5, shape);
  Vec2 g;
  CHECK_FALSE(field.score(hi + Vec2(10, 0), g));
  CHECK_FALSE(field.score(Vec2(std::nan(""), 0), g));
  CHECK(field.score(0.5 * (lo + hi), g));
  const auto z = GaussianGridField::size_for(lo, hi, 0.5, shape);
  CHECK(z.nx > 0);
  CHECK(z.ny > 0);
  CHECK(z.build_madds > 0);
  // A larger s means fewer nodes per unit length: the lattice shrinks.
  CHECK(GaussianGridField::size_for(lo, hi, 5.0, shape).nx < z.nx);
}
