// Streamline tracing: a linear sink s = −x (lines run straight to the origin along their rays and
// stop there), a uniform field (lines stop on the box), the count and length limits, and seeding.
#include <doctest/doctest.h>

#include <cmath>

#include "app/plane/streamlines.hpp"

using namespace scorelab;

namespace {

Bounds2 box(double lo, double hi) {
  Bounds2 b;
  b.include(Vec2(lo, lo));
  b.include(Vec2(hi, hi));
  return b;
}

void sink(const Points& x, Points& v) { v = -x; }

double cross(const Vec2& a, const Vec2& b) { return a.x() * b.y() - a.y() * b.x(); }

}  // namespace

TEST_CASE("s = -x: lines converge to the origin and stay on their rays") {
  const Bounds2 b = box(-4.0, 4.0);
  const Points seeds = streamline_seeds(b, 100);
  REQUIRE(seeds.cols() > 20);
  StreamlineOptions o;
  o.step = 0.05;
  o.max_length = 100.0;  // long enough to reach the sink from anywhere in the box
  o.max_points = 1000;
  const std::vector<Streamline> lines = trace_streamlines(sink, b, seeds, o);
  CHECK(lines.size() == static_cast<size_t>(seeds.cols()));  // every seed is inside and moves
  for (const Streamline& line : lines) {
    REQUIRE(line.points.size() >= 2);
    CHECK(line.speed.size() == line.points.size());
    const Vec2 seed = line.points.front();
    const Vec2 dir = seed.normalized();
    double previous = seed.norm();
    for (const Vec2& p : line.points) {
      CHECK(std::abs(cross(dir, p)) < 1e-9 * (1.0 + seed.norm()));  // on the ray through the seed
      CHECK(p.dot(dir) >= -0.5 * o.step);                             // never far past the origin
      CHECK(p.norm() <= previous + 1e-12);                            // monotone towards it
      previous = p.norm();
    }
    // It stops at the sink: within a step of the origin, not by running out of length or points.
    CHECK(line.points.back().norm() <= o.step);
    // |s| = |x| along the line (the speed is the field's magnitude at each vertex).
    CHECK(line.speed.front() == doctest::Approx(seed.norm()).epsilon(1e-12));
  }
}

TEST_CASE("min_speed: lines stop where |s| falls below it, short of the sink") {
  const Bounds2 b = box(-4.0, 4.0);
  StreamlineOptions o;
  o.step = 0.05;
  o.max_length = 100.0;
  o.max_points = 1000;
  o.min_speed = 1.0;  // |s| = |x|: every line ends at radius ≈ 1
  const std::vector<Streamline> lines = trace_streamlines(sink, b, streamline_seeds(b, 60), o);
  REQUIRE(!lines.empty());
  for (const Streamline& line : lines) {
    if (line.points.front().norm() < 1.0 + o.step) continue;  // seeds starting inside are dropped or short
    CHECK(line.points.back().norm() < 1.0);
    CHECK(line.points.back().norm() > 1.0 - o.step - 1e-12);
    for (size_t i = 0; i + 1 < line.points.size(); ++i) CHECK(line.points[i].norm() >= 1.0);
  }
}

TEST_CASE("lines stop on the box boundary") {
  const Bounds2 b = box(-1.0, 1.0);
  const auto east = [](const Points& x, Points& v) {
    v = Points::Zero(2, x.cols());
    v.row(0).setConstant(2.0);
  };
  StreamlineOptions o;
  o.step = 0.07;
  o.max_length = 10.0;
  o.max_points = 1000;
  const std::vector<Streamline> lines = trace_streamlines(east, b, streamline_seeds(b, 50), o);
  REQUIRE(!lines.empty());
  for (const Streamline& line : lines) {
    for (const Vec2& p : line.points) {
      CHECK(p.x() >= -1.0);
      CHECK(p.x() <= 1.0 + 1e-12);
      CHECK(std::abs(p.y() - line.points.front().y()) < 1e-12);  // straight east
    }
    CHECK(line.points.back().x() == doctest::Approx(1.0));  // ended on the right edge
  }
}

TEST_CASE("count, vertex and length limits hold") {
  const Bounds2 b = box(-10.0, 10.0);
  const auto swirl = [](const Points& x, Points& v) {
    v.resize(2, x.cols());
    v.row(0) = -x.row(1);
    v.row(1) = x.row(0);
  };
  const Points seeds = streamline_seeds(b, 400);
  REQUIRE(seeds.cols() > 100);
  StreamlineOptions o;
  o.step = 0.1;
  o.max_lines = 37;
  o.max_points = 9;
  o.max_length = 100.0;
  std::vector<Streamline> lines = trace_streamlines(swirl, b, seeds, o);
  CHECK(lines.size() <= 37);
  CHECK(lines.size() >= 30);  // a rotation has no sink: almost every line runs its full course
  for (const Streamline& line : lines) CHECK(line.points.size() <= 9);
  o.max_points = 1000;
  o.max_length = 0.55;
  lines = trace_streamlines(swirl, b, seeds, o);
  for (const Streamline& line : lines) {
    double length = 0.0;
    for (size_t i = 1; i < line.points.size(); ++i) length += (line.points[i] - line.points[i - 1]).norm();
    CHECK(length <= o.max_length + o.step + 1e-12);
  }
}

TEST_CASE("a zero or non-finite field stops a line at once; it is dropped") {
  const Bounds2 b = box(-1.0, 1.0);
  const auto zero = [](const Points& x, Points& v) { v = Points::Zero(2, x.cols()); };
  const auto nan = [](const Points& x, Points& v) { v = Points::Constant(2, x.cols(), std::nan("")); };
  CHECK(trace_streamlines(zero, b, streamline_seeds(b, 20), {}).empty());
  CHECK(trace_streamlines(nan, b, streamline_seeds(b, 20), {}).empty());
}

TEST_CASE("seeds: inside the box, at most the count, stable under a small pan") {
  const Bounds2 a = box(-3.0, 3.0);
  const Points s = streamline_seeds(a, 200);
  CHECK(s.cols() <= 200);
  CHECK(s.cols() >= 50);
  for (Eigen::Index j = 0; j < s.cols(); ++j) {
    CHECK(s(0, j) >= -3.0);
    CHECK(s(0, j) <= 3.0);
  }
  Bounds2 shifted = a;
  shifted.min += Vec2(0.01, 0.0);
  shifted.max += Vec2(0.01, 0.0);
  const Points t = streamline_seeds(shifted, 200);
  // Seeds away from the edges are the same points: panning does not make the lines swim.
  int same = 0;
  for (Eigen::Index j = 0; j < s.cols(); ++j)
    for (Eigen::Index k = 0; k < t.cols(); ++k)
      if ((s.col(j) - t.col(k)).norm() < 1e-12) ++same;
  CHECK(same >= s.cols() - 20);
  CHECK(streamline_seeds(Bounds2{}, 10).cols() == 0);
}
