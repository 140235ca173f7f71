// Split view and objectives side by side at the Lab level (app/lab/lab_panes.hpp), no window, CPU path:
//   1. two panes started with the same settings produce bit-identical particles, step for step;
//   2. a different sampler in B leaves A's particles bit-identical to a single-pane run, while B
//      shows A's step (lockstep) and waits at its end when it has fewer steps;
//   3. B adopts A's network on every network change (once each), and not under another schedule;
//   4. objectives: each pane trains its own objective with A's seed and batch; A trains the first;
//   5. A's condition (class guidance) holds in every pane.
#include <doctest/doctest.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "app/lab/lab_panes.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {
namespace {

LoadedScene small_scene() {
  LoadedScene scene = load_scene_for_view(default_scene_path());  // 8gaussians, VP, predictor-corrector
  scene.scene.sampler.steps = 40;
  scene.scene.sampler.particles = 200;
  return scene;
}

void load_cpu(Lab& lab, const LoadedScene& scene) {
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;
  p.playing = false;  // the test sets the steps
  lab.set_particles(p);
  lab.load(scene);
  lab.stop_training();  // no worker thread: networks are given by the test
}

bool same_bits(const Points& x, const Points& y) {
  return x.rows() == y.rows() && x.cols() == y.cols() && x.cols() > 0 &&
         std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<size_t>(x.size())) == 0;
}

std::shared_ptr<const NetworkScore> some_network(const LoadedScene& scene, uint32_t seed) {
  ModelConfig model;
  model.hidden = {8, 8};
  auto net = std::make_shared<Mlp<float>>(model);
  net->init(seed);
  return trained_score(net, parse_train_config(scene.scene.train, scene.scene.noise.kind));
}

}  // namespace

TEST_CASE("two panes started with the same settings produce bit-identical particles") {
  const LoadedScene scene = small_scene();
  Lab a;
  load_cpu(a, scene);
  LabPanes panes;
  panes.open_split(a, scene, pane_settings_of(scene.scene, ScoreSource::exact));
  REQUIRE(panes.size() == 1);
  REQUIRE(panes.lab(0).sampler_error().empty());
  panes.update(a);
  CHECK(same_bits(a.run().particles(), panes.lab(0).run().particles()));  // the same start
  for (int steps : {1, 3, 7, 12}) {
    a.advance(steps);
    panes.update(a);
    CAPTURE(a.run().step());
    REQUIRE(panes.lab(0).run().step() == a.run().step());
    CHECK(same_bits(a.run().particles(), panes.lab(0).run().particles()));
  }
  CHECK(a.run().step() == 23);
}

TEST_CASE("a different sampler in B leaves A's particles bit-identical to a single-pane run") {
  const LoadedScene scene = small_scene();
  Lab alone, a;
  load_cpu(alone, scene);
  load_cpu(a, scene);
  LabPanes panes;
  PaneSettings b = pane_settings_of(scene.scene, ScoreSource::exact);
  b.sampler = SamplerKind::ode;
  b.steps = 25;  // fewer than A's 40: B waits at its end
  panes.open_split(a, scene, b);
  REQUIRE(panes.lab(0).sampler_error().empty());
  for (int k = 0; k < 8; ++k) {
    alone.advance(5);
    a.advance(5);
    panes.update(a);
    CAPTURE(a.run().step());
    CHECK(same_bits(a.run().particles(), alone.run().particles()));
    CHECK(panes.lab(0).run().step() == std::min(a.run().step(), 25));  // lockstep, then waiting at its end
  }
  CHECK(a.run().finished());
  CHECK(panes.lab(0).run().finished());
  // B really ran another sampler (the check above is not two copies of one run).
  CHECK(!same_bits(a.run().particles(), panes.lab(0).run().particles()));
  CHECK(panes.lab(0).run().config().kind == SamplerKind::ode);
  // A restarts: B starts over with it.
  a.restart();
  a.advance(4);
  panes.update(a);
  CHECK(panes.lab(0).run().step() == 4);
}

TEST_CASE("A's scrubber moves B to its frame at A's step, and B goes live again with A") {
  const LoadedScene scene = small_scene();
  Lab a;
  load_cpu(a, scene);
  LabPanes panes;
  PaneSettings b = pane_settings_of(scene.scene, ScoreSource::exact);
  b.sampler = SamplerKind::ode;
  panes.open_split(a, scene, b);
  for (int k = 0; k < 6; ++k) {
    a.advance(5);
    panes.update(a);
  }
  REQUIRE(a.run().step() == 30);
  REQUIRE(panes.lab(0).run().step() == 30);
  const Lab& pane = panes.lab(0);
  a.scrub_to(3);  // A's frame 3: step 15 (one frame per 5-step advance)
  panes.update(a);
  REQUIRE(a.scrub_frame() == 3);
  const int a_step = a.run().step_of(3);
  REQUIRE(pane.scrub_frame() >= 0);
  CHECK(pane.run().step_of(pane.scrub_frame()) == a_step);
  CHECK(same_bits(pane.shown_particles(), pane.run().engine()->download(pane.scrub_frame())));
  CHECK(!same_bits(pane.shown_particles(), pane.run().particles()));  // not the live step-30 cloud
  CHECK(pane.run().step() == 30);  // scrubbing steps nothing
  // Back to live in A: the pane is live again too.
  a.scrub_to(a.run().frames() - 1);
  panes.update(a);
  CHECK(a.scrub_frame() == -1);
  CHECK(pane.scrub_frame() == -1);
  CHECK(same_bits(pane.shown_particles(), pane.run().particles()));
}

TEST_CASE("a pane with more steps goes on at its own pace once A is at its end") {
  LoadedScene scene = small_scene();
  scene.scene.sampler.steps = 10;
  Lab a;
  load_cpu(a, scene);
  LabPanes panes;
  PaneSettings b = pane_settings_of(scene.scene, ScoreSource::exact);
  b.steps = 30;
  panes.open_split(a, scene, b);
  a.advance(10);
  REQUIRE(a.run().finished());
  for (int frame = 0; frame < 200 && !panes.lab(0).run().finished(); ++frame) panes.update(a);
  CHECK(panes.lab(0).run().finished());
  CHECK(a.run().step() == 10);  // A waited at its end
}

TEST_CASE("B adopts A's network on every network change, and not under another schedule") {
  const LoadedScene scene = small_scene();
  Lab a;
  load_cpu(a, scene);
  LabPanes panes;
  PaneSettings b = pane_settings_of(scene.scene, ScoreSource::learned);
  b.sampler = SamplerKind::ddpm;
  panes.open_split(a, scene, b);
  panes.update(a);
  CHECK(panes.lab(0).learned() == nullptr);
  CHECK(panes.lab(0).trainer() == nullptr);  // no second trainer
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    a.adopt_network(some_network(scene, seed), std::make_shared<const Snapshot>(Snapshot{seed, 0, 100 * seed, nullptr, 0, 0.0}));
    const uint64_t before = panes.lab(0).network_change();
    panes.update(a);
    panes.update(a);  // a second frame without a change delivers nothing
    CHECK(panes.lab(0).learned() == a.learned());
    CHECK(panes.lab(0).snapshot() == a.snapshot());
    CHECK(panes.lab(0).network_change() == before + 1);
    CHECK(panes.lab(0).sampler_target() == a.learned());
  }
  // Another schedule: A's network is not this pane's; it says so and follows the exact score.
  b.schedule = NoiseKind::subvp;
  panes.set_settings(a, 0, b);
  panes.update(a);
  CHECK(panes.lab(0).learned() == nullptr);
  CHECK(!panes.note(0).empty());
  CHECK(panes.lab(0).sampler_target() == panes.lab(0).exact());
}

TEST_CASE("objectives side by side: one trainer per objective, A's seed and batch, A trains the first") {
  const LoadedScene scene = small_scene();
  Lab a;
  ParticleSettings p = a.particles();
  p.backend = ParticleBackend::cpu;
  a.set_particles(p);
  a.load(scene);
  REQUIRE(a.trainer() != nullptr);
  const TrainConfig base = a.trainer()->train_config();
  LabPanes panes;
  CHECK(!panes.open_objectives(a, scene, {Objective::dsm}).empty());  // one is no comparison
  CHECK(!panes.is_open());
  const std::string problem =
      panes.open_objectives(a, scene, {Objective::continuous, Objective::dsm, Objective::ncsn, Objective::ssm_vr});
  REQUIRE(problem.empty());
  REQUIRE(panes.size() == 3);
  CHECK(panes.mode() == PaneMode::objectives);
  CHECK(a.trainer()->train_config().objective == Objective::continuous);
  const Objective expected[] = {Objective::dsm, Objective::ncsn, Objective::ssm_vr};
  for (int k = 0; k < 3; ++k) {
    REQUIRE(panes.lab(k).trainer() != nullptr);
    const TrainConfig c = panes.lab(k).trainer()->train_config();
    CHECK(c.objective == expected[k]);
    CHECK(c.seed == base.seed);
    CHECK(c.batch == base.batch);
    CHECK(panes.lab(k).trainer() != a.trainer());
  }
  // The panes' trainers run and pause with A's.
  a.trainer()->step(3);
  a.trainer()->wait();
  panes.update(a);
  a.trainer()->start();
  panes.update(a);
  for (int k = 0; k < 3; ++k) CHECK(panes.lab(k).trainer()->status().state == TrainerState::running);
  const auto trained = [&] {
    for (int k = 0; k < 3; ++k)
      if (panes.lab(k).trainer()->status().step == 0) return false;
    return true;
  };
  for (int wait = 0; wait < 500 && !trained(); ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  a.trainer()->pause();
  panes.update(a);
  for (int k = 0; k < 3; ++k) {
    CHECK(panes.lab(k).trainer()->status().state == TrainerState::paused);
    CHECK(panes.lab(k).trainer()->status().step > 0);  // it trained while A did
  }
  // A new learning rate and batch in A (the Training panel): each pane takes them, keeping its objective.
  TrainConfig changed = a.trainer()->train_config();
  changed.lr = 5e-4;
  changed.batch = 128;
  REQUIRE(a.reconfigure_training(changed));
  panes.update(a);
  for (int k = 0; k < 3; ++k) {
    const TrainConfig c = panes.lab(k).trainer()->train_config();
    CHECK(c.lr == 5e-4);
    CHECK(c.batch == 128);
    CHECK(c.objective == expected[k]);
    CHECK(panes.lab(k).trainer()->status().step == 0);  // reset with A
  }
  a.stop_training();
  panes.close();
}

TEST_CASE("A's condition holds in every pane: class guidance on both sides gives identical particles") {
  const LoadedScene scene = small_scene();
  Lab a;
  load_cpu(a, scene);
  LabPanes panes;
  panes.open_split(a, scene, pane_settings_of(scene.scene, ScoreSource::exact));
  ConditionSettings c;
  c.kind = ConditionKind::class_guidance;
  c.guidance.component = 2;
  c.guidance.weight = 3.0;
  a.set_condition(c);
  REQUIRE(a.condition_note().empty());
  panes.update(a);
  CHECK(same_condition(panes.lab(0).condition(), c));
  Lab lone;  // the same run without guidance differs: the condition really steers both panes
  load_cpu(lone, scene);
  for (int steps : {5, 10}) {
    a.advance(steps);
    lone.advance(steps);
    panes.update(a);
    REQUIRE(panes.lab(0).run().step() == a.run().step());
    CHECK(same_bits(a.run().particles(), panes.lab(0).run().particles()));
  }
  CHECK_FALSE(same_bits(a.run().particles(), lone.run().particles()));
}

}  // namespace scorelab
