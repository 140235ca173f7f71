// Pure logic of the GUI's particle path: the per-frame time budget of sampler steps, the measured
// pace the panel shows, how trails fade with segment length, and the --backend option.
#include <doctest/doctest.h>

#include "app/gui/options.hpp"
#include "app/gui/particle_run.hpp"
#include "app/render/frame_history.hpp"

using namespace scorelab;

TEST_CASE("budgeted_steps: as many requested steps as fit the budget, at least one") {
  CHECK(budgeted_steps(4, 0.0, 0.008) == 4);     // not measured yet: all requested
  CHECK(budgeted_steps(4, 0.001, 0.008) == 4);   // 8 fit, 4 asked
  CHECK(budgeted_steps(20, 0.001, 0.008) == 8);  // the budget caps
  CHECK(budgeted_steps(20, 0.003, 0.008) == 2);
  CHECK(budgeted_steps(20, 0.5, 0.008) == 1);    // one step costs more than the budget: still moves
  CHECK(budgeted_steps(0, 0.001, 0.008) == 1);   // a request below one is one
}

TEST_CASE("steps_this_frame: a step dearer than the budget waits twice its cost since the last one") {
  CHECK(steps_this_frame(4, 0.001, 0.008, 0.0) == 4);  // cheap steps: no waiting
  CHECK(steps_this_frame(20, 0.003, 0.008, 0.0) == 2);
  CHECK(steps_this_frame(4, 0.5, 0.008, 0.2) == 0);    // 0.5 s a step, 0.2 s since: wait
  CHECK(steps_this_frame(4, 0.5, 0.008, 0.99) == 0);
  CHECK(steps_this_frame(4, 0.5, 0.008, 1.0) == 1);    // then one step
  CHECK(steps_this_frame(4, 0.0, 0.008, 0.0) == 4);    // not measured yet
  // Frames with a step take 0.8 s longer (the step and the redraw): the wait is 1.6 s.
  CHECK(steps_this_frame(4, 0.5, 0.008, 1.2, 0.8) == 0);
  CHECK(steps_this_frame(4, 0.5, 0.008, 1.6, 0.8) == 1);
  CHECK(steps_this_frame(4, 0.005, 0.008, 0.0, 0.8) == 1);  // cheap steps never wait
  // An outlier (a first frame that compiled shaders: 9 s) counts as at most 3 steps + 0.5 s.
  CHECK(steps_this_frame(4, 0.5, 0.008, 3.9, 9.0) == 0);
  CHECK(steps_this_frame(4, 0.5, 0.008, 4.0, 9.0) == 1);
}

TEST_CASE("StepPace follows the measured cost and averages the steps per frame") {
  StepPace pace;
  pace.add(2, 0.004);
  CHECK(pace.seconds_per_step == doctest::Approx(0.002));
  CHECK(pace.steps_per_frame == doctest::Approx(2.0));
  for (int i = 0; i < 60; ++i) pace.add(1, 0.010);  // the population grew: 10 ms a step
  CHECK(pace.seconds_per_step == doctest::Approx(0.010).epsilon(1e-3));
  CHECK(pace.steps_per_frame == doctest::Approx(1.0).epsilon(1e-3));
  // Alternating 1 and 2 steps a frame reads as about 1.5 steps/frame.
  for (int i = 0; i < 200; ++i) pace.add(1 + i % 2, 0.010 * (1 + i % 2));
  CHECK(pace.steps_per_frame > 1.3);
  CHECK(pace.steps_per_frame < 1.7);
  const double before = pace.steps_per_frame;
  pace.add(0, 1.0);  // a frame that ran no step: the cost stands, the pace drops
  CHECK(pace.seconds_per_step == doctest::Approx(0.010).epsilon(1e-3));
  CHECK(pace.steps_per_frame == doctest::Approx(0.75 * before));
  pace.reset();
  CHECK(pace.seconds_per_step == 0.0);
}

TEST_CASE("trail segments keep full opacity up to the fade length, then fade as its square") {
  CHECK(trail_length_fade(10.0f, 60.0f) == 1.0f);
  CHECK(trail_length_fade(60.0f, 60.0f) == 1.0f);
  CHECK(trail_length_fade(120.0f, 60.0f) == doctest::Approx(0.25f));
  CHECK(trail_length_fade(600.0f, 60.0f) == doctest::Approx(0.01f));
  CHECK(trail_length_fade(1e6f, 0.0f) == 1.0f);  // fading off
  // Monotone: a longer jump is never drawn more strongly.
  float last = 1.0f;
  for (float len = 1.0f; len < 2000.0f; len *= 1.3f) {
    const float a = trail_length_fade(len, 80.0f);
    CHECK(a <= last);
    last = a;
  }
  CHECK(trail_fade_px(1200.0, 600.0) == doctest::Approx(50.0f));  // a twelfth of the smaller side
}

TEST_CASE("--backend takes cpu or gpu and refuses anything else naming the option") {
  CHECK(!parse_gui_options({}).backend);
  CHECK(parse_gui_options({"--backend", "cpu"}).backend == "cpu");
  CHECK(parse_gui_options({"--backend=gpu"}).backend == "gpu");
  try {
    parse_gui_options({"--backend", "cuda"});
    FAIL("--backend cuda was accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("--backend") != std::string::npos);
  }
}
