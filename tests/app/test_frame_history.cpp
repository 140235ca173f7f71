// Frame history of the particle layer: recording, truncation, decimation within a budget, trail alphas.
#include <doctest/doctest.h>

#include "app/plane/frame_history.hpp"

using namespace scorelab;

namespace {
Points frame_value(double v, int n) { return Points::Constant(2, n, v); }
}  // namespace

TEST_CASE("frames are recorded in order with their steps, and truncate_after drops the later ones") {
  FrameHistory h;
  for (int k = 0; k < 5; ++k) h.push(10 * k, frame_value(k, 3));
  REQUIRE(h.size() == 5);
  CHECK(h.step_of(3) == 30);
  CHECK(h.frame(3)(1, 2) == 3.0f);
  h.truncate_after(2);
  CHECK(h.size() == 3);
  CHECK(h.step_of(2) == 20);
  h.truncate_after(7);  // out of range: no change
  CHECK(h.size() == 3);
}

TEST_CASE("over budget, every other interior frame goes; first and newest stay") {
  // 4 particles = 8 floats a frame; a budget of 40 floats holds 5 frames.
  FrameHistory h(40);
  for (int k = 0; k <= 20; ++k) {
    h.push(k, frame_value(k, 4));
    CHECK(h.stored_floats() <= 40);
    CHECK(h.step_of(0) == 0);
    CHECK(h.step_of(h.size() - 1) == k);
  }
  for (int i = 1; i < h.size(); ++i) CHECK(h.step_of(i) > h.step_of(i - 1));
  // A budget below two frames still keeps two.
  FrameHistory tiny(1);
  for (int k = 0; k < 4; ++k) tiny.push(k, frame_value(k, 4));
  CHECK(tiny.size() == 2);
  CHECK(tiny.step_of(1) == 3);
}

TEST_CASE("trail alphas fade linearly from the newest segment") {
  const std::vector<float> a = trail_alphas(4, 0.8f);
  REQUIRE(a.size() == 4);
  CHECK(a[3] == doctest::Approx(0.8f));
  CHECK(a[0] == doctest::Approx(0.2f));
  CHECK(a[1] - a[0] == doctest::Approx(a[3] - a[2]));
  CHECK(trail_alphas(0, 1.0f).empty());
  CHECK(trail_first(2, 5) == 0);
  CHECK(trail_first(9, 5) == 4);
}
