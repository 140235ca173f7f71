// The pinned mode-weight bars (issue 18 item 10): the particles' share per mixture component beside
// πₖ, non-finite particles left out, large populations subsampled, and the recount throttle.
#include <doctest/doctest.h>

#include "app/plane/mode_weight_bars.hpp"

using namespace scorelab;

namespace {
GaussianMixture two_modes() {
  return GaussianMixture({{0.2, Vec2(-5.0, 0.0), Mat2::Identity()}, {0.8, Vec2(5.0, 0.0), Mat2::Identity()}});
}
}  // namespace

TEST_CASE("mode_weight_bars: shares of the particles per most responsible component, beside the true weights") {
  Points x(2, 5);
  x << -5.1, -4.0, 4.5, 5.0, 6.0, 0.1, 0.0, -0.2, 0.3, 1.0;  // 2 left, 3 right
  const ModeWeightBars bars = mode_weight_bars(two_modes(), x, Theme::dark);
  REQUIRE(bars.share.size() == 2);
  REQUIRE(bars.truth.size() == 2);
  REQUIRE(bars.colors.size() == 2);
  CHECK(bars.share[0] == doctest::Approx(0.4));
  CHECK(bars.share[1] == doctest::Approx(0.6));
  CHECK(bars.truth[0] == doctest::Approx(0.2));
  CHECK(bars.truth[1] == doctest::Approx(0.8));
  CHECK(bars.particles == 5);
  CHECK(bars.colors[0].r == doctest::Approx(component_color(0, Theme::dark).r));
}

TEST_CASE("mode_weight_bars: non-finite particles are not counted; none at all gives zero shares") {
  Points x(2, 3);
  x << -5.0, std::nan(""), 5.0, 0.0, 0.0, 0.0;
  const ModeWeightBars bars = mode_weight_bars(two_modes(), x, Theme::light);
  CHECK(bars.particles == 2);
  CHECK(bars.share[0] == doctest::Approx(0.5));
  const ModeWeightBars none = mode_weight_bars(two_modes(), Points(2, 0), Theme::light);
  CHECK(none.particles == 0);
  CHECK(none.share == std::vector<double>{0.0, 0.0});
}

TEST_CASE("mode_weight_bars: a large population is subsampled to at most kModeBarSample particles") {
  const long n = 3 * kModeBarSample + 7;
  Points x(2, n);
  for (long j = 0; j < n; ++j) x.col(j) = Vec2(j % 5 == 0 ? -5.0 : 5.0, 0.0);  // every 5th on the left
  const ModeWeightBars bars = mode_weight_bars(two_modes(), x, Theme::dark);
  CHECK(bars.particles <= kModeBarSample);
  CHECK(bars.particles >= kModeBarSample / 2);
  CHECK(bars.share[0] == doctest::Approx(0.2).epsilon(0.02));
}

TEST_CASE("mode_bars_due: at most every 0.25 s (or 3x the count's cost) while the particles move") {
  CHECK_FALSE(mode_bars_due(false, 10.0, 0.0, false));  // nothing moved
  CHECK_FALSE(mode_bars_due(true, 0.1, 0.0, false));
  CHECK(mode_bars_due(true, 0.3, 0.0, false));
  CHECK_FALSE(mode_bars_due(true, 0.3, 0.2, false));  // a dear count (a GPU download): 0.6 s apart
  CHECK(mode_bars_due(true, 0.7, 0.2, false));
  CHECK(mode_bars_due(true, 0.0, 0.2, true));  // an export counts every moved frame
  CHECK_FALSE(mode_bars_due(false, 0.0, 0.2, true));
}
