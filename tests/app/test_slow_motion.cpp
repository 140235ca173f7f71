// Issue 18 item 3, pacing: slow motion (one step every k frames), the "finishes in about N s"
// estimate, the suggestion to lower the particle count, and the rule run by a real Lab on the CPU
// (no GL context: the CPU backend). Item 9, the end of a run: Space (toggle_playback) plays the run
// again and R (restart_and_play) restarts and plays, whether it was playing or paused.
#include <doctest/doctest.h>

#include "app/lab/lab.hpp"
#include "app/lab/particle_run.hpp"

using namespace scorelab;

TEST_CASE("SlowMotion: k frames per step give one step per k updates, the first at once") {
  for (const int k : {1, 2, 3, 60, 120}) {
    CAPTURE(k);
    SlowMotion slow;
    int due = 0;
    std::vector<int> when;
    for (int frame = 0; frame < 10 * k; ++frame)
      if (slow.due(k)) {
        ++due;
        when.push_back(frame);
      }
    CHECK(due == 10);  // exactly one step in every k frames
    REQUIRE(when.size() == 10);
    CHECK(when.front() == 0);  // a (re)started run moves at once
    for (size_t i = 1; i < when.size(); ++i) CHECK(when[i] - when[i - 1] == k);
    slow.reset();
    CHECK(slow.due(k));  // after a reset the next frame steps again
  }
  SlowMotion slow;
  CHECK(slow.due(0));  // k < 1 is every frame
  CHECK(slow.due(0));
}

TEST_CASE("finish_seconds: the steps left at the measured pace") {
  StepPace pace;
  CHECK(finish_seconds(100, pace, 2, 1) == -1.0);  // no frame period measured yet: unknown
  CHECK(finish_seconds(0, pace, 2, 1) == 0.0);
  pace.seconds_per_frame = 1.0 / 60.0;
  pace.seconds_per_step = 0.001;
  pace.steps_per_frame = 2.0;
  // 2 steps a frame at 60 fps: 120 steps/s, so 600 steps take 5 s.
  CHECK(finish_seconds(600, pace, 2, 1) == doctest::Approx(5.0));
  // The budget caps the requested 10 steps to the measured 2: still 5 s, not 1 s.
  CHECK(finish_seconds(600, pace, 10, 1) == doctest::Approx(5.0));
  // Slow motion, one step every 60 frames at 60 fps: one step a second.
  CHECK(finish_seconds(30, pace, 2, 60) == doctest::Approx(30.0));
  // A step dearer than its k frames sets the pace itself: 2 s a step.
  pace.seconds_per_step = 2.0;
  CHECK(finish_seconds(30, pace, 2, 60) == doctest::Approx(60.0));
}

TEST_CASE("StepPace: the frame period is a running average that ignores stalls") {
  StepPace pace;
  pace.add_frame_period(0.02);
  CHECK(pace.seconds_per_frame == doctest::Approx(0.02));
  pace.add_frame_period(10.0);  // a dialog or a compile: not the pace
  CHECK(pace.seconds_per_frame == doctest::Approx(0.02));
  for (int i = 0; i < 60; ++i) pace.add_frame_period(0.01);
  CHECK(pace.seconds_per_frame == doctest::Approx(0.01).epsilon(0.01));
}

TEST_CASE("step_exceeds_budget: the particle-count suggestion shows only when a step costs more than a frame's budget") {
  StepPace pace;
  CHECK_FALSE(step_exceeds_budget(pace, 0.008));  // not measured
  pace.seconds_per_step = 0.005;
  CHECK_FALSE(step_exceeds_budget(pace, 0.008));
  pace.seconds_per_step = 0.02;
  CHECK(step_exceeds_budget(pace, 0.008));
}

TEST_CASE("a Lab in slow motion runs one step every k updates") {
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;  // no GL context here
  p.frames_per_step = 4;
  p.steps_per_frame = 5;  // ignored in slow motion: one step per due frame
  p.budget_ms = 1000.0f;  // so the time budget never caps a step on a slow machine
  lab.set_particles(p);
  lab.load(builtin_scene());
  REQUIRE(lab.run().started());
  REQUIRE(lab.run().num_steps() > 12);
  for (int frame = 0; frame < 12; ++frame) lab.update();
  CHECK(lab.run().step() == 3);  // frames 0, 4 and 8
  p = lab.particles();
  p.frames_per_step = 1;
  lab.set_particles(p);
  const int before = lab.run().step();
  lab.update();
  CHECK(lab.run().step() == before + 5);  // back to steps per frame
  lab.stop_training();
}

TEST_CASE("the end of a run is no dead end: Space plays it again, R restarts and plays even when paused") {
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;  // no GL context here
  p.budget_ms = 1000.0f;
  lab.set_particles(p);
  lab.load(builtin_scene());
  REQUIRE(lab.run().started());
  const int n = lab.run().num_steps();
  REQUIRE(lab.advance(n) == n);
  REQUIRE(lab.run().finished());
  lab.update();  // at the end nothing moves
  CHECK(lab.run().step() == n);

  // Space at the end: the run starts over and plays (the button reads "Replay" there).
  lab.toggle_playback();
  CHECK(lab.run().step() == 0);
  CHECK(lab.particles().playing);
  lab.update();
  CHECK(lab.run().step() > 0);

  // Space mid-run pauses; a paused update moves nothing.
  lab.toggle_playback();
  CHECK_FALSE(lab.particles().playing);
  const int paused_at = lab.run().step();
  lab.update();
  CHECK(lab.run().step() == paused_at);

  // R while paused restarts and plays.
  lab.restart_and_play();
  CHECK(lab.run().step() == 0);
  CHECK(lab.particles().playing);
  lab.update();
  CHECK(lab.run().step() > 0);

  // R while paused at the end: the same.
  REQUIRE(lab.advance(n) > 0);
  REQUIRE(lab.run().finished());
  p = lab.particles();
  p.playing = false;
  lab.set_particles(p);
  lab.restart_and_play();
  CHECK(lab.run().step() == 0);
  CHECK(lab.particles().playing);
  lab.update();
  CHECK(lab.run().step() > 0);
  lab.stop_training();
}
