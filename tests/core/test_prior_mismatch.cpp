// The schedule explorer's numbers (core/prior_mismatch.hpp) against closed forms for one Gaussian.
#include <doctest/doctest.h>

#include <cmath>

#include "core/prior_mismatch.hpp"

using namespace scorelab;

namespace {

DataConfig one_gaussian(const Vec2& mean, const Mat2& cov) {
  DataConfig d;
  d.kind = DataKind::mixture;
  d.mixture = GaussianMixture({{1.0, mean, cov}});
  return d;
}

// KL(N(μ, Σ) ‖ N(0, v I)) in 2-D.
double gaussian_kl(const Vec2& mu, const Mat2& cov, double v) {
  return 0.5 * (cov.trace() / v + mu.squaredNorm() / v - 2.0 + 2.0 * std::log(v) - std::log(cov.determinant()));
}

}  // namespace

TEST_CASE("prior KL: Monte Carlo agrees with the closed form; a too small sigma_max gives a large KL") {
  Mat2 cov;
  cov << 0.5, 0.1, 0.1, 0.3;
  const Vec2 mu(4, -3);
  const DataConfig data = one_gaussian(mu, cov);
  for (double sigma_max : {2.0, 10.0, 50.0}) {
    CAPTURE(sigma_max);
    NoiseConfig noise;
    noise.kind = NoiseKind::ve;
    noise.sigma_min = 0.01;
    noise.sigma_max = sigma_max;
    const NoiseLevel end = Sde(noise).level(1.0);
    const Mat2 cov1 = end.m * end.m * cov + end.s * end.s * Mat2::Identity();
    const double exact = gaussian_kl(end.m * mu, cov1, Sde(noise).prior_std() * Sde(noise).prior_std());
    const Estimate kl = prior_kl(data, noise, 4000, 3);
    CHECK(kl.standard_error > 0);
    CHECK(std::abs(kl.value - exact) < 4 * kl.standard_error + 1e-9);
  }
  NoiseConfig small, right;
  small.kind = right.kind = NoiseKind::ve;
  small.sigma_max = 2;
  right.sigma_max = 50;
  CHECK(prior_kl(data, small, 2000, 1).value > 2.0);   // the modes 5 away, a prior of width 2
  CHECK(prior_kl(data, right, 2000, 1).value < 0.05);
}

TEST_CASE("prior KL on a VP schedule and on a toy set is finite and small when β forgets the data") {
  NoiseConfig vp;
  vp.kind = NoiseKind::vp;
  DataConfig moons;
  moons.kind = DataKind::toy;
  moons.toy = "moons";
  moons.count = 2000;
  const Estimate kl = prior_kl(moons, vp, 1000, 2);
  CHECK(std::isfinite(kl.value));
  CHECK(kl.value < 0.05);
  vp.beta_max = 1.0;  // B(1) = 0.55: m(1) = 0.76, the data is far from forgotten
  CHECK(prior_kl(moons, vp, 1000, 2).value > 0.3);
}

TEST_CASE("½E‖∇log p‖² of one Gaussian is ½·tr(Σ⁻¹)") {
  Mat2 cov;
  cov << 0.5, 0.1, 0.1, 0.3;
  const Estimate c = score_norm_constant(GaussianMixture({{1.0, Vec2(1, 2), cov}}), 20000, 4);
  CHECK(std::abs(c.value - 0.5 * cov.inverse().trace()) < 4 * c.standard_error);
}
