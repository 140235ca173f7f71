// Noise-panel plot data: the curves follow THEORY.md §3 at the end points and SNR falls with t.
#include <doctest/doctest.h>

#include <cmath>

#include "app/gui/schedule_plot.hpp"

using namespace scorelab;

TEST_CASE("VP: m(t) = exp(-B/2), s = sqrt(1 - m^2), SNR decreasing from eps to 1") {
  NoiseConfig c;  // VP, beta 0.1..20
  const SchedulePlot p = schedule_plot(c, 50);
  REQUIRE(p.t.size() == 50);
  CHECK(p.t.front() == doctest::Approx(1e-3));
  CHECK(p.t.back() == doctest::Approx(1.0));
  const double b1 = 0.1 + 0.5 * (20.0 - 0.1);  // B(1) = β_min + ½(β_max − β_min)
  CHECK(p.m.back() == doctest::Approx(std::exp(-0.5 * b1)).epsilon(1e-5));
  CHECK(p.s.back() == doctest::Approx(std::sqrt(1.0 - std::exp(-b1))).epsilon(1e-5));
  for (size_t i = 1; i < p.t.size(); ++i) CHECK(p.log_snr[i] < p.log_snr[i - 1]);
}

TEST_CASE("VE: m = 1 and s(t) = sigma_min (sigma_max/sigma_min)^t") {
  NoiseConfig c;
  c.kind = NoiseKind::ve;
  c.sigma_min = 0.01;
  c.sigma_max = 10.0;
  const SchedulePlot p = schedule_plot(c, 11);
  for (size_t i = 0; i < p.t.size(); ++i) {
    CHECK(p.m[i] == doctest::Approx(1.0));
    CHECK(p.s[i] == doctest::Approx(0.01 * std::pow(1000.0, p.t[i])).epsilon(1e-4));
  }
  c.sigma_max = -1.0;
  CHECK_THROWS_AS(schedule_plot(c, 10), InputError);
}
