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

TEST_CASE("a cleared or decimated history reuses its frames' storage, within the budget") {
  // 4 particles = 8 floats a frame; a budget of 40 floats holds 5 frames, stored and spare together.
  FrameHistory h(40);
  for (int k = 0; k < 5; ++k) h.push(k, frame_value(k, 4));
  const float* first_block = h.frame(4).data();
  h.clear();
  CHECK(h.size() == 0);
  CHECK(h.stored_floats() == 0);
  CHECK(h.spare_frames() == 5);
  h.push(7, frame_value(7, 4));
  CHECK(h.spare_frames() == 4);
  CHECK(h.frame(0).data() == first_block);  // the newest spare: no allocation
  CHECK(h.frame(0)(1, 3) == 7.0f);           // and its old content overwritten
  for (int k = 8; k < 60; ++k) {
    h.push(k, frame_value(k, 4));
    CHECK(h.stored_floats() + 8 * size_t(h.spare_frames()) <= 40);
    CHECK(h.frame(h.size() - 1)(0, 0) == float(k));
  }
  h.truncate_after(0);
  CHECK(h.size() == 1);
  CHECK(h.stored_floats() + 8 * size_t(h.spare_frames()) <= 40);
  // Another particle count: the spares of the old one are dropped, not handed out.
  h.push(100, frame_value(1, 3));
  CHECK(h.frame(1).cols() == 3);
  CHECK(h.stored_floats() == 8 + 6);
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
