// The GUI's live sampler: stepping it frame by frame gives the CLI's run_sampler result exactly;
// rewinding to a recorded frame and continuing reproduces the run (up to the float storage of frames).
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "app/lab/particle_run.hpp"
#include "app/lab/score_handle.hpp"
#include "core/data_source.hpp"
#include "core/forward_process.hpp"

using namespace scorelab;

namespace {
struct Setup {
  SamplerConfig config;
  NoiseConfig noise;
  ScoreHandle handle;
  Setup() {
    DataConfig data;  // 8gaussians: an exact mixture score
    handle.set(std::shared_ptr<const ScoreFunction>(exact_score(data)));
    config.kind = SamplerKind::pc;
    config.steps = 40;
    config.particles = 200;
    config.seed = 7;
  }
};
}  // namespace

TEST_CASE("advancing a few steps per frame reproduces the whole run and counts NFE") {
  Setup s;
  ParticleRun run;
  run.restart(s.config, s.noise, s.handle);
  CHECK(run.frames() == 1);
  int frames = 0;
  while (!run.finished()) {
    run.advance(3);
    ++frames;
  }
  CHECK(frames == 14);  // ceil(40 / 3)
  CHECK(run.step() == 40);
  CHECK(run.advance(3) == 0);
  const SampleRun reference = sample(s.config, s.noise, s.handle);
  CHECK((run.particles() - reference.x).cwiseAbs().maxCoeff() == 0.0);
  CHECK(run.nfe() == reference.nfe);
  CHECK(run.frames() == 15);
  CHECK(run.level().t < run.level_at_step(0).t);  // the reverse process ends near t = 0
}

TEST_CASE("rewind_to continues from a recorded frame with the same noise") {
  Setup s;
  s.config.kind = SamplerKind::langevin;  // x ← x + ε·s + √(2ε)·z: contracting near the modes
  s.config.eps = 0.01;
  ParticleRun run;
  run.restart(s.config, s.noise, s.handle);
  while (!run.finished()) run.advance(4);
  const Points end = run.particles();
  run.rewind_to(3);  // step 12
  CHECK(run.step() == 12);
  CHECK(run.frames() == 4);
  while (!run.finished()) run.advance(4);
  // Frames are stored as floats (relative rounding 6e-8 on coordinates of size ~3): the
  // continuation differs by a few 1e-7 that the 28 remaining steps do not blow up beyond 1e-4.
  CHECK((run.particles() - end).cwiseAbs().maxCoeff() < 1e-4);
}

TEST_CASE("an invalid config throws and keeps the previous run") {
  Setup s;
  ParticleRun run;
  run.restart(s.config, s.noise, s.handle);
  run.advance(5);
  SamplerConfig bad = s.config;
  bad.particles = -3;
  CHECK_THROWS_AS(run.restart(bad, s.noise, s.handle), InputError);
  CHECK(run.step() == 5);
}

TEST_CASE("any engine runs through the same ParticleRun: the forward process on the CPU") {
  Setup s;
  ParticleRun run;
  auto reverse = make_sampler(s.config, s.noise, s.handle);
  const int n_steps = reverse->num_steps();
  Points data(2, 3);
  data << 0.0, 1.0, 2.0, 0.0, -1.0, 3.0;
  run.start(std::make_unique<CpuParticleEngine>(make_forward_process(s.config, s.noise, n_steps),
                                                forward_start(data, 50, s.noise, s.config.seed)),
            s.config);
  CHECK(run.count() == 50);
  CHECK(run.frames() == 1);
  while (!run.finished()) run.advance(7);
  CHECK(run.step() == n_steps);
  CHECK(run.nfe() == 0);                              // the forward process scores nothing
  CHECK(run.level().t > run.level_at_step(0).t);      // t rises: data → noise
  CHECK(run.step_of(run.frames() - 1) == n_steps);
  REQUIRE(run.cpu_history() != nullptr);
  CHECK(run.cpu_history()->size() == run.frames());
}

TEST_CASE("a restarted run's history reuses the frames' storage of the run it replaces") {
  Setup s;
  ParticleRun run;
  run.restart(s.config, s.noise, s.handle);
  for (int k = 0; k < 5; ++k) run.advance(2);
  REQUIRE(run.cpu_history() != nullptr);
  REQUIRE(run.frames() == 6);
  std::vector<const float*> blocks;
  for (int i = 0; i < run.frames(); ++i) blocks.push_back(run.cpu_history()->frame(i).data());
  run.restart(s.config, s.noise, s.handle);  // a new engine, as R makes
  const FrameHistory& h = *run.cpu_history();
  CHECK(h.size() == 1);
  CHECK(h.spare_frames() == 5);  // the old run's six blocks: one holds the new frame 0
  CHECK(std::find(blocks.begin(), blocks.end(), h.frame(0).data()) != blocks.end());
  CHECK(h.frame(0).cast<double>() == initial_particles(s.config, s.noise).cast<float>().cast<double>());
  run.advance(1);
  CHECK(std::find(blocks.begin(), blocks.end(), h.frame(1).data()) != blocks.end());
}
