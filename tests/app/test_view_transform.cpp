// The plane view's camera: world <-> screen, pan, zoom about a point, fit to bounds, ticks.
#include <doctest/doctest.h>

#include <cmath>

#include "app/plane/view_transform.hpp"

using namespace scorelab;

namespace {
ViewTransform sample_view() {
  ViewTransform v;
  v.center = Vec2(1.5, -2.0);
  v.pixels_per_unit = 40.0;
  v.viewport = Vec2(800.0, 600.0);
  return v;
}
}  // namespace

TEST_CASE("world_to_screen puts the centre mid-viewport with y pointing down on screen") {
  const ViewTransform v = sample_view();
  const Vec2 mid = v.world_to_screen(v.center);
  CHECK(mid.x() == doctest::Approx(400.0));
  CHECK(mid.y() == doctest::Approx(300.0));
  // One world unit up (+y) is pixels_per_unit pixels up the screen (smaller screen y).
  const Vec2 up = v.world_to_screen(v.center + Vec2(0.0, 1.0));
  CHECK(up.x() == doctest::Approx(400.0));
  CHECK(up.y() == doctest::Approx(260.0));
  const Vec2 right = v.world_to_screen(v.center + Vec2(2.0, 0.0));
  CHECK(right.x() == doctest::Approx(480.0));
}

TEST_CASE("a new viewport size (sidebar hidden or shown, font scale) keeps the centre and the zoom") {
  ViewTransform v = sample_view();
  const Vec2 data_point(2.5, -1.0);
  const Vec2 offset = v.world_to_screen(data_point) - 0.5 * v.viewport;
  for (const Vec2& size : {Vec2(1920.0, 1010.0), Vec2(1150.0, 1010.0), Vec2(640.0, 400.0)}) {
    v.viewport = size;  // what the plane view does each frame: nothing else changes
    CHECK((v.world_to_screen(v.center) - 0.5 * size).norm() < 1e-9);
    CHECK((v.world_to_screen(data_point) - 0.5 * size - offset).norm() < 1e-9);  // same place from the centre
  }
}

TEST_CASE("screen_to_world inverts world_to_screen") {
  const ViewTransform v = sample_view();
  for (const Vec2& w : {Vec2(0.0, 0.0), Vec2(-7.25, 3.5), Vec2(1e3, -1e3)}) {
    CHECK((v.screen_to_world(v.world_to_screen(w)) - w).norm() < 1e-9 * (1.0 + w.norm()));
  }
  const Bounds2 visible = v.visible();
  CHECK(visible.min.x() == doctest::Approx(1.5 - 400.0 / 40.0));
  CHECK(visible.max.y() == doctest::Approx(-2.0 + 300.0 / 40.0));
}

TEST_CASE("panning moves the world with the mouse") {
  ViewTransform v = sample_view();
  const Vec2 grabbed = v.screen_to_world(Vec2(100.0, 200.0));
  pan_by_pixels(v, Vec2(35.0, -12.0));
  // The world point that was under the mouse is under the mouse's new position.
  const Vec2 now = v.world_to_screen(grabbed);
  CHECK(now.x() == doctest::Approx(135.0));
  CHECK(now.y() == doctest::Approx(188.0));
}

TEST_CASE("zoom_about keeps the anchor's world point fixed and scales the zoom") {
  ViewTransform v = sample_view();
  const Vec2 anchor(123.0, 456.0);
  const Vec2 before = v.screen_to_world(anchor);
  zoom_about(v, anchor, 1.15);
  CHECK(v.pixels_per_unit == doctest::Approx(46.0));
  CHECK((v.screen_to_world(anchor) - before).norm() < 1e-12);
  // Zooming back out by the inverse factor restores the original view.
  zoom_about(v, anchor, 1.0 / 1.15);
  CHECK(v.pixels_per_unit == doctest::Approx(40.0));
  CHECK((v.center - Vec2(1.5, -2.0)).norm() < 1e-12);
  // Out-of-range factors and zooms are refused or clamped, never NaN.
  zoom_about(v, anchor, 0.0);
  CHECK(v.pixels_per_unit == doctest::Approx(40.0));
  zoom_about(v, anchor, 1e30);
  CHECK(v.pixels_per_unit == ViewTransform::kMaxPixelsPerUnit);
  CHECK(std::isfinite(v.center.x()));
}

TEST_CASE("fit_to_bounds shows the whole box, centred, inside the margin") {
  Bounds2 b;
  b.include(Vec2(-3.0, 1.0));
  b.include(Vec2(5.0, 2.0));  // 8 wide, 1 tall: the width decides the zoom
  const ViewTransform v = fit_to_bounds(b, Vec2(1000.0, 500.0), 0.05);
  CHECK(v.center.x() == doctest::Approx(1.0));
  CHECK(v.center.y() == doctest::Approx(1.5));
  CHECK(v.pixels_per_unit == doctest::Approx(1000.0 * 0.9 / 8.0));
  for (const Vec2& corner : {b.min, b.max}) {
    const Vec2 s = v.world_to_screen(corner);
    CHECK(s.x() >= 50.0 - 1e-9);
    CHECK(s.x() <= 950.0 + 1e-9);
    CHECK(s.y() >= 25.0 - 1e-9);
    CHECK(s.y() <= 475.0 + 1e-9);
  }
}

TEST_CASE("fit_to_bounds handles empty and degenerate boxes") {
  const ViewTransform empty = fit_to_bounds(Bounds2{}, Vec2(400.0, 400.0), 0.1);
  CHECK(std::isfinite(empty.pixels_per_unit));
  CHECK(empty.pixels_per_unit > 0.0);
  Bounds2 point;
  point.include(Vec2(2.0, 3.0));
  const ViewTransform one = fit_to_bounds(point, Vec2(400.0, 400.0), 0.1);
  CHECK(one.center.x() == doctest::Approx(2.0));
  CHECK(std::isfinite(one.pixels_per_unit));
  Bounds2 line;
  line.include(Vec2(0.0, 0.0));
  line.include(Vec2(4.0, 0.0));  // zero height: the zoom comes from the width alone
  CHECK(fit_to_bounds(line, Vec2(400.0, 400.0), 0.0).pixels_per_unit == doctest::Approx(100.0));
}

TEST_CASE("bounds_of skips non-finite points") {
  Points x(2, 4);
  x << 1.0, -2.0, NAN, 4.0,  //
      0.5, 3.0, 1.0, INFINITY;
  const Bounds2 b = bounds_of(x);
  CHECK(b.min.x() == -2.0);
  CHECK(b.max.x() == 1.0);
  CHECK(b.min.y() == 0.5);
  CHECK(b.max.y() == 3.0);
  CHECK(bounds_of(Points(2, 0)).empty());
}

TEST_CASE("nice_tick_step picks 1, 2 or 5 times a power of ten") {
  CHECK(nice_tick_step(0.7) == doctest::Approx(1.0));
  CHECK(nice_tick_step(1.0) == doctest::Approx(1.0));
  CHECK(nice_tick_step(1.01) == doctest::Approx(2.0));
  CHECK(nice_tick_step(3.0) == doctest::Approx(5.0));
  CHECK(nice_tick_step(6.0) == doctest::Approx(10.0));
  CHECK(nice_tick_step(0.03) == doctest::Approx(0.05));
  CHECK(nice_tick_step(0.3) == doctest::Approx(0.5));
  CHECK(nice_tick_step(420.0) == doctest::Approx(500.0));
}

TEST_CASE("grid_steps: majors at least the asked spacing apart, minors subdivide them") {
  ViewTransform v;
  v.pixels_per_unit = 85.0;
  const GridSteps s = grid_steps(v, 93.5);  // 1.1 units -> 2
  CHECK(s.major == doctest::Approx(2.0));
  CHECK(s.minor == doctest::Approx(0.5));
  v.pixels_per_unit = 400.0;
  const GridSteps t = grid_steps(v, 93.5);  // 0.234 units -> 0.5
  CHECK(t.major == doctest::Approx(0.5));
  CHECK(t.minor == doctest::Approx(0.1));
  CHECK(t.major * v.pixels_per_unit >= 93.5);
}

TEST_CASE("ticks_in lists exact multiples inside the range, including zero") {
  const std::vector<double> t = ticks_in(-1.3, 2.05, 0.5);
  REQUIRE(t.size() == 7);
  CHECK(t.front() == doctest::Approx(-1.0));
  CHECK(t.back() == doctest::Approx(2.0));
  CHECK(t[2] == 0.0);  // exactly zero, so the axis label logic can skip it
  CHECK(ticks_in(0.0, 1.0, 1e-9).empty());  // too many: refused rather than a million labels
  CHECK(ticks_in(1.0, 0.0, 0.5).empty());
}

TEST_CASE("format_tick prints just the decimals the step needs") {
  CHECK(format_tick(2.5, 0.5) == "2.5");
  CHECK(format_tick(-3.0, 1.0) == "-3");
  CHECK(format_tick(0.25, 0.05) == "0.25");
  CHECK(format_tick(10.0, 5.0) == "10");
  CHECK(format_tick(-1e-17, 0.1) == "0.0");
  CHECK(format_tick(2e6, 1e6) == "2e+06");
}
