// The live trainer: snapshots stay consistent under concurrent reads, the controls (start, pause,
// resume, single steps, reset, reconfigure) do what they say, training is reproducible, and
// divergence is caught with the last good snapshot kept. Test names start with "trainer:" so the
// ThreadSanitizer run can select them (tests/CMakeLists.txt, SCORELAB_TSAN).
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <thread>

#include "core/mixture.hpp"
#include "core/training/trainer.hpp"

using namespace scorelab;
using namespace std::chrono_literals;

namespace {

GaussianMixture ncsn_mixture() {
  return GaussianMixture({{0.2, Vec2(-5, -5), Mat2::Identity()}, {0.8, Vec2(5, 5), Mat2::Identity()}});
}

NoiseConfig ncsn_noise() {
  NoiseConfig n;
  n.kind = NoiseKind::geometric;
  n.sigma_max = 20;
  n.sigma_min = 1;
  return n;
}

ModelConfig small_model() {
  ModelConfig m;
  m.hidden = {16, 16};
  return m;
}

TrainConfig quick_train(int steps) {
  TrainConfig t = default_train_config(NoiseKind::geometric);
  t.batch = 64;
  t.steps = steps;
  t.seed = 5;
  return t;
}

std::unique_ptr<Trainer> make_trainer(int steps) {
  return std::make_unique<Trainer>(ncsn_mixture().sample(2000, 1), ncsn_noise(), small_model(), quick_train(steps));
}

// A snapshot is internally consistent: its weights are finite and hash to the recorded checksum.
bool consistent(const Snapshot& s) {
  return s.net && s.net->params().allFinite() && weights_checksum(*s.net) == s.checksum;
}

}  // namespace

TEST_CASE("trainer: snapshots are consistent and versions monotonic under concurrent reads") {
  auto trainer = make_trainer(1500);
  std::atomic<bool> done{false};
  std::atomic<int> seen{0}, bad{0};
  auto reader = [&] {
    uint64_t last_version = 0;
    int64_t last_step = -1;
    uint64_t last_generation = 0;
    while (!done.load()) {
      auto snap = trainer->snapshot();
      if (!consistent(*snap)) ++bad;
      if (snap->version < last_version) ++bad;
      if (snap->generation == last_generation && snap->step < last_step) ++bad;
      if (snap->version != last_version) ++seen;
      last_version = snap->version;
      last_step = snap->step;
      last_generation = snap->generation;
      (void)trainer->status();
      (void)trainer->loss_history(last_step - 5);
    }
  };
  std::thread r1(reader), r2(reader);
  trainer->start();
  std::this_thread::sleep_for(50ms);
  trainer->reset();  // a reset while readers hammer: versions keep increasing, steps restart
  trainer->start();
  CHECK(trainer->wait(60s));
  done = true;
  r1.join();
  r2.join();
  CHECK(bad.load() == 0);
  CHECK(seen.load() > 2);
  auto final_snap = trainer->snapshot();
  CHECK(final_snap->step == 1500);
  CHECK(trainer->status().state == TrainerState::finished);
}

TEST_CASE("trainer: single steps, pause and resume") {
  auto trainer = make_trainer(100000);
  CHECK(trainer->status().state == TrainerState::idle);
  CHECK(trainer->snapshot()->step == 0);
  trainer->step(5);
  REQUIRE(trainer->wait(30s));
  CHECK(trainer->status().step == 5);
  CHECK(trainer->status().state == TrainerState::paused);
  CHECK(trainer->snapshot()->step == 5);  // published when the steps ran out
  trainer->step(3);
  REQUIRE(trainer->wait(30s));
  CHECK(trainer->status().step == 8);

  trainer->start();
  while (trainer->status().step < 30) std::this_thread::sleep_for(1ms);
  trainer->pause();
  const int64_t paused_at = trainer->status().step;
  CHECK(trainer->status().state == TrainerState::paused);
  std::this_thread::sleep_for(50ms);
  CHECK(trainer->status().step == paused_at);  // pause() returned after the step in flight
  CHECK(trainer->snapshot()->step == paused_at);
  CHECK(trainer->loss_history().back().step == paused_at);
  trainer->resume();
  while (trainer->status().step < paused_at + 10) std::this_thread::sleep_for(1ms);
  trainer->pause();
  CHECK(trainer->status().step >= paused_at + 10);
}

TEST_CASE("trainer: reset restores the seed's initial weights; training is reproducible") {
  auto a = make_trainer(100000);
  auto b = make_trainer(100000);
  const uint64_t initial = a->snapshot()->checksum;
  CHECK(b->snapshot()->checksum == initial);  // same seed, same initial weights
  a->step(40);
  b->step(40);
  REQUIRE(a->wait(30s));
  REQUIRE(b->wait(30s));
  CHECK(a->snapshot()->checksum == b->snapshot()->checksum);  // same draws, same arithmetic
  CHECK(a->snapshot()->checksum != initial);
  const auto history = a->loss_history();
  REQUIRE(history.size() == 40);
  CHECK(history.front().step == 1);
  CHECK(a->loss_history(30).size() == 10);

  const uint64_t generation = a->status().generation;
  a->start();
  a->reset();
  const TrainerStatus s = a->status();
  CHECK(s.state == TrainerState::idle);
  CHECK(s.step == 0);
  CHECK(s.generation == generation + 1);
  CHECK(a->loss_history().empty());
  CHECK(a->snapshot()->step == 0);
  CHECK(a->snapshot()->checksum == initial);
  std::this_thread::sleep_for(20ms);
  CHECK(a->status().step == 0);  // reset stops training
}

TEST_CASE("trainer: one or two threads per step give bit-identical training") {
  const Points data = ncsn_mixture().sample(2000, 1);
  for (Objective o : {Objective::ncsn, Objective::ssm}) {
    TrainConfig t = quick_train(100);
    t.objective = o;
    t.batch = 101;  // odd: unequal parts
    TrainingRun one(data, ncsn_noise(), small_model(), t), two(data, ncsn_noise(), small_model(), t);
    one.set_threads(1);
    two.set_threads(2);
    REQUIRE(two.threads() == 2);
    for (int i = 0; i < 20; ++i) CHECK(one.step().loss == two.step().loss);
    CHECK(one.net().params() == two.net().params());
    CHECK(one.ema_params() == two.ema_params());
  }
}

TEST_CASE("trainer: finishes at the configured step count") {
  auto trainer = make_trainer(25);
  trainer->start();
  REQUIRE(trainer->wait(30s));
  CHECK(trainer->status().state == TrainerState::finished);
  CHECK(trainer->status().step == 25);
  CHECK(trainer->snapshot()->step == 25);
  trainer->start();  // no-op once finished
  trainer->step(3);
  REQUIRE(trainer->wait(30s));
  CHECK(trainer->status().step == 25);
}

TEST_CASE("trainer: a NaN in the weights stops training, keeps the last good snapshot, says why") {
  auto trainer = make_trainer(100000);
  trainer->set_step_hook([](int64_t step, Mlp<float>& net) {
    if (step == 23) net.params()[7] = std::numeric_limits<float>::quiet_NaN();
  });
  trainer->start();
  REQUIRE(trainer->wait(30s));
  const TrainerStatus s = trainer->status();
  CHECK(s.state == TrainerState::diverged);
  CHECK(s.step == 23);  // step 24 computed a NaN loss and was not taken
  CHECK(s.message.find("at step 23") != std::string::npos);
  CHECK(s.message.find("nan") != std::string::npos);
  auto snap = trainer->snapshot();
  CHECK(consistent(*snap));
  CHECK(snap->step == 23);
  trainer->start();  // diverged: needs a reset
  std::this_thread::sleep_for(20ms);
  CHECK(trainer->status().state == TrainerState::diverged);
  trainer->reset();
  trainer->set_step_hook(nullptr);
  trainer->step(2);
  REQUIRE(trainer->wait(30s));
  CHECK(trainer->status().state == TrainerState::paused);
  CHECK(trainer->status().step == 2);
}

TEST_CASE("trainer: exploding weights or loss are caught") {
  auto trainer = make_trainer(100000);
  trainer->set_step_hook([](int64_t step, Mlp<float>& net) {
    if (step == 15) net.params() *= 1e3f;  // finite, but the loss and the weights blow up
  });
  trainer->start();
  REQUIRE(trainer->wait(30s));
  const TrainerStatus s = trainer->status();
  CHECK(s.state == TrainerState::diverged);
  CHECK(s.step == 15);
  CHECK((s.message.find("exploded") != std::string::npos || s.message.find("not finite") != std::string::npos));
  CHECK(consistent(*trainer->snapshot()));
  CHECK(trainer->snapshot()->net->params().cwiseAbs().maxCoeff() < 100);  // the EMA of good weights
}

TEST_CASE("trainer: the largest allowed learning rate (Adam, no clipping) never publishes bad weights") {
  TrainConfig t = quick_train(400);
  t.lr = 1.0;
  t.clip = 0;
  Trainer trainer(ncsn_mixture().sample(2000, 1), ncsn_noise(), small_model(), t);
  trainer.start();
  REQUIRE(trainer.wait(60s));
  const TrainerStatus s = trainer.status();
  CHECK((s.state == TrainerState::diverged || s.state == TrainerState::finished));
  if (s.state == TrainerState::diverged) CHECK(!s.message.empty());
  CHECK(consistent(*trainer.snapshot()));
}

TEST_CASE("trainer: reconfigure validates first, then restarts with the new settings") {
  auto trainer = make_trainer(100000);
  trainer->step(5);
  REQUIRE(trainer->wait(30s));
  const uint64_t generation = trainer->status().generation;
  TrainConfig bad = quick_train(100);
  bad.lr = 5;
  CHECK_THROWS_WITH_AS(trainer->reconfigure(ncsn_mixture().sample(100, 2), ncsn_noise(), small_model(), bad),
                       "scene.train.lr: must be in (0, 1] (got 5)", InputError);
  CHECK(trainer->status().generation == generation);
  CHECK(trainer->status().step == 5);

  trainer->start();
  ModelConfig wider = small_model();
  wider.hidden = {24};
  trainer->reconfigure(ncsn_mixture().sample(500, 3), ncsn_noise(), wider, quick_train(50));
  CHECK(trainer->status().generation == generation + 1);
  CHECK(trainer->model_config().hidden == std::vector<int>{24});
  REQUIRE(trainer->wait(30s));  // kept running: finishes the new 50 steps
  CHECK(trainer->status().state == TrainerState::finished);
  CHECK(trainer->snapshot()->step == 50);
  CHECK(trainer->snapshot()->net->config().hidden == std::vector<int>{24});
}

TEST_CASE("trainer: load_weights continues from saved weights at their step") {
  auto source = make_trainer(100000);
  source->step(40);
  REQUIRE(source->wait(30s));
  const auto saved = source->snapshot();
  REQUIRE(saved->step == 40);

  // Another seed: its own initial weights differ from the saved ones.
  TrainConfig other = quick_train(100);
  other.seed = 99;
  Trainer trainer(ncsn_mixture().sample(2000, 1), ncsn_noise(), small_model(), other);
  trainer.start();  // loading while running stops training at the loaded weights
  const uint64_t generation = trainer.status().generation;
  REQUIRE(trainer.snapshot()->checksum != saved->checksum);
  trainer.load_weights(*saved->net, saved->step);
  CHECK(trainer.status().state == TrainerState::idle);
  CHECK(trainer.status().step == 40);
  CHECK(trainer.status().generation == generation + 1);
  CHECK(trainer.loss_history().empty());
  auto snap = trainer.snapshot();
  CHECK(consistent(*snap));
  CHECK(snap->step == 40);
  CHECK(snap->checksum == saved->checksum);  // the published weights are exactly the loaded ones

  // Past the first kReferenceSteps: the divergence check measures from the loaded step, so healthy
  // steps continue (a reference of 0 would call the first loss after step 10 an explosion).
  trainer.step(20);
  REQUIRE(trainer.wait(30s));
  CHECK(trainer.status().state == TrainerState::paused);
  CHECK(trainer.status().message.empty());
  CHECK(trainer.status().step == 60);
  CHECK(trainer.snapshot()->step == 60);
  CHECK(trainer.snapshot()->checksum != saved->checksum);
  CHECK(trainer.loss_history().front().step == 41);
  trainer.start();  // runs to the config's 100 steps
  REQUIRE(trainer.wait(30s));
  CHECK(trainer.status().state == TrainerState::finished);
  CHECK(trainer.status().step == 100);
}

TEST_CASE("trainer: load_weights refuses another architecture and changes nothing") {
  auto trainer = make_trainer(100000);
  trainer->step(3);
  REQUIRE(trainer->wait(30s));
  const auto before = trainer->snapshot();
  ModelConfig wider = small_model();
  wider.hidden = {24, 16};
  Mlp<float> other(wider);
  other.init(1);
  CHECK_THROWS_AS(trainer->load_weights(other, 10), InputError);
  CHECK(trainer->status().step == 3);
  CHECK(trainer->snapshot()->version == before->version);
  Mlp<float> bad = *before->net;
  bad.params()[0] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_AS(trainer->load_weights(bad, 10), InputError);
  CHECK(trainer->snapshot()->version == before->version);
}
