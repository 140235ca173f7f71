// The lecture presets (assets/scenes/) show what their captions say: each phenomenon asserted on the
// numbers behind it, with the preset's own settings and seeds, on the CPU reference. Tolerances come
// from the sample sizes (a share of N particles has sd √(p(1−p)/N)).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/data_source.hpp"
#include "core/metrics.hpp"
#include "core/nn/score_network.hpp"
#include "core/rng.hpp"
#include "core/samplers/sampler.hpp"
#include "core/scene.hpp"
#include "core/training/train_config.hpp"
#include "core/training/training_run.hpp"

using namespace scorelab;

namespace {

Scene preset(const char* name) {
  return load_scene(std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "assets/scenes" / name);
}

// The end cloud of the preset's sampler with the exact score of its data.
Points exact_samples(const Scene& scene) {
  return sample(scene.sampler, scene.noise, *exact_score(scene.data)).x;
}

// The share of the particles whose most responsible component is the second one ((5, 5) in the
// NCSN mixture), and four standard deviations of a share p among n particles.
double second_mode_share(const Scene& scene, const Points& x) { return mode_weights(*exact_mixture(scene.data), x)[1]; }
double four_sd(double p, Eigen::Index n) { return 4.0 * std::sqrt(p * (1 - p) / double(n)); }

// Median over the samples of the distance to the nearest training point.
double median_nearest_distance(const Points& samples, const Points& train) {
  std::vector<double> d(size_t(samples.cols()));
  for (Eigen::Index i = 0; i < samples.cols(); ++i)
    d[size_t(i)] = std::sqrt((train.colwise() - samples.col(i)).colwise().squaredNorm().minCoeff());
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return d[d.size() / 2];
}

std::shared_ptr<NetworkScore> train_preset(const Scene& scene, int steps) {
  TrainConfig train = parse_train_config(scene.train, scene.noise.kind);
  train.steps = steps;
  TrainingRun run(training_points(scene.data), scene.noise, parse_model_config(scene.model), train,
                  exact_score(scene.data));
  for (int i = 0; i < steps; ++i) {
    const StepReport report = run.step();
    REQUIRE_MESSAGE(report.ok(), "training stopped at step " << i << ": " << report.problem);
  }
  return trained_score(std::make_shared<const Mlp<float>>(run.ema_net()), train);
}

}  // namespace

TEST_CASE("3: plain Langevin loses the 0.2/0.8 weights, annealing restores them") {
  const Scene pit = preset("ncsn_pitfall_langevin.json"), fix = preset("ncsn_annealed.json");
  const Points a = exact_samples(pit), b = exact_samples(fix);
  // Uniform start on a square symmetric about the diagonal between the modes: half fall each way.
  CHECK(std::abs(second_mode_share(pit, a) - 0.5) < four_sd(0.5, a.cols()));
  CHECK(std::abs(second_mode_share(fix, b) - 0.8) < four_sd(0.8, b.cols()));
}

TEST_CASE("6: sigma_max too small keeps the pitfall; too large wastes levels but ends right") {
  const Scene small = preset("noise_sigma_too_small.json"), large = preset("noise_sigma_too_large.json");
  const Points a = exact_samples(small), b = exact_samples(large);
  const double share_small = second_mode_share(small, a), share_large = second_mode_share(large, b);
  MESSAGE("share of the 0.8 mode: sigma_max 2 " << share_small << ", sigma_max 2000 " << share_large);
  // σ_max = 2 does not bridge modes 14 apart: the share stays near plain Langevin's 0.5.
  CHECK(share_small < 0.8 - 3 * four_sd(0.8, a.cols()));
  // σ_max = 2000 still gives the weights, but more than half of the levels (and of the steps) are
  // wider than the largest distance in the data (‖(5,5) − (−5,−5)‖ ≈ 14), where nothing is decided.
  CHECK(std::abs(share_large - 0.8) < four_sd(0.8, b.cols()));
  const std::vector<NoiseLevel> levels = discrete_levels(large.noise);
  const auto wide = std::count_if(levels.begin(), levels.end(), [](const NoiseLevel& l) { return l.s > 14.2; });
  CHECK(2 * wide > long(levels.size()));
}

TEST_CASE("4: slow mixing: particles started in one mode never reach the other") {
  const Scene scene = preset("slow_mixing.json");
  const Points x = exact_samples(scene);
  CHECK(second_mode_share(scene, x) == 0.0);  // the true share is 0.5
  CHECK(x.row(0).maxCoeff() < 0.0);           // not one particle past the midpoint
}

TEST_CASE("5: data on a curve: the clean score's error off the ring is large; with noise it falls" *
          doctest::test_suite("statistical")) {
  const Scene clean = preset("manifold_clean.json"), noised = preset("manifold_noised.json");
  REQUIRE(to_json(clean)["data"] == to_json(noised)["data"]);
  const auto exact = exact_score(clean.data);
  // Off the curve: the plane around the ring, where the clean data says nothing.
  Points x(2, 2000);
  for (Eigen::Index j = 0; j < x.cols(); ++j) x.col(j) = Vec2(uniform01(7, uint32_t(j), 0), uniform01(7, uint32_t(j), 1)) * 6.0 - Vec2(3, 3);
  const NoiseLevel zero = sigma_level(clean.noise, 0.0), point_two = sigma_level(noised.noise, 0.2);
  const double clean_error = relative_fisher(*train_preset(clean, 1500), *exact, x, zero);
  const double noised_error = relative_fisher(*train_preset(noised, 1500), *exact, x, point_two);
  MESSAGE("relative Fisher divergence over [-3, 3]^2: clean SSM-VR " << clean_error << ", DSM at sigma 0.2 " << noised_error);
  CHECK(noised_error < 0.5 * clean_error);
  CHECK(noised_error < 0.2);
}

TEST_CASE("8: the probability-flow ODE and the reverse SDE end in the same distribution" *
          doctest::test_suite("statistical")) {
  const Scene sde = preset("sde_vp.json"), ode = preset("ode_vs_sde.json");
  REQUIRE(to_json(sde)["data"] == to_json(ode)["data"]);
  const Points a = exact_samples(sde), b = exact_samples(ode);
  REQUIRE(a.cols() == b.cols());
  const GaussianMixture mix = *exact_mixture(sde.data);
  const TruthSampler truth = [&](int n, uint32_t seed) { return mix.sample(n, seed); };
  const std::vector<double> bw = default_bandwidths(a);
  const NoiseFloor floor = mmd2_noise_floor(truth, int(a.cols()), 40, bw, 5);
  CHECK(mmd2_unbiased(a, b, bw) < floor.bound);
  // The paths differ: the ODE is deterministic, so its particles are not the SDE's.
  CHECK((a - b).colwise().norm().mean() > 0.5);
}

TEST_CASE("10: five steps give finite samples for DDPM, EM and Heun; Heun lands closest") {
  double mmd[3];
  const char* names[3] = {"few_steps_ddpm.json", "few_steps_em.json", "few_steps_heun.json"};
  for (int i = 0; i < 3; ++i) {
    CAPTURE(names[i]);
    const Scene scene = preset(names[i]);
    CHECK(scene.sampler.steps == 5);
    const Points x = exact_samples(scene);
    REQUIRE(x.allFinite());
    const GaussianMixture mix = *exact_mixture(scene.data);
    const Points truth = mix.sample(int(x.cols()), 99);
    mmd[i] = mmd2_unbiased(x, truth, default_bandwidths(truth));
  }
  CHECK(mmd[2] < mmd[1]);  // second-order ODE beats first-order EM at the same step count
}

TEST_CASE("12: the ideal score reproduces its 30 training points; a trained network does not" *
          doctest::test_suite("statistical")) {
  const Scene ideal = preset("memorisation_ideal.json"), network = preset("memorisation_network.json");
  const Points train = training_points(ideal.data);
  REQUIRE(train.cols() == 30);
  // The data's scale: the RMS distance of the points from their mean.
  const double scale = std::sqrt((train.colwise() - train.rowwise().mean()).colwise().squaredNorm().mean());
  const double d_ideal = median_nearest_distance(exact_samples(ideal), train);
  CHECK(d_ideal < 0.05 * scale);

  const auto learned = train_preset(network, 1500);
  const double d_network = median_nearest_distance(sample(network.sampler, network.noise, *learned).x, train);
  MESSAGE("median distance to the nearest training point: ideal " << d_ideal << ", network " << d_network
                                                                  << " (data scale " << scale << ")");
  CHECK(d_network > 0.05 * scale);
  CHECK(d_network > 3 * d_ideal);
}

TEST_CASE("14: an energy network's field has no curl; a free network's has") {
  const Scene energy = preset("energy_score.json"), free = preset("free_score.json");
  REQUIRE(parse_model_config(energy.model).energy);
  REQUIRE(!parse_model_config(free.model).energy);
  // At initialisation already (what the lecture shows before training): the parametrisation, not
  // the data, makes the difference.
  const Points x = exact_mixture(energy.data)->sample(500, 3);
  const NoiseLevel level = Sde(energy.noise).level(0.3);
  double curl[2], magnitude[2];
  for (int i = 0; i < 2; ++i) {
    const Scene& scene = i == 0 ? energy : free;
    const auto net = train_preset(scene, 50);
    Points s;
    net->score(x, level, s);
    magnitude[i] = s.colwise().norm().mean();
    curl[i] = score_curl(*net, x, level, 1e-2).cwiseAbs().mean();
  }
  MESSAGE("mean |curl|: energy " << curl[0] << ", free " << curl[1] << "; mean |s|: " << magnitude[0] << ", "
                                 << magnitude[1]);
  CHECK(curl[0] < 1e-3 * magnitude[0]);  // zero up to the central difference's own error
  CHECK(curl[1] > 100 * curl[0]);
}
