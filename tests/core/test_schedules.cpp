// The noise schedules (THEORY.md §3): f, g, m and s of every SDE must describe one process, i.e. the
// marginal x_t = m·x0 + s·z of dx = f·x dt + g dw, which holds exactly when
//   dm/dt = f·m   and   d(s²)/dt = 2f·s² + g²,
// checked here by central differences; then the ends (m(0) = 1, s(0) small, s(1) against the prior),
// the inverse time_of_std, the discrete levels annealed Langevin walks, and the σ ladders.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "core/schedules.hpp"

using namespace scorelab;

namespace {

NoiseConfig noise_of(NoiseKind kind) {
  NoiseConfig n;  // defaults: σ from 0.01 to 50, β from 0.1 to 20, 10 levels, ρ = 7
  n.kind = kind;
  return n;
}

const std::vector<double> kTimes{0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99};

// Central differences (f(t+h) − f(t−h))/2h = f' + h²f'''/6 + a rounding error of about ε|f|/h, with the
// step relative to t, h = 1e-5·t (near t = 0, sub-VP's s² ≈ B(t)² bends like t², |f'''/f'| ≈ 1/t²).
// Truncation, relative to f': h²|f'''/f'|/6 ≤ 1e-10·t²·max(1/t², 400)/6 ≈ 7e-9 (400 ≈ β_max², the
// fastest exponential rate here; VE's is (2 ln(σ_max/σ_min))² ≈ 290). Rounding: ε·|f/f'|/h ≤ 2e-8
// (the worst is VP's s² near t = 1, |f/f'| = e^B/β ≈ 1e3). Measured worst: 8e-9 (sub-VP's s²).
// 1e-7 leaves a margin of 3 over the sum of the bounds; a wrong coefficient (a std taken for a
// variance, a factor √2 in g) misses by orders of magnitude more (the last case here).
constexpr double kRelStep = 1e-5;
constexpr double kTol = 1e-7;

double derivative(const std::function<double(double)>& f, double t) {
  const double h = kRelStep * t;
  return (f(t + h) - f(t - h)) / (2 * h);
}

// |a − b| relative to the larger of the two (0 when both are 0, as dm/dt = f·m = 0 for VE).
double relative_error(double a, double b) {
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0.0 : std::abs(a - b) / scale;
}

// The worst relative error over kTimes of d(s²)/dt = 2f·s² + g², for the given s and g.
double variance_equation_error(const Sde& sde, const std::function<double(double)>& s,
                               const std::function<double(double)>& g) {
  double worst = 0;
  for (double t : kTimes) {
    const double lhs = derivative([&](double u) { return s(u) * s(u); }, t);
    const double rhs = 2 * sde.drift_coef(t) * s(t) * s(t) + g(t) * g(t);
    worst = std::max(worst, relative_error(lhs, rhs));
  }
  return worst;
}

double mean_equation_error(const Sde& sde) {
  double worst = 0;
  for (double t : kTimes) {
    const double lhs = derivative([&](double u) { return sde.mean_coef(u); }, t);
    worst = std::max(worst, relative_error(lhs, sde.drift_coef(t) * sde.mean_coef(t)));
  }
  return worst;
}

}  // namespace

TEST_CASE("schedules: m and s solve the moment equations of dx = f·x dt + g dw") {
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp, NoiseKind::ve, NoiseKind::geometric, NoiseKind::edm}) {
    CAPTURE(to_string(kind));
    const Sde sde(noise_of(kind));
    CHECK(mean_equation_error(sde) < kTol);
    CHECK(variance_equation_error(sde, [&](double t) { return sde.std_dev(t); },
                                  [&](double t) { return sde.diffusion(t); }) < kTol);
  }
}

TEST_CASE("schedules: geometric and EDM levels run on the VE SDE over the same σ range") {
  const Sde ve(noise_of(NoiseKind::ve));
  for (NoiseKind kind : {NoiseKind::geometric, NoiseKind::edm}) {
    CAPTURE(to_string(kind));
    const Sde sde(noise_of(kind));
    CHECK(sde.kind() == NoiseKind::ve);
    for (double t : kTimes) {
      CHECK(sde.std_dev(t) == ve.std_dev(t));
      CHECK(sde.diffusion(t) == ve.diffusion(t));
      CHECK(sde.drift_coef(t) == 0.0);
    }
  }
}

TEST_CASE("schedules: the ends: m(0) = 1, s(0) small, s(1) the prior's std") {
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp}) {
    CAPTURE(to_string(kind));
    const Sde sde(noise_of(kind));
    CHECK(sde.mean_coef(0) == 1.0);
    CHECK(sde.std_dev(0) == 0.0);
    CHECK(sde.prior_std() == 1.0);
    // 1 − s(1) is ½e^(−B(1)) (VP) or e^(−B(1)) (sub-VP), B(1) = 10.05: about 2e-5 and 4e-5.
    CHECK(std::abs(sde.std_dev(1) - 1) < 1e-4);
    CHECK(sde.mean_coef(1) < 1e-2);  // e^(−B/2) ≈ 0.0066: the data is forgotten
  }
  const NoiseConfig n = noise_of(NoiseKind::ve);
  const Sde ve(n);
  CHECK(ve.mean_coef(0) == 1.0);
  CHECK(ve.mean_coef(1) == 1.0);
  CHECK(ve.std_dev(0) == doctest::Approx(n.sigma_min).epsilon(1e-12));
  CHECK(ve.std_dev(0) < 1e-3 * ve.prior_std());
  CHECK(ve.prior_std() == n.sigma_max);
  CHECK(ve.std_dev(1) == doctest::Approx(ve.prior_std()).epsilon(1e-12));
}

TEST_CASE("schedules: time_of_std inverts std_dev") {
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp, NoiseKind::ve}) {
    CAPTURE(to_string(kind));
    const Sde sde(noise_of(kind));
    for (double t : {1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 1.0}) {
      CAPTURE(t);
      CHECK(std::abs(sde.time_of_std(sde.std_dev(t)) - t) < 1e-9);
    }
  }
}

TEST_CASE("schedules: discrete levels of VP and sub-VP run from t = 1 to the sampling ε with geometric s") {
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::subvp}) {
    for (int levels : {2, 10, 50}) {
      CAPTURE(to_string(kind));
      CAPTURE(levels);
      NoiseConfig n = noise_of(kind);
      n.levels = levels;
      const Sde sde(n);
      const std::vector<NoiseLevel> out = discrete_levels(n);
      REQUIRE(out.size() == size_t(levels));
      CHECK(out.front().t == 1.0);
      CHECK(out.back().t == sde.sampling_eps());
      const double ratio = std::pow(out.back().s / out.front().s, 1.0 / (levels - 1));
      for (size_t i = 0; i < out.size(); ++i) {
        CHECK(out[i].m == doctest::Approx(sde.mean_coef(out[i].t)).epsilon(1e-12));
        CHECK(out[i].s == doctest::Approx(sde.std_dev(out[i].t)).epsilon(1e-12));
        if (i > 0) CHECK(out[i].s / out[i - 1].s == doctest::Approx(ratio).epsilon(1e-9));
      }
    }
  }
}

TEST_CASE("schedules: discrete levels of VE, geometric and EDM span [σ_min, σ_max] at m = 1") {
  for (NoiseKind kind : {NoiseKind::ve, NoiseKind::geometric, NoiseKind::edm}) {
    CAPTURE(to_string(kind));
    const NoiseConfig n = noise_of(kind);
    const std::vector<NoiseLevel> out = discrete_levels(n);
    REQUIRE(out.size() == size_t(n.levels));
    CHECK(out.front().s == doctest::Approx(n.sigma_max).epsilon(1e-12));
    CHECK(out.back().s == doctest::Approx(n.sigma_min).epsilon(1e-12));
    CHECK(out.front().t == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(std::abs(out.back().t) < 1e-12);
    const std::vector<double> sigmas = kind == NoiseKind::edm ? edm_sigmas(n.sigma_max, n.sigma_min, n.levels, n.rho)
                                                              : geometric_sigmas(n.sigma_max, n.sigma_min, n.levels);
    for (size_t i = 0; i < out.size(); ++i) {
      CHECK(out[i].m == 1.0);
      CHECK(out[i].s == sigmas[i]);
      // t is the VE time of the level: the VE SDE passes through σᵢ there.
      CHECK(Sde(n).std_dev(out[i].t) == doctest::Approx(out[i].s).epsilon(1e-12));
    }
  }
}

TEST_CASE("schedules: σ ladders: end points, order, spacing") {
  const std::vector<double> g = geometric_sigmas(20, 0.5, 7);
  REQUIRE(g.size() == 7);
  CHECK(g.front() == 20.0);
  CHECK(g.back() == doctest::Approx(0.5).epsilon(1e-12));
  for (size_t i = 1; i < g.size(); ++i) CHECK(g[i] / g[i - 1] == doctest::Approx(std::pow(0.5 / 20, 1.0 / 6)).epsilon(1e-12));

  const std::vector<double> e = edm_sigmas(80, 0.002, 18, 7);
  REQUIRE(e.size() == 18);
  CHECK(e.front() == doctest::Approx(80).epsilon(1e-12));
  CHECK(e.back() == doctest::Approx(0.002).epsilon(1e-12));
  for (size_t i = 1; i < e.size(); ++i) CHECK(e[i] < e[i - 1]);
  // ρ = 7 spends its steps at low noise yet still takes its largest relative steps there: the ratio
  // between neighbours falls towards σ_min.
  CHECK(e[1] / e[0] > e[17] / e[16]);
  // ρ = 1 is evenly spaced in σ.
  const std::vector<double> lin = edm_sigmas(10, 1, 10, 1);
  for (size_t i = 1; i < lin.size(); ++i) CHECK(lin[i - 1] - lin[i] == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("schedules: the moment check fails a schedule that is wrong") {
  // sub-VP's s is 1 − m², a std (THEORY.md §3); read as a variance (s = √(1 − m²), VP's s) with
  // sub-VP's g, or with a g off by √2, the equation must miss by far more than its tolerance.
  const Sde subvp(noise_of(NoiseKind::subvp)), vp(noise_of(NoiseKind::vp));
  CHECK(variance_equation_error(subvp, [&](double t) { return vp.std_dev(t); },
                                [&](double t) { return subvp.diffusion(t); }) > 100 * kTol);
  CHECK(variance_equation_error(vp, [&](double t) { return vp.std_dev(t); },
                                [&](double t) { return std::sqrt(2.0) * vp.diffusion(t); }) > 100 * kTol);
}
