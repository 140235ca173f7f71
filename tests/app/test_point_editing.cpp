// Hand edits of the training data: brush, eraser, picking a mean on screen, the mixture table's
// arithmetic, and the bounded undo stack.
#include <doctest/doctest.h>

#include <cmath>

#include "app/session/point_editing.hpp"

using namespace scorelab;

namespace {

// A 21 × 21 lattice with spacing 0.1 over [−1, 1]².
Points lattice() {
  Points x(2, 21 * 21);
  int j = 0;
  for (int a = 0; a < 21; ++a)
    for (int b = 0; b < 21; ++b) x.col(j++) = Vec2(-1.0 + 0.1 * a, -1.0 + 0.1 * b);
  return x;
}

GaussianMixture two_components() {
  return GaussianMixture({{0.25, Vec2(-2.0, 1.0), Mat2::Identity()}, {0.75, Vec2(3.0, 0.5), 0.5 * Mat2::Identity()}});
}

}  // namespace

TEST_CASE("erase removes exactly the points within the radius and keeps the others in order") {
  const Points before = lattice();
  const Vec2 center(0.23, -0.31);  // off the lattice: no point lies on the circle's edge
  const double radius = 0.45;
  Points after = before;
  const int removed = erase_within(after, center, radius);

  Points expected(2, 0);
  int inside = 0;
  for (Eigen::Index j = 0; j < before.cols(); ++j) {
    if ((before.col(j) - center).norm() < radius) {
      ++inside;
    } else {
      expected.conservativeResize(Eigen::NoChange, expected.cols() + 1);
      expected.col(expected.cols() - 1) = before.col(j);
    }
  }
  REQUIRE(inside > 10);  // the case is not vacuous
  CHECK(removed == inside);
  REQUIRE(after.cols() == expected.cols());
  CHECK(after == expected);
  for (Eigen::Index j = 0; j < after.cols(); ++j) CHECK((after.col(j) - center).norm() > radius);
}

TEST_CASE("erase with nothing in reach changes nothing") {
  Points x = lattice();
  CHECK(erase_within(x, Vec2(10.0, 10.0), 1.0) == 0);
  CHECK(x == lattice());
}

TEST_CASE("the brush adds the asked count inside its disc, deterministically for a seed and counter") {
  Points x = lattice();
  const Vec2 center(4.0, -3.0);
  uint32_t counter = 7;
  brush_add(x, center, 0.5, 300, 42u, counter);
  REQUIRE(x.cols() == 21 * 21 + 300);
  CHECK(x.leftCols(21 * 21) == lattice());  // the old points are untouched
  CHECK(counter == 307u);
  double max_r = 0.0, mean_x = 0.0;
  for (Eigen::Index j = 21 * 21; j < x.cols(); ++j) {
    max_r = std::max(max_r, (x.col(j) - center).norm());
    mean_x += x(0, j) / 300.0;
  }
  CHECK(max_r <= 0.5);
  CHECK(max_r > 0.4);  // spread over the disc, not piled at the centre
  CHECK(mean_x == doctest::Approx(4.0).epsilon(0.02));

  Points again(2, 0);
  uint32_t c2 = 7;
  brush_add(again, center, 0.5, 300, 42u, c2);
  CHECK(again == x.rightCols(300));
  // The next stroke continues the counter: new positions, not a repeat.
  Points next(2, 0);
  brush_add(next, center, 0.5, 300, 42u, c2);
  CHECK_FALSE(next == again);
}

TEST_CASE("picking selects the nearest mean within the pixel tolerance and none beyond it") {
  ViewTransform view;
  view.center = Vec2(0.0, 0.0);
  view.pixels_per_unit = 50.0;
  view.viewport = Vec2(800.0, 600.0);
  const std::vector<Vec2> means{Vec2(0.0, 0.0), Vec2(1.0, 0.0), Vec2(-2.0, 2.0)};
  // Screen positions: (400, 300), (450, 300), (300, 200).
  CHECK(pick_nearest(means, view, Vec2(430.0, 300.0), 25.0) == std::optional<int>(1));  // 20 px from #1, 30 from #0
  CHECK(pick_nearest(means, view, Vec2(420.0, 300.0), 25.0) == std::optional<int>(0));  // 20 from #0, 30 from #1
  CHECK(pick_nearest(means, view, Vec2(300.0, 212.0), 12.5) == std::optional<int>(2));
  CHECK_FALSE(pick_nearest(means, view, Vec2(300.0, 215.0), 12.5).has_value());  // 15 px: beyond tolerance
  CHECK_FALSE(pick_nearest(means, view, Vec2(600.0, 500.0), 25.0).has_value());
  CHECK_FALSE(pick_nearest({}, view, Vec2(400.0, 300.0), 25.0).has_value());
}

TEST_CASE("covariance from (σx, σy, ρ) and back") {
  const Mat2 cov = covariance_from(2.0, 0.5, -0.6);
  CHECK(cov(0, 0) == doctest::Approx(4.0));
  CHECK(cov(1, 1) == doctest::Approx(0.25));
  CHECK(cov(0, 1) == doctest::Approx(-0.6));
  CHECK(cov(1, 0) == doctest::Approx(-0.6));
  const SigmaRho back = sigma_rho(cov);
  CHECK(back.sigma_x == doctest::Approx(2.0));
  CHECK(back.sigma_y == doctest::Approx(0.5));
  CHECK(back.rho == doctest::Approx(-0.6));
}

TEST_CASE("setting one weight rescales the others, keeping their ratios and a total of 1") {
  std::vector<GaussianComponent> c(3);
  c[0].weight = 0.2, c[1].weight = 0.2, c[2].weight = 0.6;
  set_component_weight(c, 0, 0.5);
  CHECK(c[0].weight == doctest::Approx(0.5));
  CHECK(c[1].weight == doctest::Approx(0.125));
  CHECK(c[2].weight == doctest::Approx(0.375));
  set_component_weight(c, 2, 1.5);  // clamped to 1 − (K − 1)·kMinWeight
  CHECK(c[2].weight == doctest::Approx(1.0 - 2 * kMinWeight));
  CHECK(c[0].weight + c[1].weight + c[2].weight == doctest::Approx(1.0));
  CHECK(c[0].weight / c[1].weight == doctest::Approx(4.0));

  add_component(c, Vec2(1.0, 2.0), 0.5);
  REQUIRE(c.size() == 4);
  CHECK(c[3].weight == doctest::Approx(0.25));
  CHECK(c[3].cov(0, 0) == doctest::Approx(0.25));
  CHECK(c[0].weight + c[1].weight + c[2].weight + c[3].weight == doctest::Approx(1.0));
  CHECK(remove_component(c, 3));
  CHECK(c[0].weight + c[1].weight + c[2].weight == doctest::Approx(1.0));
  std::vector<GaussianComponent> one(1);
  CHECK_FALSE(remove_component(one, 0));
  CHECK(one.size() == 1);
}

TEST_CASE("undo restores the exact previous state") {
  DataConfig drawn;
  drawn.kind = DataKind::points;
  drawn.points = lattice();
  DataConfig mixture;
  mixture.kind = DataKind::mixture;
  mixture.mixture = two_components();
  mixture.count = 500;
  mixture.seed = 9;

  DataUndoStack undo;
  undo.push(mixture);
  undo.push(drawn);
  undo.push(drawn);  // unchanged since the last push: stored once
  CHECK(undo.size() == 2);

  std::optional<DataConfig> a = undo.pop();
  REQUIRE(a);
  CHECK(same_data(*a, drawn));
  CHECK(a->points == lattice());
  std::optional<DataConfig> b = undo.pop();
  REQUIRE(b);
  CHECK(same_data(*b, mixture));
  CHECK(b->kind == DataKind::mixture);
  CHECK(b->count == 500);
  CHECK(b->seed == 9u);
  CHECK(b->mixture.components()[1].mean == Vec2(3.0, 0.5));
  CHECK_FALSE(undo.pop().has_value());

  // same_data notices a single moved point and a single changed weight.
  DataConfig moved = drawn;
  moved.points(1, 17) += 1e-9;
  CHECK_FALSE(same_data(moved, drawn));
  DataConfig reweighted = mixture;
  std::vector<GaussianComponent> c = mixture.mixture.components();
  set_component_weight(c, 0, 0.3);
  reweighted.mixture = GaussianMixture(c);
  CHECK_FALSE(same_data(reweighted, mixture));
}

TEST_CASE("the undo stack is bounded: the oldest states are dropped") {
  DataUndoStack undo(20);
  for (int i = 0; i < 25; ++i) {
    DataConfig d;
    d.seed = static_cast<uint32_t>(i);
    undo.push(d);
  }
  CHECK(undo.size() == 20);
  for (int i = 24; i >= 5; --i) {
    std::optional<DataConfig> d = undo.pop();
    REQUIRE(d);
    CHECK(d->seed == static_cast<uint32_t>(i));
  }
  CHECK(undo.empty());
}
