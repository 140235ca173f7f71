// The ODE likelihood with the exact score must give back the exact log-density (THEORY.md §5).
#include <doctest/doctest.h>

#include <cmath>

#include "core/likelihood.hpp"
#include "core/mixture.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

NoiseConfig sde_noise(NoiseKind kind) {
  NoiseConfig n;
  n.kind = kind;
  n.sigma_min = 0.01;
  n.sigma_max = 50.0;
  return n;
}

GaussianMixture ncsn_mixture() {
  return GaussianMixture({{0.2, Vec2(-5, -5), Mat2::Identity()}, {0.8, Vec2(5, 5), Mat2::Identity()}});
}

double mean(const Scalars& v) { return v.mean(); }
double standard_error(const Scalars& v) {
  double m = v.mean();
  return std::sqrt((v.array() - m).square().sum() / double(v.size() - 1) / double(v.size()));
}

}  // namespace

TEST_CASE("ODE log-likelihood reproduces the exact mixture log-density to 0.02 nats per point") {
  Mat2 skew;
  skew << 0.6, 0.25, 0.25, 0.4;
  const GaussianMixture mixtures[] = {
      ncsn_mixture(),
      *toy_mixture("8gaussians"),
      GaussianMixture({{0.5, Vec2(-1, 0), skew}, {0.5, Vec2(1.5, 1), Mat2::Identity() * 0.3}}),
  };
  for (const GaussianMixture& mix : mixtures) {
    MixtureScore score(mix);
    // Samples plus a few points off the data, where the field is least tame.
    Points x(2, 64);
    x.leftCols(60) = mix.sample(60, 21);
    x.col(60) = Vec2(0, 0);
    x.col(61) = Vec2(3, -3);
    x.col(62) = Vec2(-6, 6);
    x.col(63) = mix.mean();
    for (NoiseKind kind : {NoiseKind::ve, NoiseKind::vp, NoiseKind::subvp}) {
      NoiseConfig noise = sde_noise(kind);
      Scalars ode = ode_log_likelihood(score, noise, x);
      // The ODE starts at ε = 1e-5, where the marginal is the mixture noised to (m(ε), s(ε)).
      Scalars exact;
      score.log_prob(x, Sde(noise).level(Sde::kLikelihoodEps), exact);
      double worst = (ode - exact).cwiseAbs().maxCoeff();
      MESSAGE(std::string(to_string(kind)) << ": worst |ODE − exact| = " << worst << " nats");
      CHECK(ode.allFinite());
      CHECK(worst < 0.02);
    }
  }
}

TEST_CASE("mean ODE NLL over samples matches the entropy in THEORY.md §5" * doctest::test_suite("statistical")) {
  struct Case {
    const char* name;
    double entropy;
  };
  for (Case c : {Case{"ncsn", 3.338}, Case{"8gaussians", 2.831}}) {
    GaussianMixture mix = *toy_mixture(c.name);
    MixtureScore score(mix);
    Points x = mix.sample(20000, 8);
    Scalars nll = -ode_log_likelihood(score, sde_noise(NoiseKind::vp), x);
    // The mean NLL estimates the entropy with standard error sd(NLL)/√n; allow 4 of them,
    // plus the 3-decimal rounding of the reference value.
    double tolerance = 4 * standard_error(nll) + 5e-4;
    MESSAGE(std::string(c.name) << ": mean NLL " << mean(nll) << " vs entropy " << c.entropy << " ± " << tolerance);
    CHECK(std::abs(mean(nll) - c.entropy) < tolerance);
  }
}

TEST_CASE("with the SDE's own prior the result is close but not exact; NFE is 4 per RK4 step") {
  MixtureScore score(ncsn_mixture());
  NoiseConfig noise = sde_noise(NoiseKind::vp);
  Points x = ncsn_mixture().sample(200, 4);
  LikelihoodConfig exact_prior, sde_prior;
  sde_prior.exact_prior = false;
  OdeLikelihoodResult a = ode_likelihood(score, noise, x, exact_prior);
  OdeLikelihoodResult b = ode_likelihood(score, noise, x, sde_prior);
  CHECK(a.nfe == 4 * exact_prior.steps);
  // VP with β_max = 20 leaves m(1) ≈ 0.006 of the data at t = 1: the two priors differ by a few
  // hundredths of a nat on average, never by more than a fraction of one.
  double diff = (a.log_p0 - b.log_p0).cwiseAbs().maxCoeff();
  CHECK(diff > 0.0);
  CHECK(diff < 0.5);
}
