// Issue 3's quality bar, with the presets' default training settings and fixed seeds:
// - NCSN mixture, multi-noise DSM: relative Fisher divergence ≤ 0.05 at every level, and annealed
//   Langevin with the learned score puts 0.8 ± 0.05 of the samples in the (5,5) mode;
// - 8gaussians, continuous VP: ODE NLL of held-out samples within 0.15 nats of the entropy 2.831.
#include <doctest/doctest.h>

#include <filesystem>

#include "core/likelihood.hpp"
#include "core/metrics.hpp"
#include "core/nn/score_network.hpp"
#include "core/samplers/sampler.hpp"
#include "core/scene.hpp"
#include "core/toy_data.hpp"
#include "core/training/training_run.hpp"

using namespace scorelab;

namespace {

std::filesystem::path scene_path(const char* name) {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "assets/scenes" / name;
}

// Trains with the scene's train/model sections (absent: the defaults) and returns the EMA network.
std::shared_ptr<const Mlp<float>> train_scene(const Scene& scene) {
  TrainConfig train = parse_train_config(scene.train, scene.noise.kind);
  ModelConfig model = parse_model_config(scene.model);
  TrainingRun run(training_points(scene.data), scene.noise, model, train, exact_score(scene.data));
  for (int i = 0; i < train.steps; ++i) {
    StepReport report = run.step();
    if (!report.ok()) FAIL("training stopped at step " << i << ": " << report.problem);
  }
  return std::make_shared<const Mlp<float>>(run.ema_net());
}

}  // namespace

TEST_SUITE("statistical") {

TEST_CASE("NCSN mixture, multi-noise DSM: Fisher divergence per level and the mode weights") {
  Scene scene = load_scene(scene_path("ncsn_annealed.json"));
  REQUIRE(parse_train_config(scene.train, scene.noise.kind).objective == Objective::ncsn);
  NetworkScore learned(train_scene(scene));
  GaussianMixture mix = *exact_mixture(scene.data);
  MixtureScore truth(mix);

  for (const NoiseLevel& level : discrete_levels(scene.noise)) {
    // Expectations over p_σ, from 4000 fresh draws of the noised mixture.
    Points x = mix.noised(level).sample(4000, 17);
    double fisher = relative_fisher(learned, truth, x, level);
    MESSAGE("σ = " << level.s << ": relative Fisher divergence " << fisher);
    CHECK(fisher <= 0.05);
  }

  // Annealed Langevin as in THEORY.md §7 with the learned score; binomial standard error at
  // n = 1280 is 0.011, so the ±0.05 band is 4.5 of them.
  SampleRun run = sample(scene.sampler, scene.noise, learned);
  double share = mode_weights(mix, run.x)[1];
  MESSAGE("annealed Langevin, learned score: share in the (5,5) mode " << share);
  CHECK(std::abs(share - 0.8) <= 0.05);
}

TEST_CASE("8gaussians, continuous-time DSM on the VP SDE: held-out ODE NLL near the entropy") {
  Scene scene = load_scene(scene_path("default.json"));
  REQUIRE(scene.noise.kind == NoiseKind::vp);
  REQUIRE(parse_train_config(scene.train, scene.noise.kind).objective == Objective::continuous);
  NetworkScore learned(train_scene(scene));
  // Held out: a seed the training set (data.seed) never used.
  Points held_out = fresh_samples(scene.data, 1000, scene.data.seed + 1000);
  LikelihoodConfig config;
  config.steps = 100;
  Scalars nll = -ode_log_likelihood(learned, scene.noise, held_out, config);
  double entropy = toy_entropy("8gaussians");
  MESSAGE("held-out NLL " << mean_nll(nll) << " ± " << standard_error(nll) << " (entropy " << entropy << ")");
  CHECK(nll.allFinite());
  CHECK(std::abs(mean_nll(nll) - entropy) <= 0.15);
}

}  // TEST_SUITE
