// Objectives of THEORY.md §2: parameter gradients against central differences for every objective
// (double), reproducibility of the random draws, and the equivalences that make them score
// matching (ISM, SSM, SSM-VR and DSM have the gradient of ESM in expectation).
#include <doctest/doctest.h>

#include <cmath>
#include <optional>

#include "core/mixture.hpp"
#include "core/nn/score_network.hpp"
#include "core/rng.hpp"
#include "core/training/objectives.hpp"
#include "core/training/training_run.hpp"

using namespace scorelab;

namespace {

GaussianMixture ncsn_mixture() {
  return GaussianMixture({{0.2, Vec2(-5, -5), Mat2::Identity()}, {0.8, Vec2(5, 5), Mat2::Identity()}});
}

NoiseConfig noise(NoiseKind kind) {
  NoiseConfig c;
  c.kind = kind;
  if (kind == NoiseKind::geometric || kind == NoiseKind::edm) {
    c.sigma_min = 0.5;
    c.sigma_max = 10;
    c.levels = 5;
  } else if (kind == NoiseKind::ve) {
    c.sigma_min = 0.05;
    c.sigma_max = 10;
  }
  return c;
}

Mlp<double> small_net(bool energy, uint32_t seed, Activation act = Activation::silu) {
  ModelConfig m;
  m.hidden = {8, 8};
  m.energy = energy;
  m.activation = act;
  m.fourier = energy ? 2 : 0;
  Mlp<double> net(m);
  net.init(seed);
  net.set_data_rms(3.0);  // c_in ≠ 1, varying with the level: the tangents must carry it
  RngStream rng(seed, 7);  // non-zero biases so that bias gradients are exercised
  for (int l = 0; l < net.layers(); ++l)
    for (Eigen::Index i = 0; i < net.bias(l).size(); ++i) net.bias(l)[i] = 0.2 * rng.normal();
  return net;
}

struct Case {
  Objective objective;
  NoiseKind kind;
  Weighting weighting = Weighting::s2;
  Projection projection = Projection::gaussian;
  int projections = 1;
  std::optional<double> sigma = std::nullopt;  // single-level objectives: train.sigma
};

ObjectiveConfig make_config(const Case& c) {
  ObjectiveConfig oc;
  oc.objective = c.objective;
  oc.noise = noise(c.kind);
  oc.weighting = c.weighting;
  oc.projection = c.projection;
  oc.projections = c.projections;
  oc.sigma = c.sigma;
  oc.true_score = std::make_shared<MixtureScore>(ncsn_mixture());
  return oc;
}

// Every parameter's analytic gradient against a central difference of the loss (draws fixed by
// (seed, step), so the loss is a deterministic smooth function of θ).
void check_gradient(const Case& c, bool energy) {
  ObjectiveConfig oc = make_config(c);
  Mlp<double> net = small_net(energy, 3);
  Points x0 = ncsn_mixture().sample(6, 17) * 0.5;  // (±2.5): inside the nets' responsive range
  Mlp<double>::Vector grad;
  const double loss = loss_and_grad(oc, net, x0, 42, 9, &grad);
  REQUIRE(std::isfinite(loss));
  const double gmax = grad.cwiseAbs().maxCoeff();
  REQUIRE(gmax > 0);
  // Central differences, h = 1e-5·max(1, |θ_p|): truncation h²/6·|f'''| and rounding ε|L|/h.
  // Tolerance per parameter: 1e-6 relative to the largest gradient entry (the scale at which
  // third derivatives live) plus 100 ε|L|/h of rounding.
  int bad = 0;
  for (Eigen::Index p = 0; p < net.param_count(); ++p) {
    const double h = 1e-5;
    Mlp<double> plus = net, minus = net;
    plus.params()[p] += h;
    minus.params()[p] -= h;
    const double fd = (loss_and_grad<double>(oc, plus, x0, 42, 9, nullptr) -
                       loss_and_grad<double>(oc, minus, x0, 42, 9, nullptr)) / (2 * h);
    const double tol = 1e-6 * gmax + 100 * 2.2e-16 * std::abs(loss) / h;
    if (std::abs(grad[p] - fd) > tol && ++bad <= 3) MESSAGE("param " << p << ": " << grad[p] << " vs fd " << fd);
  }
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("every objective's parameter gradient matches central differences") {
  const Case cases[] = {
      {Objective::esm, NoiseKind::geometric},
      {Objective::esm, NoiseKind::vp},
      {Objective::ism, NoiseKind::geometric},
      {Objective::ism, NoiseKind::subvp},
      {Objective::ssm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1},
      {Objective::ssm, NoiseKind::geometric, Weighting::s2, Projection::rademacher, 3},
      {Objective::ssm_vr, NoiseKind::vp, Weighting::s2, Projection::gaussian, 2},
      {Objective::ssm_vr, NoiseKind::geometric, Weighting::s2, Projection::rademacher, 1},
      {Objective::dsm, NoiseKind::geometric},
      {Objective::dsm, NoiseKind::ve},
      // train.sigma: the clean data (σ = 0, output scale 1) and a level off the schedule's grid.
      {Objective::esm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1, 0.0},
      {Objective::ism, NoiseKind::vp, Weighting::s2, Projection::gaussian, 1, 0.0},
      {Objective::ssm_vr, NoiseKind::geometric, Weighting::s2, Projection::rademacher, 1, 0.0},
      {Objective::ssm, NoiseKind::ve, Weighting::s2, Projection::gaussian, 2, 0.7},
      {Objective::dsm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1, 0.7},
      {Objective::ncsn, NoiseKind::geometric},
      {Objective::ncsn, NoiseKind::edm},
      {Objective::ncsn, NoiseKind::vp},
      {Objective::continuous, NoiseKind::ve, Weighting::s2},
      {Objective::continuous, NoiseKind::ve, Weighting::g2},
      {Objective::continuous, NoiseKind::vp, Weighting::s2},
      {Objective::continuous, NoiseKind::vp, Weighting::g2},
      {Objective::continuous, NoiseKind::subvp, Weighting::s2},
      {Objective::continuous, NoiseKind::subvp, Weighting::g2},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(to_string(c.objective)));
    CAPTURE(std::string(to_string(c.kind)));
    CAPTURE(c.sigma.value_or(-1.0));
    check_gradient(c, false);
    const bool energy_ok = c.objective != Objective::ism && c.objective != Objective::ssm &&
                           c.objective != Objective::ssm_vr;
    if (energy_ok) check_gradient(c, true);
  }
}

TEST_CASE("a step's draws are a pure function of (seed, step): same inputs, same loss and gradient") {
  ObjectiveConfig oc = make_config({Objective::ssm, NoiseKind::geometric});
  Mlp<double> net = small_net(false, 4);
  Points x0 = ncsn_mixture().sample(64, 3);
  Mlp<double>::Vector g1, g2, g3;
  double a = loss_and_grad(oc, net, x0, 7, 100, &g1);
  double b = loss_and_grad(oc, net, x0, 7, 100, &g2);
  double c = loss_and_grad(oc, net, x0, 7, 101, &g3);
  CHECK(a == b);
  CHECK(g1 == g2);
  CHECK(a != c);
}

TEST_CASE("ISM, SSM, SSM-VR and DSM have ESM's gradient in expectation (they match the score)" * doctest::test_suite("statistical")) {
  // ESM(θ) = E½‖s_θ − ∇log p_σ‖² differs from ISM, SSM (E[vvᵀ] = I), SSM-VR and DSM at the same σ by
  // a constant in θ, so their gradients agree in expectation: D = ∇obj − ∇esm on the same draws
  // (same x = x0 + σz) is zero-mean noise for a correct objective. Over M independent replicates,
  // T = ‖D̄‖² / (tr Ĉ / M) (Ĉ the sample covariance of the D_m) is ≈ 1 on average; in the worst case
  // (noise in one direction) T ~ F(1, M − 1), whose 99.9% quantile for M = 16 is 16.6. A 10% error in
  // one term of ISM gives T ≈ 60 here (measured by mutating the code), so the test has power.
  const GaussianMixture mix = ncsn_mixture();
  const int reps = 16, n = 10000;
  std::vector<Points> x0;
  for (int m = 0; m < reps; ++m) x0.push_back(mix.sample(n, 1000 + m));
  const Case cases[] = {{Objective::ism, NoiseKind::geometric},
                        {Objective::ssm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1},
                        {Objective::ssm, NoiseKind::geometric, Weighting::s2, Projection::rademacher, 2},
                        {Objective::ssm_vr, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1},
                        {Objective::ssm_vr, NoiseKind::geometric, Weighting::s2, Projection::rademacher, 1},
                        {Objective::dsm, NoiseKind::geometric}};
  for (bool energy : {false, true}) {
    Mlp<double> net = small_net(energy, 5);
    ObjectiveConfig esm = make_config({Objective::esm, NoiseKind::geometric});
    std::vector<Mlp<double>::Vector> e(reps);
    for (int m = 0; m < reps; ++m) loss_and_grad(esm, net, x0[m], 1 + m, 0, &e[m]);
    for (const Case& c : cases) {
      if (energy && c.objective != Objective::dsm) continue;  // energy nets: esm, dsm, ncsn, continuous
      CAPTURE(std::string(to_string(c.objective)));
      CAPTURE(std::string(to_string(c.projection)));
      CAPTURE(energy);
      ObjectiveConfig oc = make_config(c);
      std::vector<Mlp<double>::Vector> d(reps);
      Mlp<double>::Vector mean = Mlp<double>::Vector::Zero(net.param_count()), g;
      for (int m = 0; m < reps; ++m) {
        loss_and_grad(oc, net, x0[m], 1 + m, 0, &g);
        d[m] = g - e[m];
        mean += d[m] / reps;
      }
      double trace = 0;
      for (int m = 0; m < reps; ++m) trace += (d[m] - mean).squaredNorm() / (reps - 1);
      const double t_stat = mean.squaredNorm() / (trace / reps);
      CHECK(t_stat < 16.6);
    }
  }
}

TEST_CASE("objective names round-trip; bad combinations are refused with one line") {
  for (Objective o : {Objective::esm, Objective::ism, Objective::ssm, Objective::ssm_vr, Objective::dsm,
                      Objective::ncsn, Objective::continuous})
    CHECK(parse_objective(to_string(o)) == o);
  CHECK_THROWS_WITH_AS(parse_objective("sm"),
                       "unknown objective 'sm' (expected esm, ism, ssm, ssm_vr, dsm, ncsn or continuous)", InputError);
  ObjectiveConfig oc;
  oc.objective = Objective::esm;
  CHECK_THROWS_AS(check_objective(oc, ModelConfig{}), InputError);
  oc.objective = Objective::ism;
  ModelConfig energy;
  energy.energy = true;
  CHECK_THROWS_AS(check_objective(oc, energy), InputError);
  CHECK_NOTHROW(check_objective(oc, ModelConfig{}));
}

namespace {

// 8gaussians as in FFJORD's toy_data.py: means 4/1.414·(cos kπ/4, sin kπ/4), cov (0.5/1.414)² I.
GaussianMixture eight_gaussians() {
  std::vector<GaussianComponent> c;
  const double r = 4.0 / 1.414, sd = 0.5 / 1.414;
  for (int k = 0; k < 8; ++k) {
    const double a = k * 3.14159265358979323846 / 4;
    c.push_back({1.0, Vec2(r * std::cos(a), r * std::sin(a)), sd * sd * Mat2::Identity()});
  }
  return GaussianMixture(c);
}

// Mean relative Fisher divergence Σ‖s_θ − s‖²/Σ‖s‖² of the network against the exact score, over
// the levels the objective trains.
double relative_fisher(const Mlp<float>& net, const GaussianMixture& mix, const std::vector<NoiseLevel>& levels) {
  NetworkScore model(std::make_shared<const Mlp<float>>(net));
  MixtureScore truth(mix);
  double total = 0;
  for (size_t k = 0; k < levels.size(); ++k) {
    Points x = mix.noised(levels[k]).sample(2000, 500 + uint32_t(k)), s, s_true;
    model.score(x, levels[k], s);
    truth.score(x, levels[k], s_true);
    total += (s - s_true).squaredNorm() / s_true.squaredNorm() / double(levels.size());
  }
  return total;
}

std::vector<NoiseLevel> trained_levels(Objective o, const NoiseConfig& noise) {
  if (o == Objective::ncsn) return discrete_levels(noise);
  if (o == Objective::continuous) {
    Sde sde(noise);
    return {sde.level(0.1), sde.level(0.4), sde.level(0.7), sde.level(1.0)};
  }
  return {discrete_levels(noise).back()};
}

void check_decreases(const GaussianMixture& mix, const NoiseConfig& geometric, Objective o, Projection proj) {
  TrainConfig tc;
  tc.objective = o;
  tc.projection = proj;
  tc.batch = 128;
  tc.lr = 3e-3;
  tc.steps = 300;
  tc.seed = 11;
  ModelConfig model;
  model.hidden = {32, 32};
  NoiseConfig noise = geometric;
  if (o == Objective::continuous) noise = NoiseConfig{};  // VP
  auto truth = std::make_shared<MixtureScore>(mix);
  TrainingRun run(mix.sample(4000, 21), noise, model, tc, truth);
  const ObjectiveConfig oc = objective_config(tc, noise, truth);
  const Points eval = mix.sample(4096, 22);
  // The same fixed draws (seed 999, step 0) before and after: a deterministic comparison.
  const double loss0 = loss_and_grad<float>(oc, run.net(), eval, 999, 0, nullptr);
  const double fisher0 = relative_fisher(run.net(), mix, trained_levels(o, noise));
  std::string problem;
  for (int i = 0; i < tc.steps && problem.empty(); ++i) problem = run.step().problem;
  REQUIRE(problem == "");
  const double loss1 = loss_and_grad<float>(oc, run.net(), eval, 999, 0, nullptr);
  const double fisher1 = relative_fisher(run.ema_net(), mix, trained_levels(o, noise));
  CHECK(loss1 < loss0);
  // Learning the score, not just lowering a number: the Fisher divergence to the exact score at the
  // trained levels at least halves (an untrained net sits near 1 or above).
  CHECK(fisher1 < 0.5 * fisher0);
}

}  // namespace

TEST_CASE("every objective decreases and learns the score on the NCSN mixture and on 8gaussians" * doctest::test_suite("statistical")) {
  NoiseConfig ncsn_noise;
  ncsn_noise.kind = NoiseKind::geometric;
  ncsn_noise.sigma_max = 20;
  ncsn_noise.sigma_min = 1;
  NoiseConfig eight_noise = ncsn_noise;
  eight_noise.sigma_max = 6;
  eight_noise.sigma_min = 0.2;
  const std::pair<GaussianMixture, NoiseConfig> sets[] = {{ncsn_mixture(), ncsn_noise}, {eight_gaussians(), eight_noise}};
  for (const auto& set : sets) {
    // Named, not a structured binding: clang 14 (the sanitizer tree) cannot capture one in CAPTURE's lambda.
    const GaussianMixture& mix = set.first;
    const NoiseConfig& noise = set.second;
    for (Objective o : {Objective::esm, Objective::ism, Objective::ssm, Objective::ssm_vr, Objective::dsm,
                        Objective::ncsn, Objective::continuous}) {
      CAPTURE(std::string(to_string(o)));
      CAPTURE(mix.size());
      check_decreases(mix, noise, o, Projection::gaussian);
      if (o == Objective::ssm) check_decreases(mix, noise, o, Projection::rademacher);
    }
  }
}

TEST_CASE("train.sigma moves the single level; at sigma = 0 the objectives see the clean data") {
  CHECK(output_scale(0.0) == 1.0);  // the clean level: the net's output is the score itself
  CHECK(output_scale(0.5) == 2.0);
  CHECK(output_scale(1e-9) == 1.0 / kMinNoiseScale);
  ObjectiveConfig oc = make_config({Objective::esm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1, 0.0});
  const NoiseLevel clean = single_level(oc);
  CHECK((clean.t == 0.0 && clean.m == 1.0 && clean.s == 0.0));
  oc.sigma = 0.7;  // σ_min = 0.5, σ_max = 10: t is the VE time of 0.7
  CHECK(single_level(oc).t == doctest::Approx(std::log(0.7 / 0.5) / std::log(10 / 0.5)));
  CHECK(single_level(oc).s == 0.7);
  oc.sigma.reset();
  CHECK(single_level(oc).s == 0.5);  // unset: the schedule's smallest level, as before
  oc.noise = noise(NoiseKind::vp);
  oc.sigma = 0.7;
  CHECK((single_level(oc).t == 0.0 && single_level(oc).m == 1.0));

  // ESM at σ = 0: ½‖s_θ(x0) − ∇log p(x0)‖² on the data itself, so no draw changes it.
  oc = make_config({Objective::esm, NoiseKind::geometric, Weighting::s2, Projection::gaussian, 1, 0.0});
  ModelConfig m;
  m.hidden = {8, 8};
  auto net = std::make_shared<Mlp<float>>(m);
  net->init(3);
  net->set_data_rms(3.0);
  const Points x0 = ncsn_mixture().sample(50, 8);
  Points s_net, s_true;
  NetworkScore(net).score(x0, clean, s_net);
  MixtureScore(ncsn_mixture()).score(x0, clean, s_true);
  const double expected = 0.5 * (s_net - s_true).squaredNorm() / 50.0;
  CHECK(loss_and_grad<float>(oc, *net, x0, 1, 0, nullptr) == doctest::Approx(expected).epsilon(1e-5));
  CHECK(loss_and_grad<float>(oc, *net, x0, 2, 5, nullptr) == doctest::Approx(expected).epsilon(1e-5));

  oc.objective = Objective::dsm;
  CHECK_THROWS_WITH_AS(check_objective(oc, m),
                       "scene.train.sigma: dsm needs sigma > 0 (its target -z/sigma is undefined at 0); ism, ssm or "
                       "ssm_vr learn the clean data's score at sigma = 0",
                       InputError);
  oc.objective = Objective::ncsn;
  CHECK_THROWS_WITH_AS(check_objective(oc, m),
                       "scene.train.sigma: ncsn trains at every noise level of the schedule; sigma is for the "
                       "single-level objectives (esm, ism, ssm, ssm_vr, dsm)",
                       InputError);
  oc.objective = Objective::ism;
  oc.sigma = -0.1;
  CHECK_THROWS_WITH_AS(check_objective(oc, m), "scene.train.sigma: must be a number in [0, 10000] (got -0.1)",
                       InputError);
}

namespace {

// Two modes of different shapes, tight enough that adding σ = 0.5 of noise changes the score a lot
// (variance 0.09 → 0.34 along x for the first).
GaussianMixture two_modes() {
  return GaussianMixture({{0.5, Vec2(-1.5, 0), Vec2(0.3 * 0.3, 0.5 * 0.5).asDiagonal()},
                          {0.5, Vec2(1.5, 0.5), 0.4 * 0.4 * Mat2::Identity()}});
}

// Σ‖s_θ − s‖² / Σ‖s‖² over x (THEORY.md §7), the network asked at `net_level`, the truth at `level`.
double relative_fisher_at(const Mlp<float>& net, const NoiseLevel& net_level, const GaussianMixture& mix,
                          const NoiseLevel& level, const Points& x) {
  Points s_net, s_true;
  NetworkScore(std::make_shared<const Mlp<float>>(net)).score(x, net_level, s_net);
  MixtureScore(mix).score(x, level, s_true);
  return (s_net - s_true).squaredNorm() / s_true.squaredNorm();
}

struct SingleLevelRun {
  Mlp<float> net;    // EMA weights
  NoiseLevel level;  // the level it trained at (lowest_trained_level)
};

// A short, seeded run of a small MLP on 8000 draws of two_modes() at train.sigma = sigma.
SingleLevelRun train_at_sigma(Objective objective, double sigma) {
  TrainConfig tc;
  tc.objective = objective;
  tc.sigma = sigma;
  tc.projection = Projection::rademacher;
  tc.batch = 256;
  tc.lr = 3e-3;
  tc.steps = 3000;
  tc.seed = 5;
  tc.ema = 0.99;
  ModelConfig model;
  model.hidden = {64, 64};
  const NoiseConfig geometric = noise(NoiseKind::geometric);
  TrainingRun run(two_modes().sample(8000, 31), geometric, model, tc, std::make_shared<MixtureScore>(two_modes()));
  std::string problem;
  for (int i = 0; i < tc.steps && problem.empty(); ++i) problem = run.step().problem;
  REQUIRE(problem == "");
  return {run.ema_net(), lowest_trained_level(tc, geometric)};
}

}  // namespace

TEST_CASE("at sigma = 0, SSM-VR learns the data's own score; DSM at 0.5 learns the noised one" *
          doctest::test_suite("statistical")) {
  const GaussianMixture mix = two_modes();
  const NoiseLevel clean{0, 1, 0}, half{0, 1, 0.5};
  const Points x_clean = mix.sample(20000, 900);               // p_0
  const Points x_half = mix.noised(half).sample(20000, 901);   // p_0.5

  const SingleLevelRun ssm = train_at_sigma(Objective::ssm_vr, 0.0);
  CHECK(ssm.level.s == 0.0);
  const double ssm_clean = relative_fisher_at(ssm.net, ssm.level, mix, clean, x_clean);
  MESSAGE("ssm_vr at sigma 0: relative Fisher to the clean score " << ssm_clean);
  CHECK(ssm_clean < 0.05);

  const SingleLevelRun dsm = train_at_sigma(Objective::dsm, 0.5);
  CHECK(dsm.level.s == 0.5);
  const double dsm_half = relative_fisher_at(dsm.net, dsm.level, mix, half, x_half);
  const double dsm_clean = relative_fisher_at(dsm.net, dsm.level, mix, clean, x_clean);
  MESSAGE("dsm at sigma 0.5: relative Fisher to the sigma = 0.5 score " << dsm_half << ", to the clean score "
                                                                         << dsm_clean);
  CHECK(dsm_half < dsm_clean);
  CHECK(dsm_half < 0.05);
}
