// The samplers' per-step coefficients (core/samplers/step_coefficients.hpp) at every slider position:
// exact discrete VP steps at any step count, annealed Langevin's step-size rule and its stability
// bound, EDM's σ ladder with Heun and churn, stochastic Heun's weak order, and a network never asked
// below the levels it learned.
#include <doctest/doctest.h>

#include <cmath>

#include "core/metrics.hpp"
#include "core/mixture.hpp"
#include "core/nn/score_network.hpp"
#include "core/samplers/samplers.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

NoiseConfig noise_of(NoiseKind kind) {
  NoiseConfig n;
  n.kind = kind;
  n.sigma_min = 0.01;
  n.sigma_max = 8.0;  // ≥ the largest pairwise distance of 8gaussians
  return n;
}

SamplerConfig config_of(SamplerKind kind, int steps, int particles = 2000) {
  SamplerConfig c;
  c.kind = kind;
  c.steps = steps;
  c.particles = particles;
  c.seed = 11;
  return c;
}

// 8gaussians' exact score, a reference sample and the MMD² noise floor at n = 2000 (mean + 4 sd of
// 20 true-vs-true pairs), shared by the statistical cases below.
struct EightGaussians {
  GaussianMixture truth = *toy_mixture("8gaussians");
  MixtureScore score{truth};
  static constexpr int n = 2000;
  std::vector<double> bandwidths = default_bandwidths(truth.sample(n, 999, 100));
  NoiseFloor floor = mmd2_noise_floor([&](int count, uint32_t seed) { return truth.sample(count, seed, 100); }, n, 20,
                                      bandwidths, 4242);
  Points reference = truth.sample(n, 31337, 100);
  double mmd2(const Points& x) const { return mmd2_unbiased(x, reference, bandwidths); }
};

}  // namespace

TEST_CASE("exact discrete VP steps: β in (0, 1) at every step count, the first-order form is not") {
  const Sde sde(noise_of(NoiseKind::vp));
  for (int n : {1, 2, 5, 10, 19, 20, 50, 1000}) {
    const SamplerGrid grid(noise_of(NoiseKind::vp), n);
    for (int k = 0; k < n; ++k) {
      const AncestralStep st = ancestral_step(sde, grid, k);
      const double beta = st.c * st.c;
      REQUIRE(beta > 0.0);
      REQUIRE(beta < 1.0);
      // αᵢ = m(t_k)²/m(t_{k+1})²: the chain's exact marginal ratio.
      const double alpha = std::pow(sde.mean_coef(grid.time(k)) / sde.mean_coef(grid.time(k + 1)), 2);
      CHECK(1.0 - beta == doctest::Approx(alpha).epsilon(1e-12));
      CHECK(corrector_alpha(sde, grid, k) == doctest::Approx(alpha).epsilon(1e-12));
    }
  }
  // The figures: at N = 50 the first step's β(t)·h is 0.40 where the exact β is 0.327, and
  // at N ≤ 19 β(t)·h ≥ 1 (a negative variance).
  const SamplerGrid grid50(noise_of(NoiseKind::vp), 50);
  const double h = grid50.time(0) - grid50.time(1);
  CHECK(sde.beta(1.0) * h == doctest::Approx(0.3996).epsilon(1e-3));
  CHECK(std::pow(ancestral_step(sde, grid50, 0).c, 2) == doctest::Approx(0.3267).epsilon(1e-3));
  const SamplerGrid grid19(noise_of(NoiseKind::vp), 19);
  CHECK(sde.beta(1.0) * (grid19.time(0) - grid19.time(1)) >= 1.0);
}

TEST_CASE("DDPM and PC on VP and sub-VP: finite at every step count, the error falls as N grows" *
          doctest::test_suite("statistical")) {
  EightGaussians eg;
  struct Case {
    SamplerKind kind;
    NoiseKind noise;
  };
  for (Case c : {Case{SamplerKind::ddpm, NoiseKind::vp}, Case{SamplerKind::pc, NoiseKind::vp},
                 Case{SamplerKind::pc, NoiseKind::subvp}}) {
    std::vector<double> mmd;
    for (int n : {1, 2, 5, 10, 19, 20, 50}) {
      SampleRun run = sample(config_of(c.kind, n), noise_of(c.noise), eg.score);
      REQUIRE(run.x.allFinite());
      mmd.push_back(eg.mmd2(run.x));
    }
    MESSAGE(std::string(to_string(c.kind)) << "/" << to_string(c.noise) << " MMD² at N = 1 2 5 10 19 20 50: " << mmd[0] << " "
                              << mmd[1] << " " << mmd[2] << " " << mmd[3] << " " << mmd[4] << " " << mmd[5] << " "
                              << mmd[6] << " (bound " << eg.floor.bound << ")");
    // Coarse to fine, over step counts far enough apart that sampling noise cannot reorder them.
    CHECK(mmd[1] > mmd[3]);
    CHECK(mmd[3] > mmd[6]);
  }
}

TEST_CASE("annealed Langevin: Song & Ermon's ε brings the variance closest to σᵢ², below the stability bound") {
  for (double gamma : {1.2, 2.1, 33.7}) {
    for (int steps : {5, 100}) {
      const double s_l = 0.0105;
      const double eps = song_ermon_eps(gamma, steps, s_l);
      const double v = song_ermon_variance_ratio(eps, gamma, steps, s_l);
      CAPTURE(gamma);
      CAPTURE(steps);
      CHECK(eps > 0.0);
      CHECK(eps < annealed_stability_bound(s_l));
      CHECK(v >= 1.0);
      // A minimum: neighbours on either side do no better.
      CHECK(song_ermon_variance_ratio(eps * 1.05, gamma, steps, s_l) >= v);
      CHECK(song_ermon_variance_ratio(eps / 1.05, gamma, steps, s_l) >= v);
    }
  }
}

TEST_CASE("annealed Langevin with the default ε on VP and VE: finite, and the samples match the data" *
          doctest::test_suite("statistical")) {
  EightGaussians eg;
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::ve}) {
    SamplerConfig c = config_of(SamplerKind::annealed, 1);
    c.eps_auto = true;  // what a scene without "eps" gives
    auto sampler = make_sampler(c, noise_of(kind), eg.score);
    auto* annealed = dynamic_cast<AnnealedLangevinSampler*>(sampler.get());
    REQUIRE(annealed != nullptr);
    CHECK(sampler->note().empty());
    Points x = run_sampler(*sampler, initial_particles(c, noise_of(kind))).x;
    REQUIRE(x.allFinite());
    const double mmd2 = eg.mmd2(x);
    MESSAGE(std::string(to_string(kind)) << ": ε = " << annealed->eps() << ", MMD² " << mmd2 << " (floor mean " << eg.floor.mean
                            << ", sd " << eg.floor.sd << ")");
    CHECK(mmd2 < eg.floor.bound);

    // The old default ε = 0.1 is past 4σ_L²: the sampler says so, naming the bound.
    c.eps_auto = false;
    c.eps = 0.1;
    CHECK(make_sampler(c, noise_of(kind), eg.score)->note().find("stability bound") != std::string::npos);
  }
}

TEST_CASE("EDM: the ladder runs σ_max to σ_min then 0, and ρ shapes the trajectory") {
  NoiseConfig noise = noise_of(NoiseKind::edm);
  const SamplerGrid grid(noise, 18);
  CHECK(grid.sigma(0) == doctest::Approx(noise.sigma_max));
  CHECK(grid.sigma(17) == doctest::Approx(noise.sigma_min));
  CHECK(grid.sigma(18) == 0.0);
  for (int k = 0; k < 18; ++k) CHECK(grid.sigma(k) > grid.sigma(k + 1));
  CHECK(grid.is_final_tweedie(17));

  MixtureScore score(*toy_mixture("8gaussians"));
  SamplerConfig c = config_of(SamplerKind::ode, 18, 64);
  c.solver = OdeSolver::heun;
  const SampleRun rho7 = sample(c, noise, score);
  CHECK(rho7.nfe == 2 * 18 - 1);
  noise.rho = 3;
  const SampleRun rho3 = sample(c, noise, score);
  CHECK((rho7.x - rho3.x).cwiseAbs().maxCoeff() > 1e-3);

  // Every time-grid sampler's last step on the ladder is Tweedie at σ_min; `denoise` adds none.
  c.kind = SamplerKind::em;
  c.denoise = true;
  auto em = make_sampler(c, noise, score);
  CHECK(em->num_steps() == 18);
  CHECK(em->level_at(17).s == doctest::Approx(noise.sigma_min));
  CHECK(em->level_at(18).s == 0.0);
}

TEST_CASE("EDM: 18 Heun steps (35 NFE) with the exact score match the data; churn and the SDE samplers too" *
          doctest::test_suite("statistical")) {
  EightGaussians eg;
  const NoiseConfig noise = noise_of(NoiseKind::edm);
  SamplerConfig c = config_of(SamplerKind::ode, 18);
  c.solver = OdeSolver::heun;
  SampleRun heun = sample(c, noise, eg.score);
  REQUIRE(heun.x.allFinite());
  MESSAGE("EDM Heun, 18 steps: NFE " << heun.nfe << ", MMD² " << eg.mmd2(heun.x) << " (bound " << eg.floor.bound << ")");
  CHECK(heun.nfe == 35);
  CHECK(eg.mmd2(heun.x) < eg.floor.bound);

  c.s_churn = 10;
  c.s_tmin = 0.05;
  c.s_tmax = 5;
  SampleRun churned = sample(c, noise, eg.score);
  MESSAGE("with churn (S_churn 10 on [0.05, 5]): MMD² " << eg.mmd2(churned.x));
  CHECK((churned.x - heun.x).cwiseAbs().maxCoeff() > 1e-3);
  CHECK(eg.mmd2(churned.x) < eg.floor.bound);

  for (SamplerKind kind : {SamplerKind::em, SamplerKind::pc, SamplerKind::ddpm}) {
    SampleRun run = sample(config_of(kind, 200), noise, eg.score);
    REQUIRE(run.x.allFinite());
    MESSAGE(std::string(to_string(kind)) << " on the EDM ladder, 200 steps: MMD² " << eg.mmd2(run.x));
    CHECK(eg.mmd2(run.x) < eg.floor.bound);
  }
}

namespace {

// The reverse SDE from t = 1 to ε on Gaussian data N(μ, v₀I), where both the sampler and the truth are
// known exactly given x₁ (mirror trick: the chain is affine, x_N = A·x₁ + b(μ) + n with n independent
// of μ and of x₁, b odd in μ; so with the same seed, data ±μ and starts ±x₁, half the difference of the
// two runs is the conditional mean A·x₁ + b exactly, and half the sum is the noise n).
struct GaussianReverse {
  Vec2 mu{1.5, -1.0};
  double v0 = 0.25;
  NoiseConfig noise = noise_of(NoiseKind::vp);
  Sde sde{noise};

  // Exact E[x_ε | x₁ = y]: y − m₁μ scales by (v_ε/m_ε)/(v₁/m₁), v(t) = m²v₀ + s² (see the test).
  Vec2 conditional_mean(const Vec2& y) const {
    const double e = sde.sampling_eps();
    auto v = [&](double t) { return std::pow(sde.mean_coef(t), 2) * v0 + std::pow(sde.std_dev(t), 2); };
    const double scale = (v(e) / sde.mean_coef(e)) / (v(1.0) / sde.mean_coef(1.0));
    return sde.mean_coef(e) * mu + (y - sde.mean_coef(1.0) * mu) * scale;
  }
  double marginal_variance_end() const {
    const double e = sde.sampling_eps();
    return std::pow(sde.mean_coef(e), 2) * v0 + std::pow(sde.std_dev(e), 2);
  }

  // Weak errors of the conditional mean (max over particles) and of the variance from x₁ ~ p₁.
  std::pair<double, double> errors(OdeSolver solver, int steps) const {
    SamplerConfig c = config_of(SamplerKind::em, steps, 200000);
    c.solver = solver;
    const Points x1 = initial_particles(c, noise);
    auto run = [&](double sign) {
      MixtureScore score(GaussianMixture({{1.0, sign * mu, v0 * Mat2::Identity()}}));
      auto sampler = make_sampler(c, noise, score);
      return run_sampler(*sampler, sign * x1).x;
    };
    const Points plus = run(1.0), minus = run(-1.0);
    const Points mean_map = 0.5 * (plus - minus), noise_part = 0.5 * (plus + minus);
    double mean_error = 0;
    for (Eigen::Index j = 0; j < x1.cols(); ++j)
      mean_error = std::max(mean_error, (mean_map.col(j) - conditional_mean(x1.col(j))).norm());
    // A from two particles' conditional means; Var(x_N) = A²·v₁ + Var(n) with v₁ the exact p₁ variance.
    const double a = (mean_map(0, 0) - mean_map(0, 1)) / (x1(0, 0) - x1(0, 1));
    const double v1 = std::pow(sde.mean_coef(1.0), 2) * v0 + std::pow(sde.std_dev(1.0), 2);
    const double noise_var = noise_part.array().square().mean();
    return {mean_error, std::abs(a * a * v1 + noise_var - marginal_variance_end())};
  }
};

}  // namespace

TEST_CASE("reverse SDE on a Gaussian: weak order ≈ 1 for Euler–Maruyama and ≈ 2 for stochastic Heun" *
          doctest::test_suite("statistical")) {
  const GaussianReverse g;
  const auto em20 = g.errors(OdeSolver::euler, 20), em40 = g.errors(OdeSolver::euler, 40);
  const auto heun20 = g.errors(OdeSolver::heun, 20), heun40 = g.errors(OdeSolver::heun, 40);
  MESSAGE("mean error EM " << em20.first << " → " << em40.first << ", Heun " << heun20.first << " → " << heun40.first);
  MESSAGE("variance error EM " << em20.second << " → " << em40.second << ", Heun " << heun20.second << " → "
                               << heun40.second);
  // The conditional mean is exact arithmetic (no sampling noise): tight bands around 2^p.
  CHECK(em20.first / em40.first == doctest::Approx(2.0).epsilon(0.25));
  CHECK(heun20.first / heun40.first == doctest::Approx(4.0).epsilon(0.25));
  // The variance carries the sample variance of 4·10⁵ noise draws (relative sd 1/√(4·10⁵) ≈ 0.0016
  // of the variance): orders within wider bands, and Heun well ahead of EM.
  CHECK(em20.second / em40.second == doctest::Approx(2.0).epsilon(0.35));
  CHECK(heun20.second / heun40.second > 2.8);
  CHECK(heun40.second < 0.25 * em40.second);
}

TEST_CASE("plain Langevin never asks a network below its smallest level; the exact score may go to σ = 0") {
  NoiseConfig noise = noise_of(NoiseKind::ve);
  ModelConfig model;
  model.hidden = {16, 16};
  auto net = std::make_shared<Mlp<float>>(model);
  net->init(7);
  NetworkScore learned(net);
  SamplerConfig c = config_of(SamplerKind::langevin, 20, 64);
  c.langevin_sigma = 0.0;
  auto sampler = make_sampler(c, noise, learned);
  CHECK(sampler->level_at(0).s == doctest::Approx(noise.sigma_min));
  CHECK(sampler->note().find("sigma = 0.01") != std::string::npos);
  CHECK(run_sampler(*sampler, initial_particles(c, noise)).x.allFinite());

  // A network a single-level objective trained at train.sigma knows that level and no lower one.
  NetworkScore at_half(net);
  at_half.set_trained_sigma(0.5);
  auto half = make_sampler(c, noise, at_half);
  CHECK(half->level_at(0).s == 0.5);
  CHECK(half->note().find("sigma = 0.5") != std::string::npos);
  NetworkScore at_zero(net);
  at_zero.set_trained_sigma(0.0);
  CHECK(make_sampler(c, noise, at_zero)->level_at(0).s == 0.0);

  MixtureScore exact(*toy_mixture("8gaussians"));
  auto exact_sampler = make_sampler(c, noise, exact);
  CHECK(exact_sampler->level_at(0).s == 0.0);
  CHECK(exact_sampler->note().empty());
}
