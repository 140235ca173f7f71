// The cell grid of the truncated ideal-score sums: nearest distances and "any point within r" against
// brute force (near, inside holes, far outside, on degenerate sets), and kernel sums against the
// full sum.
#include <doctest/doctest.h>

#include <cmath>

#include "core/point_grid.hpp"
#include "core/rng.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

double brute_nearest2(const Points& pts, const Vec2& u) { return (pts.colwise() - u).colwise().squaredNorm().minCoeff(); }

// Queries over, between and far around the points.
std::vector<Vec2> probes(const Points& pts) {
  std::vector<Vec2> q;
  for (int j = 0; j < 200; ++j) q.push_back(pts.col((j * 31) % pts.cols()) + 0.7 * normal2(5, j, 0));
  for (Vec2 far : {Vec2(50, 0), Vec2(-40, 30), Vec2(1e6, -2e6), Vec2(0, 1e-9)}) q.push_back(far);
  return q;
}

}  // namespace

TEST_CASE("nearest distance and any_within agree with brute force") {
  Points line(2, 20), one(2, 1);
  for (int i = 0; i < 20; ++i) line.col(i) = Vec2(0.3 * i, 1.0);  // zero-area box
  one.col(0) = Vec2(2, -1);
  for (const Points& pts : {toy_samples("checkerboard", 2000, 1), toy_samples("rings", 500, 2), line, one}) {
    const PointGrid grid(pts, 8.0);
    CHECK(grid.size() == pts.cols());
    for (const Vec2& u : probes(pts)) {
      const double exact = brute_nearest2(pts, u);
      CHECK(grid.nearest_distance2(u) == doctest::Approx(exact).epsilon(1e-13));  // FMA may round apart
      for (double r : {0.05, 0.5, 3.0, 100.0}) CHECK(grid.any_within(u, r) == (exact <= r * r));
    }
  }
}

TEST_CASE("kernel sums over the cut-off disc match the full sums") {
  const Points pts = toy_samples("moons", 3000, 3);
  const PointGrid grid(pts, 8.0);
  const double cutoff = std::log(3000.0) + 20;
  for (double s : {0.01, 0.1, 0.5, 3.0}) {
    for (const Vec2& u : probes(pts)) {
      if (u.norm() > 1e3) continue;  // d² ~ 1e12 rounds above 2s²: no meaningful weights at all
      const Eigen::ArrayXd d2 = (pts.colwise() - u).colwise().squaredNorm().transpose().array();
      const Eigen::ArrayXd w = ((d2.minCoeff() - d2) / (2 * s * s)).exp();
      const Vec2 mean((w * pts.row(0).transpose().array()).sum() / w.sum(), (w * pts.row(1).transpose().array()).sum() / w.sum());
      const double var = (w * ((pts.row(0).transpose().array() - mean.x()).square() +
                               (pts.row(1).transpose().array() - mean.y()).square())).sum() / w.sum();
      const KernelSums k = grid.kernel_sums(u, s, cutoff, true);
      CAPTURE(s);
      CHECK(k.z == doctest::Approx(w.sum()).epsilon(1e-9));
      CHECK((k.mean - mean).norm() < 1e-9 * s + 1e-12 * mean.norm());
      CHECK(k.var == doctest::Approx(var).epsilon(1e-8));
    }
  }
}

TEST_CASE("mean_points_within counts what a query at a data point would visit") {
  const Points pts = toy_samples("checkerboard", 4000, 4);
  const PointGrid grid(pts, 8.0);
  CHECK(grid.mean_points_within(100.0) == 4000);   // every row span, whole
  CHECK(grid.mean_points_within(1e-6) >= 1);       // at least the query's own cell
  CHECK(grid.mean_points_within(0.2) < grid.mean_points_within(0.8));
}
