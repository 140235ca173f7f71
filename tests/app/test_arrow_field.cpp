// Arrow-field geometry: grid placement and stability under panning, lengths, arrow shapes.
#include <doctest/doctest.h>

#include <cmath>

#include "app/plane/arrow_field.hpp"

using namespace scorelab;

TEST_CASE("arrow_grid covers the visible box with cell centres on the (k + 1/2)·spacing lattice") {
  Bounds2 box;
  box.include(Vec2(-1.0, -0.5));
  box.include(Vec2(1.0, 0.5));
  const Points g = arrow_grid(box, 0.5);
  REQUIRE(g.cols() > 0);
  Bounds2 covered = bounds_of(g);
  CHECK(covered.min.x() <= box.min.x() + 0.25);
  CHECK(covered.max.x() >= box.max.x() - 0.25);
  CHECK(covered.min.y() <= box.min.y() + 0.25);
  CHECK(covered.max.y() >= box.max.y() - 0.25);
  for (Eigen::Index j = 0; j < g.cols(); ++j) {
    const double kx = g(0, j) / 0.5 - 0.5, ky = g(1, j) / 0.5 - 0.5;
    CHECK(std::abs(kx - std::round(kx)) < 1e-9);
    CHECK(std::abs(ky - std::round(ky)) < 1e-9);
  }
}

TEST_CASE("arrow_grid: panning by a fraction of a cell keeps the same lattice; the count is capped") {
  Bounds2 a, b;
  a.include(Vec2(0.0, 0.0));
  a.include(Vec2(3.0, 2.0));
  b.include(Vec2(0.1, 0.1));
  b.include(Vec2(3.1, 2.1));
  const Points ga = arrow_grid(a, 1.0), gb = arrow_grid(b, 1.0);
  // Every point of the shifted grid is a point of the lattice of the first one.
  for (Eigen::Index j = 0; j < gb.cols(); ++j) {
    const double kx = gb(0, j) - 0.5, ky = gb(1, j) - 0.5;
    CHECK(std::abs(kx - std::round(kx)) < 1e-9);
    CHECK(std::abs(ky - std::round(ky)) < 1e-9);
  }
  CHECK(arrow_grid(a, 1e-4, 5000).cols() <= 5000);
  CHECK(arrow_grid(Bounds2{}, 1.0).cols() == 0);
}

TEST_CASE("arrow_length: proportional up to the reference, constant when normalised, 0 for bad input") {
  CHECK(arrow_length(1.0, 4.0, 2.0, false) == doctest::Approx(0.5));
  CHECK(arrow_length(8.0, 4.0, 2.0, false) == doctest::Approx(2.0));
  CHECK(arrow_length(0.01, 4.0, 2.0, true) == doctest::Approx(2.0));
  CHECK(arrow_length(0.0, 4.0, 2.0, true) == 0.0);
  CHECK(arrow_length(std::nan(""), 4.0, 2.0, false) == 0.0);
}

TEST_CASE("arrow_shape: centred on the point, pointing along v, barbs behind the tip symmetrically") {
  const ArrowShape a = arrow_shape(Vec2(1.0, 1.0), Vec2(0.0, 3.0), 2.0);
  CHECK((0.5 * (a.tail + a.tip) - Vec2(1.0, 1.0)).norm() < 1e-12);
  CHECK((a.tip - Vec2(1.0, 2.0)).norm() < 1e-12);
  CHECK(a.barb_left.y() < a.tip.y());
  CHECK(a.barb_right.y() < a.tip.y());
  CHECK(a.barb_left.x() - 1.0 == doctest::Approx(-(a.barb_right.x() - 1.0)));
  CHECK((a.barb_left - a.tip).norm() == doctest::Approx(0.7));
}

TEST_CASE("magnitude_quantile uses column norms") {
  Points v(2, 3);
  v << 3, 0, 1,
       4, 1, 0;
  CHECK(magnitude_quantile(v, 1.0) == doctest::Approx(5.0));
  CHECK(magnitude_quantile(v, 0.0) == doctest::Approx(1.0));
}
