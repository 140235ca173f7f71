// The forward process: its marginals at t match N(m·x0, s²) (mean m·E[x0], variance m²·Var[x0] + s²)
// on every SDE, whether drawn at once (forward_noise) or walked step by step (ForwardProcess), and the
// walk is one Brownian path (frames are correlated as the Markov transition says), not fresh draws.
#include <doctest/doctest.h>

#include <cmath>

#include "core/forward_process.hpp"

using namespace scorelab;

namespace {

constexpr int kN = 200000;

// A two-point data set: mean (0, 1), variance 4 in each coordinate, no correlation.
Points two_points(int n) {
  Points x(2, n);
  for (int j = 0; j < n; ++j) x.col(j) = j % 2 == 0 ? Vec2(-2.0, 3.0) : Vec2(2.0, -1.0);
  return x;
}

NoiseConfig noise_of(NoiseKind kind) {
  NoiseConfig n;
  n.kind = kind;
  n.sigma_min = 0.05;
  n.sigma_max = 8.0;
  n.beta_min = 0.1;
  n.beta_max = 20.0;
  return n;
}

// Sample mean and variance of each coordinate against the Gaussian marginal's, within 5 standard
// errors (variance of a sample variance: 2σ⁴/N for a Gaussian; the two-point x0 makes it smaller).
void check_marginal(const Points& x, const NoiseLevel& level) {
  const Vec2 mean0(0.0, 1.0);
  const double var = level.m * level.m * 4.0 + level.s * level.s;
  const Vec2 mean = x.rowwise().mean();
  const Vec2 v = (x.colwise() - mean).array().square().rowwise().mean();
  CAPTURE(level.t);
  for (int d = 0; d < 2; ++d) {
    CHECK(std::abs(mean[d] - level.m * mean0[d]) < 5.0 * std::sqrt(var / kN));
    CHECK(std::abs(v[d] - var) < 5.0 * var * std::sqrt(2.0 / kN));
  }
}

}  // namespace

TEST_CASE("forward_noise draws the marginal x_t = m(t)·x0 + s(t)·z") {
  const Points x0 = two_points(kN);
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp, NoiseKind::ve}) {
    const Sde sde(noise_of(kind));
    for (double t : {0.05, 0.4, 1.0}) check_marginal(forward_noise(x0, sde, t, 11), sde.level(t));
  }
}

TEST_CASE("ForwardProcess walks from ε to 1 with the right marginal at every checked step") {
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp, NoiseKind::ve}) {
    const NoiseConfig noise = noise_of(kind);
    SamplerConfig config;
    config.seed = 3;
    auto process = make_forward_process(config, noise, 40);
    const Sde sde(noise);
    REQUIRE(process->num_steps() == 40);
    CHECK(process->level_at(0).t == doctest::Approx(sde.sampling_eps()));
    CHECK(process->level_at(40).t == doctest::Approx(1.0));
    CHECK(process->level_at(10).t > process->level_at(9).t);  // noise rises: data → noise
    Points x = forward_start(two_points(kN), kN, noise, config.seed);
    check_marginal(x, process->level_at(0));
    long nfe = 0;
    for (int k = 0; k < 40; ++k) {
      nfe += process->step(k, x);
      if (k == 9 || k == 39) check_marginal(x, process->level_at(k + 1));
    }
    CHECK(nfe == 0);
  }
}

TEST_CASE("frames of one forward path are correlated as the Markov transition says") {
  // With x0 at one point, Cov(x_t, x_t') = a·s(t)² where a = m(t')/m(t); fresh draws would give 0.
  const NoiseConfig noise = noise_of(NoiseKind::vp);
  SamplerConfig config;
  config.seed = 5;
  auto process = make_forward_process(config, noise, 20);
  Points x0(2, kN);
  x0.colwise() = Vec2(1.0, -1.0);
  Points x = forward_start(x0, kN, noise, config.seed);
  for (int k = 0; k < 5; ++k) process->step(k, x);
  const Points early = x;
  for (int k = 5; k < 10; ++k) process->step(k, x);
  const NoiseLevel a = process->level_at(5), b = process->level_at(10);
  const double expected = b.m / a.m * a.s * a.s;
  const Eigen::ArrayXd de = (early.row(0).array() - early.row(0).mean()).transpose();
  const Eigen::ArrayXd dl = (x.row(0).array() - x.row(0).mean()).transpose();
  const double cov = (de * dl).mean();
  CHECK(expected > 0.05);  // a correlation the check can see
  CHECK(std::abs(cov - expected) < 5.0 * b.s * a.s / std::sqrt(double(kN)));
}

TEST_CASE("the forward process is reproducible and refuses bad input") {
  const NoiseConfig noise = noise_of(NoiseKind::ve);
  SamplerConfig config;
  config.seed = 9;
  const Points data = two_points(10);
  Points a = forward_start(data, 25, noise, 9), b = forward_start(data, 25, noise, 9);
  auto p = make_forward_process(config, noise, 8), q = make_forward_process(config, noise, 8);
  for (int k = 0; k < 8; ++k) {
    p->step(k, a);
    q->step(k, b);
  }
  CHECK((a - b).cwiseAbs().maxCoeff() == 0.0);
  CHECK_THROWS_AS(forward_start(Points(2, 0), 5, noise, 1), InputError);
  CHECK_THROWS_AS(forward_start(data, 0, noise, 1), InputError);
  CHECK_THROWS_AS(make_forward_process(config, noise, 0), InputError);
}
