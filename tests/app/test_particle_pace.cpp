// Pure logic of the GUI's particle path: the per-frame time budget of sampler steps, steps dearer
// than the budget in slices of particles (how much a frame runs, when a step completes), the
// measured pace the panel shows, how trails fade with segment length, and the --backend option.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "app/session/options.hpp"
#include "app/gpu/sliced_step.hpp"
#include "app/lab/particle_run.hpp"
#include "app/plane/frame_history.hpp"

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

TEST_CASE("StepPace takes fractions of a step (slices) as well") {
  StepPace pace;
  pace.add(0.02, 0.010);  // a fiftieth of a step in 10 ms: 0.5 s a step
  CHECK(pace.seconds_per_step == doctest::Approx(0.5));
  CHECK(pace.steps_per_frame == doctest::Approx(0.02));
  for (int i = 0; i < 60; ++i) pace.add(0.016, 0.008);
  CHECK(pace.seconds_per_step == doctest::Approx(0.5).epsilon(1e-3));
  CHECK(pace.steps_per_frame == doctest::Approx(0.016).epsilon(1e-3));
  pace.add(-0.5, 1.0);  // refused
  CHECK(pace.steps_per_frame == doctest::Approx(0.016).epsilon(1e-3));
}

TEST_CASE("slice_particles: what the rest of the budget pays for, on workgroup multiples, at least one slice") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(slice_particles(1000, inf, 64, true) == 1000);     // a whole step
  CHECK(slice_particles(1000, 1000.0, 64, false) == 1000);  // the budget covers the rest of the pass
  CHECK(slice_particles(1000, 300.0, 64, true) == 256);     // rounded down to 4 groups
  CHECK(slice_particles(1000, 300.0, 64, false) == 256);
  CHECK(slice_particles(1000, 10.0, 64, true) == 64);       // less than a group: one, so every call moves
  CHECK(slice_particles(1000, 10.0, 64, false) == 0);       // ... unless something ran: the budget is spent
  CHECK(slice_particles(1000, 0.0, 512, true) == 512);
  CHECK(slice_particles(1000, -3.0, 512, false) == 0);
  CHECK(slice_particles(30, 10.0, 64, true) == 30);         // the tail of a pass, shorter than a group
  CHECK(slice_particles(0, 10.0, 64, true) == 0);
  // Walking a pass of 10007 particles with any budget: slices start on multiples of the alignment
  // (PC's group sums need it), cover the pass exactly, and stay within budget + one slice.
  for (double affordable : {1.0, 100.0, 700.0, 5000.0, 20000.0}) {
    CAPTURE(affordable);
    long next = 0, calls = 0;
    while (next < 10007) {
      const long n = slice_particles(10007 - next, affordable, 192, true);
      REQUIRE(n > 0);
      CHECK(next % 192 == 0);
      CHECK(double(n) <= std::max(affordable, 192.0));
      next += n;
      ++calls;
    }
    CHECK(next == 10007);
    CHECK(calls == long(std::ceil(10007.0 / std::max(std::floor(affordable / 192) * 192, 192.0))));
  }
}

TEST_CASE("plan_sliced_frame: whole steps while they fit, else a budget's share of a step, a probe when unknown") {
  CHECK(plan_sliced_frame(4, 0.001, 0.008, 1000000).steps == 4);  // cheap: as before
  CHECK(plan_sliced_frame(4, 0.001, 0.008, 1000000).slice == 0);
  CHECK(plan_sliced_frame(20, 0.003, 0.008, 1000).steps == 2);
  const FrameSteps dear = plan_sliced_frame(2, 0.5, 0.008, 1000000);  // 0.5 s a step, 8 ms a frame
  CHECK(dear.steps == 0);
  CHECK(dear.slice == 16000);  // 8/500 of a million particle-steps
  CHECK(plan_sliced_frame(2, 0.5, 0.016, 1000000).slice == 32000);  // twice the budget, twice the slice
  CHECK(plan_sliced_frame(2, 1e9, 0.008, 10).slice == 1);          // never nothing
  // Unknown cost: small populations take whole steps; large ones never a whole step of unknown cost.
  CHECK(plan_sliced_frame(2, 0.0, 0.008, 4000).steps == 2);
  CHECK(plan_sliced_frame(2, 0.0, 0.008, 1000000).steps == 0);
  CHECK(plan_sliced_frame(2, 0.0, 0.008, 1000000).slice == kProbeSlice);
}

namespace {

// A GL-free engine that slices: a step is N "particles" of work; positions are the completed steps.
class SlicingEngine final : public ParticleEngine {
 public:
  explicit SlicingEngine(int n) : n_(n) {}
  int num_steps() const override { return 5; }
  NoiseLevel level_at(int) const override { return {}; }
  int count() const override { return n_; }
  int step(int k) override {
    int nfe = 0;
    step_slice(k, n_, nfe);
    return nfe;
  }
  bool step_slice(int k, long work, int& nfe) override {
    if (under_way_ != k) under_way_ = k, done_ = 0;
    done_ = std::min<long>(n_, done_ + std::max(work, 1L));
    if (done_ < n_) return false;
    completed_ = k + 1;
    under_way_ = -1;
    nfe = 2;
    return true;
  }
  int step_under_way() const override { return under_way_; }
  double step_progress() const override { return under_way_ >= 0 ? double(done_) / n_ : 0.0; }
  void abandon_step() override { under_way_ = -1; }
  bool slices_steps() const override { return true; }
  void record(int step) override { frames_.push_back({step, completed_}); }
  int frames() const override { return int(frames_.size()); }
  int step_of(int frame) const override { return frames_[size_t(frame)].first; }
  void restore(int frame) override {
    completed_ = frames_[size_t(frame)].second;
    frames_.resize(size_t(frame) + 1);
  }
  Points download(int frame) const override { return Points::Constant(2, n_, frames_[size_t(frame)].second); }
  Points positions() const override { return Points::Constant(2, n_, completed_); }

 private:
  int n_;
  int under_way_ = -1, completed_ = 0;
  long done_ = 0;
  std::vector<std::pair<int, int>> frames_;  // (step, completed steps in the positions)
};

}  // namespace

TEST_CASE("ParticleRun::advance_slice counts and records a step only when it completes") {
  ParticleRun run;
  SamplerConfig config;
  run.start(std::make_unique<SlicingEngine>(1000), config);
  const long generation = run.generation();
  CHECK(run.advance_slice(300) == doctest::Approx(0.3));
  CHECK(run.step_under_way());
  CHECK(run.step() == 0);
  CHECK(run.frames() == 1);
  CHECK(run.generation() == generation);  // nothing visible changed
  CHECK(run.particles()(0, 0) == 0.0);
  CHECK(run.advance_slice(300) == doctest::Approx(0.3));
  CHECK(run.advance_slice(300) == doctest::Approx(0.3));
  CHECK(run.advance_slice(300) == doctest::Approx(0.1));  // the rest: the step completes
  CHECK(!run.step_under_way());
  CHECK(run.step() == 1);
  CHECK(run.nfe() == 2);
  CHECK(run.frames() == 2);
  CHECK(run.step_of(1) == 1);
  CHECK(run.generation() == generation + 1);
  CHECK(run.particles()(0, 0) == 1.0);
  // advance() finishes a step under way, counting it once, and records one frame.
  run.advance_slice(500);
  CHECK(run.advance(2) == 2);
  CHECK(run.step() == 3);
  CHECK(run.frames() == 3);
  CHECK(run.particles()(0, 0) == 3.0);
  // A rewind abandons a step under way: the next slice begins the rewound-to step afresh.
  run.advance_slice(500);
  run.rewind_to(1);
  CHECK(!run.step_under_way());
  CHECK(run.step() == 1);
  CHECK(run.particles()(0, 0) == 1.0);
  CHECK(run.advance_slice(400) == doctest::Approx(0.4));
  // To the end: fractions of one call never exceed what is left, and nothing runs when finished.
  double total = 0.4;
  while (!run.finished()) total += run.advance_slice(450);
  CHECK(total == doctest::Approx(4.0));  // steps 1 … 4
  CHECK(run.advance_slice(450) == 0.0);
}

TEST_CASE("a frame loop over a step dearer than the budget: each frame about a budget's work, the pace true") {
  // Simulated costs (no clock): a step of 10⁶ particles costs 0.5 s; a slice costs its share.
  const int n = 1000000;
  const double step_s = 0.5, budget = 0.008;
  ParticleRun run;
  run.start(std::make_unique<SlicingEngine>(n), SamplerConfig{});
  StepPace pace;
  double longest = 0.0;
  int frames = 0;
  while (run.step() < 3) {
    const FrameSteps plan = plan_sliced_frame(2, pace.seconds_per_step, budget, n);
    REQUIRE(plan.steps == 0);  // never a whole step: unknown first, then dearer than the budget
    const double done = run.advance_slice(plan.slice);
    const double seconds = done * step_s;
    if (frames > 0) longest = std::max(longest, seconds);
    pace.add(done, seconds);
    ++frames;
  }
  CHECK(longest <= budget * 1.0001);  // after the probe frame, no frame does more than the budget
  CHECK(pace.seconds_per_step == doctest::Approx(step_s));
  CHECK(pace.steps_per_frame == doctest::Approx(budget / step_s).epsilon(0.05));
  CHECK(frames == doctest::Approx(3 * step_s / budget).epsilon(0.05));  // ~188 frames for 3 steps
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
