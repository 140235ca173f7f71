// A step run in slices of particles over several calls (GpuSampler::begin_step/continue_step, the
// GUI's way through a step dearer than a frame) against the same step run whole: positions and
// recorded ring frames must be bit-identical (exact float equality), for every sampler kind with the
// exact mixture score and with a small network (8 and 3 particles per invocation), at particle counts
// that are multiples of nothing and a budget that cuts every pass into slices of a few workgroups.
// Between slices the sampler shows the last completed step. The engine level: a rewind abandons a
// step under way, a score swapped during a step applies from the next step, the forward process.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/lab/gpu_particle_engine.hpp"
#include "app/gpu/gpu_sampler.hpp"
#include "core/forward_process.hpp"
#include "core/mixture.hpp"
#include "core/nn/score_network.hpp"
#include "gpu_test_context.hpp"
#include "seeded_network.hpp"

namespace scorelab {
namespace {

GaussianMixture test_mixture(double shift = 0.0) {
  Mat2 a, b, c;
  a << 1.0, 0.3, 0.3, 0.5;
  b << 0.4, -0.1, -0.1, 0.8;
  c << 0.6, 0.0, 0.0, 0.6;
  return GaussianMixture(
      {{0.5, Vec2(-3.0 + shift, 1.0), a}, {0.3, Vec2(3.0, 2.0 - shift), b}, {0.2, Vec2(0.5, -3.0), c}});
}

// x as the GPU holds it (float).
Points as_float(const Points& x) { return x.cast<float>().cast<double>(); }

bool identical(const Points& a, const Points& b) {
  return a.cols() == b.cols() && a.allFinite() && b.allFinite() && (a.array() == b.array()).all();
}

// One configuration of the matrix below.
struct Case {
  std::string name;
  SamplerConfig config;
  NoiseConfig noise;
};

NoiseConfig noise_of(NoiseKind kind, double sigma_max) {
  NoiseConfig n;
  n.kind = kind;
  n.sigma_min = kind == NoiseKind::geometric ? 0.1 : 0.05;
  n.sigma_max = sigma_max;
  n.levels = 3;
  n.beta_max = 2.0;  // VP: β(t)·h < 1 with only 4 steps of h = 1/4 (PC's α = 1 − β·h, DDPM's √(1 − β·h))
  return n;
}

// Every sampler kind, short runs that end with Tweedie's denoising step where the kind has one.
std::vector<Case> all_kinds(int particles, double sigma_max) {
  SamplerConfig base;
  base.particles = particles;
  base.seed = 11;
  base.steps = 4;
  std::vector<Case> cases;
  SamplerConfig c = base;
  c.kind = SamplerKind::langevin;
  c.eps = 0.01;
  c.langevin_sigma = 0.3;
  cases.push_back({"langevin", c, noise_of(NoiseKind::geometric, sigma_max)});
  c = base;
  c.kind = SamplerKind::annealed;
  c.eps = 0.01;
  c.steps_per_level = 2;
  c.denoise = true;
  cases.push_back({"annealed + denoise", c, noise_of(NoiseKind::geometric, sigma_max)});
  c = base;
  c.kind = SamplerKind::em;
  c.denoise = true;
  cases.push_back({"em vp + denoise", c, noise_of(NoiseKind::vp, sigma_max)});
  c = base;
  c.kind = SamplerKind::pc;
  c.corrector_steps = 2;
  c.denoise = true;
  cases.push_back({"pc M=2 vp + denoise", c, noise_of(NoiseKind::vp, sigma_max)});
  cases.push_back({"pc M=2 ve + denoise", c, noise_of(NoiseKind::ve, sigma_max)});
  c = base;
  c.kind = SamplerKind::ode;
  c.solver = OdeSolver::heun;
  cases.push_back({"ode heun ve", c, noise_of(NoiseKind::ve, sigma_max)});
  c = base;
  c.kind = SamplerKind::ddpm;
  cases.push_back({"ddpm vp", c, noise_of(NoiseKind::vp, sigma_max)});
  return cases;
}

constexpr int kRing = 3;
constexpr uint32_t kFirst = 1000;  // particle j draws from RNG stream 1000 + j

struct Whole {
  std::vector<Points> after;  // positions after each step
  std::vector<Points> ring;   // the ring's frames at the end, oldest first
  std::vector<int> nfe;
};

Whole run_whole(GpuSampler& sampler, const Points& x0) {
  Whole w;
  sampler.set_particles(x0, kFirst);
  for (int k = 0; k < sampler.num_steps(); ++k) {
    w.nfe.push_back(sampler.step(k, true));
    w.after.push_back(sampler.particles());
  }
  for (long f = sampler.frames_recorded() - kRing; f < sampler.frames_recorded(); ++f)
    w.ring.push_back(sampler.trajectory_frame(f));
  return w;
}

// The same run in slices of at most `work` particle-steps per call, checking after every step (and
// between the slices of some) against the whole run. Returns the calls it took.
long check_sliced(GpuSampler& sampler, const Points& x0, const Whole& whole, long work) {
  sampler.set_particles(x0, kFirst);
  long calls = 0;
  for (int k = 0; k < sampler.num_steps(); ++k) {
    CAPTURE(k);
    CHECK(sampler.begin_step(k, true) == whole.nfe[size_t(k)]);
    int step_calls = 0;
    double progress = 0.0;
    while (!sampler.continue_step(work)) {
      ++step_calls;
      REQUIRE(step_calls < 100000);
      CHECK(sampler.step_in_progress());
      CHECK(sampler.step_progress() > progress);  // every call moves
      progress = sampler.step_progress();
      if (step_calls == 1) {
        // Between slices the sampler shows the last completed step, never a mix.
        CHECK(identical(sampler.particles(), k == 0 ? as_float(x0) : whole.after[size_t(k - 1)]));
        if (k >= kRing) CHECK_THROWS_AS(sampler.trajectory_frame(k - kRing), std::out_of_range);
      }
    }
    CHECK(!sampler.step_in_progress());
    CHECK(step_calls >= 2);  // the budget really cut the step (3+ calls)
    calls += step_calls + 1;
    REQUIRE(identical(sampler.particles(), whole.after[size_t(k)]));
  }
  CHECK(sampler.frames_recorded() == sampler.num_steps());
  for (int i = 0; i < kRing; ++i) {
    CAPTURE(i);
    CHECK(identical(sampler.trajectory_frame(sampler.frames_recorded() - kRing + i), whole.ring[size_t(i)]));
  }
  return calls;
}

void check_all_kinds(const GpuScore& score, int particles, double sigma_max, long work) {
  for (const Case& c : all_kinds(particles, sigma_max)) {
    CAPTURE(c.name);
    GpuSampler sampler(c.config, c.noise, score);
    sampler.set_trajectory_capacity(kRing);
    const Points x0 = initial_particles(c.config, c.noise);
    const Whole whole = run_whole(sampler, x0);
    const long calls = check_sliced(sampler, x0, whole, work);
    MESSAGE(c.name << ": " << sampler.num_steps() << " steps in " << calls << " calls");
  }
}

}  // namespace

TEST_CASE("sliced steps are bit-identical to whole steps: exact mixture score") {
  SCORELAB_REQUIRE_GPU();
  const GpuScore score(test_mixture());
  // 64 particles per slice boundary; 150 particle-steps a call cuts a pass of 1237 particles into
  // slices of 2-8 workgroups (a pass takes its share by weight) and a short tail.
  check_all_kinds(score, 1237, 5.0, 150);
}

TEST_CASE("sliced steps are bit-identical to whole steps: a score network, 8 and 3 particles per invocation") {
  SCORELAB_REQUIRE_GPU();
  const auto net = test::seeded_network({16, 12}, 5, 2.0);
  const GpuScore score(net);
  REQUIRE(score.batch() == 8);
  // Slices of 512 particles (64 invocations × 8): one per call at this budget, 4 per pass of 2003.
  check_all_kinds(score, 2003, 3.0, 1);
  // 3 particles per invocation: slices of 192; PC's group sums of 192 particles land in the same slots.
  const GpuScore score3(net, 3);
  for (const Case& c : all_kinds(1001, 3.0)) {
    if (c.config.kind != SamplerKind::pc) continue;
    CAPTURE(c.name);
    GpuSampler sampler(c.config, c.noise, score3);
    sampler.set_trajectory_capacity(kRing);
    const Points x0 = initial_particles(c.config, c.noise);
    check_sliced(sampler, x0, run_whole(sampler, x0), 300);
  }
}

TEST_CASE("a sampler abandons a step under way: begin_step again or set_particles start clean") {
  SCORELAB_REQUIRE_GPU();
  const GpuScore score(test_mixture());
  Case c = all_kinds(777, 5.0)[3];  // pc M=2
  GpuSampler sampler(c.config, c.noise, score);
  const Points x0 = initial_particles(c.config, c.noise);
  sampler.set_particles(x0);
  sampler.step(0);
  const Points after0 = sampler.particles();
  sampler.step(1);
  const Points after1 = sampler.particles();
  sampler.set_particles(after0);
  sampler.begin_step(1);
  CHECK(!sampler.continue_step(64));
  CHECK(!sampler.continue_step(64));
  sampler.abandon_step();  // the half-done step leaves no trace
  CHECK(!sampler.step_in_progress());
  CHECK(identical(sampler.particles(), after0));
  CHECK_THROWS_AS(sampler.continue_step(64), std::logic_error);
  sampler.begin_step(1);
  CHECK(!sampler.continue_step(64));
  sampler.begin_step(1);  // begun again: starts over
  while (!sampler.continue_step(200)) {
  }
  CHECK(identical(sampler.particles(), after1));
}

TEST_CASE("engine: slices show the last frame, a rewind abandons the step, a new score waits for the next step") {
  SCORELAB_REQUIRE_GPU();
  const MixtureScore score_a(test_mixture()), score_b(test_mixture(0.7));
  Case c = all_kinds(1500, 5.0)[3];  // pc M=2, vp
  c.config.steps = 8;
  const Points x0 = initial_particles(c.config, c.noise);
  const auto engine = [&] { return std::make_unique<GpuParticleEngine>(c.config, c.noise, score_a, x0); };
  const auto as_gpu = [](ParticleRun& run) { return dynamic_cast<GpuParticleEngine*>(run.engine()); };
  // Reference: whole steps, score B from step 4 on.
  ParticleRun whole;
  whole.start(engine(), c.config);
  for (int k = 0; k < 4; ++k) whole.advance(1);  // a frame per step, as the slices record
  REQUIRE(as_gpu(whole)->set_score(score_b));
  while (!whole.finished()) whole.advance(1);
  // Sliced: score B is handed over in the middle of step 3, so it applies from step 4 on.
  ParticleRun sliced;
  sliced.start(engine(), c.config);
  double fractions = 0.0;
  int slices = 0;
  while (!sliced.finished()) {
    const int step = sliced.step();
    const long generation = sliced.generation();
    const double done = sliced.advance_slice(100);
    CHECK(done > 0.0);
    fractions += done;
    ++slices;
    if (sliced.step() == step) {  // still under way: nothing visible changed
      CHECK(sliced.step_under_way());
      CHECK(sliced.generation() == generation);
      CHECK(identical(sliced.particles(), sliced.engine()->download(sliced.frames() - 1)));
      if (step == 3 && sliced.engine()->step_progress() > 0.5) REQUIRE(as_gpu(sliced)->set_score(score_b));
    }
  }
  CHECK(slices > 3 * sliced.num_steps());
  CHECK(fractions == doctest::Approx(sliced.num_steps()));  // the fractions add up to the steps
  CHECK(sliced.nfe() == whole.nfe());
  REQUIRE(sliced.frames() == whole.frames());
  for (int i = 0; i < whole.frames(); ++i) {
    CAPTURE(i);
    CHECK(sliced.step_of(i) == whole.step_of(i));
    CHECK(identical(sliced.engine()->download(i), whole.engine()->download(i)));
  }
  // The swap really changed the run: applied a step early, it differs.
  ParticleRun early;
  early.start(engine(), c.config);
  for (int k = 0; k < 3; ++k) early.advance(1);
  REQUIRE(as_gpu(early)->set_score(score_b));
  while (!early.finished()) early.advance(1);
  CHECK(!identical(early.particles(), whole.particles()));
  // A rewind in the middle of a step abandons it; the continuation is the same run (score A).
  ParticleRun plain, rewound;
  plain.start(engine(), c.config);
  for (int k = 0; k < 4; ++k) plain.advance(1);
  rewound.start(engine(), c.config);
  while (rewound.step() < 2) rewound.advance_slice(100);
  rewound.advance_slice(100);
  REQUIRE(rewound.step_under_way());
  rewound.rewind_to(1);
  CHECK(!rewound.step_under_way());
  CHECK(rewound.step() == 1);
  CHECK(rewound.frames() == 2);
  CHECK(identical(rewound.particles(), plain.engine()->download(1)));
  // advance() finishes a step under way (counted once), then whole steps, and records one frame.
  rewound.advance_slice(100);
  REQUIRE(rewound.step_under_way());
  CHECK(rewound.advance(2) == 2);
  CHECK(rewound.step() == 3);
  CHECK(rewound.frames() == 3);
  CHECK(rewound.nfe() == 3 * 3);  // M + 1 score evaluations per step
  CHECK(identical(rewound.particles(), plain.engine()->download(3)));
}

TEST_CASE("engine: the forward process in slices is bit-identical to whole steps") {
  SCORELAB_REQUIRE_GPU();
  SamplerConfig c;
  c.particles = 3001;
  c.seed = 3;
  const NoiseConfig noise = noise_of(NoiseKind::vp, 5.0);
  const Points data = initial_particles(c, noise) * 2.0;
  const Points x0 = forward_start(data, 3001, noise, c.seed);
  ParticleRun whole, sliced;
  whole.start(GpuParticleEngine::forward(c, noise, 12, x0), c);
  sliced.start(GpuParticleEngine::forward(c, noise, 12, x0), c);
  while (!whole.finished()) whole.advance(1);
  int calls = 0;
  while (!sliced.finished()) {
    sliced.advance_slice(700);
    ++calls;
  }
  CHECK(calls >= 4 * 12);  // 3001 particles, 704 or fewer a call
  REQUIRE(sliced.frames() == whole.frames());
  for (int i = 0; i < whole.frames(); ++i) CHECK(identical(sliced.engine()->download(i), whole.engine()->download(i)));
}

}  // namespace scorelab
