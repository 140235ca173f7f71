// The Noise panel's draggable curves (app/gui/schedule_drag.hpp): pixel ↔ value mapping, handles that
// sit on the curves where THEORY.md §3 puts them, drags that land the curve on the pointer, and clamping
// to the sliders' ranges with σ_min < σ_max and β_min ≤ β_max kept (every result passes validate()).
#include <doctest/doctest.h>

#include <cmath>

#include "app/gui/schedule_drag.hpp"
#include "app/gui/schedule_plot.hpp"

using namespace scorelab;

namespace {

NoiseConfig ve(double lo, double hi) {
  NoiseConfig c;
  c.kind = NoiseKind::ve;
  c.sigma_min = lo;
  c.sigma_max = hi;
  return c;
}

}  // namespace

TEST_CASE("pixel <-> value on a plot rectangle: top is hi, bottom lo, round trip exact") {
  const PlotRect r{10, 20, 210, 120, -4.0, 6.0};
  CHECK(pixel_y(r, 6.0) == doctest::Approx(20));
  CHECK(pixel_y(r, -4.0) == doctest::Approx(120));
  CHECK(pixel_y(r, 1.0) == doctest::Approx(70));
  CHECK(pixel_x(r, 0.0) == doctest::Approx(10));
  CHECK(pixel_x(r, 1.0) == doctest::Approx(210));
  for (double v : {-4.0, -1.3, 0.0, 2.5, 6.0, 9.0}) CHECK(value_at_y(r, pixel_y(r, v)) == doctest::Approx(v));
}

TEST_CASE("the handles sit on the plotted curves at the ends (and EDM's rho in the middle of its levels)") {
  const NoiseConfig c = ve(0.01, 10.0);
  const SchedulePlot p = schedule_plot(c, 100);
  const std::vector<ScheduleHandle> h = schedule_handles(c);
  REQUIRE(h.size() == 2);
  CHECK(h[0].param == ScheduleParam::sigma_min);
  CHECK(h[0].x == 0.0);
  CHECK(h[0].value == doctest::Approx(p.log_snr.front()).epsilon(1e-5));
  CHECK(h[1].param == ScheduleParam::sigma_max);
  CHECK(h[1].value == doctest::Approx(p.log_snr.back()).epsilon(1e-5));
  CHECK(h[1].value == doctest::Approx(-2.0));  // log₁₀ SNR(1) = −2 log₁₀ σ_max

  NoiseConfig vp;  // β 0.1..20
  const std::vector<ScheduleHandle> hv = schedule_handles(vp);
  REQUIRE(hv.size() == 2);
  CHECK(hv[1].param == ScheduleParam::beta_max);
  CHECK(hv[1].value == doctest::Approx(schedule_plot(vp, 100).log_snr.back()).epsilon(1e-5));

  NoiseConfig edm = ve(0.002, 80.0);
  edm.kind = NoiseKind::edm;
  const std::vector<ScheduleHandle> he = schedule_handles(edm);
  REQUIRE(he.size() == 3);
  CHECK(he[2].param == ScheduleParam::rho);
  CHECK(he[2].x == 0.5);
  const std::vector<float> levels = edm_level_curve(edm, 101);
  CHECK(he[2].value == doctest::Approx(levels[50]).epsilon(1e-5));
  CHECK(levels.front() == doctest::Approx(std::log10(80.0)).epsilon(1e-5));
  CHECK(levels.back() == doctest::Approx(std::log10(0.002)).epsilon(1e-4));
}

TEST_CASE("a drag lands the curve on the pointer, for every parameter") {
  NoiseConfig edm = ve(0.01, 20.0);
  edm.kind = NoiseKind::edm;
  NoiseConfig vp, subvp;
  subvp.kind = NoiseKind::subvp;
  struct Case {
    NoiseConfig config;
    ScheduleParam param;
    double delta;  // how far the pointer moves the handle's value
  } cases[] = {{ve(0.01, 10), ScheduleParam::sigma_max, -0.7}, {ve(0.01, 10), ScheduleParam::sigma_min, 0.5},
               {vp, ScheduleParam::beta_max, 1.5},            {vp, ScheduleParam::beta_min, -0.3},
               {subvp, ScheduleParam::beta_max, -1.0},         {edm, ScheduleParam::rho, 0.2}};
  for (const Case& k : cases) {
    const double target = handle_value(k.config, k.param) + k.delta;
    const NoiseConfig moved = drag_param(k.config, k.param, target);
    CAPTURE(param_name(k.param));
    CHECK_NOTHROW(validate(moved));
    CHECK(handle_value(moved, k.param) == doctest::Approx(target).epsilon(1e-7));
    CHECK(param_value(moved, k.param) != doctest::Approx(param_value(k.config, k.param)));
  }
  // The direction is the curve's: raising σ_max's handle (a higher SNR at t = 1) lowers σ_max.
  const NoiseConfig c = ve(0.01, 10);
  CHECK(drag_param(c, ScheduleParam::sigma_max, handle_value(c, ScheduleParam::sigma_max) + 0.5).sigma_max < 10.0);
  // σ_max = 10^(−target/2) exactly for VE.
  CHECK(drag_param(c, ScheduleParam::sigma_max, -3.0).sigma_max == doctest::Approx(std::sqrt(1000.0)).epsilon(1e-7));
}

TEST_CASE("drags clamp to the sliders' ranges and keep sigma_min < sigma_max, beta_min <= beta_max") {
  const NoiseConfig c = ve(0.5, 2.0);
  // σ_min dragged far above σ_max stops just below it.
  const NoiseConfig a = drag_param(c, ScheduleParam::sigma_min, -10.0);  // SNR(ε) that low needs σ_min = 10^5
  CHECK(a.sigma_min < a.sigma_max);
  CHECK(a.sigma_min == doctest::Approx(2.0 / 1.01));
  CHECK_NOTHROW(validate(a));
  // σ_max dragged below σ_min stops just above it; far up, at the slider's 200.
  const NoiseConfig b = drag_param(c, ScheduleParam::sigma_max, 10.0);
  CHECK(b.sigma_max == doctest::Approx(0.5 * 1.01));
  CHECK(drag_param(c, ScheduleParam::sigma_max, -50.0).sigma_max == doctest::Approx(200.0));
  CHECK(drag_param(c, ScheduleParam::sigma_min, 50.0).sigma_min == doctest::Approx(1e-3));
  // β_max below β_min: clamped to β_min; β_min above β_max: to β_max.
  NoiseConfig vp;
  vp.beta_min = 2.0;
  vp.beta_max = 5.0;
  const NoiseConfig d = drag_param(vp, ScheduleParam::beta_max, 30.0);
  CHECK(d.beta_max == doctest::Approx(2.0));
  CHECK_NOTHROW(validate(d));
  CHECK(drag_param(vp, ScheduleParam::beta_min, -30.0).beta_min == doctest::Approx(5.0));
  CHECK(drag_param(vp, ScheduleParam::beta_max, -30.0).beta_max == doctest::Approx(100.0));
  // ρ within [1, 20]; a value already outside the slider's range stays reachable.
  NoiseConfig edm = ve(0.01, 50);
  edm.kind = NoiseKind::edm;
  CHECK(drag_param(edm, ScheduleParam::rho, 10.0).rho == doctest::Approx(1.0));
  CHECK(drag_param(edm, ScheduleParam::rho, -10.0).rho == doctest::Approx(20.0));
  const NoiseConfig wide = ve(0.01, 500);
  CHECK(drag_range(wide, ScheduleParam::sigma_max).hi == 500.0);
  // A target that is not a number changes nothing.
  CHECK(drag_param(c, ScheduleParam::sigma_max, std::nan("")).sigma_max == 2.0);
}
