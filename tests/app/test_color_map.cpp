// Colour maps and heatmap colouring: end points, monotone brightness, scales, transparency of NaN.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "app/render/color_map.hpp"

using namespace scorelab;

namespace {
double luminance(const Rgba& c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; }
}  // namespace

TEST_CASE("colour maps: dark at 0, bright at 1, brightness increasing, clamped outside [0, 1]") {
  for (ColorMapKind kind : {ColorMapKind::viridis, ColorMapKind::magma}) {
    CHECK(luminance(color_map(kind, 0.0)) < 0.2);
    CHECK(luminance(color_map(kind, 1.0)) > 0.8);
    double previous = -1.0;
    for (int i = 0; i <= 64; ++i) {
      const double l = luminance(color_map(kind, i / 64.0));
      CHECK(l > previous);
      previous = l;
    }
    CHECK(color_map(kind, -3.0).r == color_map(kind, 0.0).r);
    CHECK(color_map(kind, 7.0).g == color_map(kind, 1.0).g);
    CHECK(color_map(kind, std::nan("")).b == color_map(kind, 0.0).b);
  }
}

TEST_CASE("viridis never turns orange (the data colour, as the GUI smoke test defines it)") {
  // Orange: r > 120, r > g + 40, g > b + 25 (8-bit), as in tests/cli/test_gui_smoke.sh.
  for (int i = 0; i <= 100; ++i) {
    const Rgba c = color_map(ColorMapKind::viridis, i / 100.0);
    const bool orange = c.r > 120 / 255.0f && c.r > c.g + 40 / 255.0f && c.g > c.b + 25 / 255.0f;
    CHECK(!orange);
  }
}

TEST_CASE("finite_quantile ignores NaN and Inf and picks the nearest rank") {
  Scalars v(7);
  v << 5, std::nan(""), 1, std::numeric_limits<double>::infinity(), 3, 2, 4;
  CHECK(finite_quantile(v, 0.0) == 1.0);
  CHECK(finite_quantile(v, 1.0) == 5.0);
  CHECK(finite_quantile(v, 0.5) == 3.0);
  CHECK(finite_quantile(Scalars::Constant(3, std::nan("")), 0.5) == 0.0);
}

TEST_CASE("heatmap scales and colouring") {
  Scalars log_p(4);
  log_p << -20, -3, -1, std::nan("");
  const HeatmapScale s = log_density_scale(log_p, 8.0);
  CHECK(s.hi == -1.0);
  CHECK(s.lo == -9.0);
  const std::vector<uint8_t> rgba = heatmap_rgba(log_p, s, ColorMapKind::magma, 1.0f);
  REQUIRE(rgba.size() == 16);
  // Clipped low value: the map's first colour at the faintest alpha; the top: full alpha.
  CHECK(rgba[3] == static_cast<uint8_t>(std::lround(0.25 * 255)));
  CHECK(rgba[11] == 255);
  CHECK(rgba[15] == 0);  // NaN is transparent
  CHECK(rgba[4] < rgba[8]);  // brighter red channel higher up the magma map
  Scalars err = Scalars::LinSpaced(101, 0.0, 100.0);
  const HeatmapScale e = error_scale(err);
  CHECK(e.lo == 0.0);
  CHECK(e.hi == 99.0);
  CHECK(error_scale(Scalars::Zero(5)).hi == 1.0);  // all-zero errors: a valid, non-empty range
}
