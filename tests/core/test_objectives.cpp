// Objectives of THEORY.md §2: parameter gradients against central differences for every objective
// (double), reproducibility of the random draws, and the equivalences that make them score
// matching (ISM, SSM, SSM-VR and DSM have the gradient of ESM in expectation).
#include <doctest/doctest.h>

#include <cmath>

#include "core/mixture.hpp"
#include "core/nn/score_network.hpp"
#include "core/nn/training_run.hpp"
#include "core/objectives.hpp"
#include "core/rng.hpp"

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
};

ObjectiveConfig make_config(const Case& c) {
  ObjectiveConfig oc;
  oc.objective = c.objective;
  oc.noise = noise(c.kind);
  oc.weighting = c.weighting;
  oc.projection = c.projection;
  oc.projections = c.projections;
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
  for (const auto& [mix, noise] : sets) {
    for (Objective o : {Objective::esm, Objective::ism, Objective::ssm, Objective::ssm_vr, Objective::dsm,
                        Objective::ncsn, Objective::continuous}) {
      CAPTURE(std::string(to_string(o)));
      CAPTURE(mix.size());
      check_decreases(mix, noise, o, Projection::gaussian);
      if (o == Objective::ssm) check_decreases(mix, noise, o, Projection::rademacher);
    }
  }
}
