// Colour maps and heatmap colouring: end points, monotone brightness, scales, transparency of NaN.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/plane/arrow_field.hpp"
#include "app/plane/color_map.hpp"

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

TEST_CASE("viridis and the arrows' maps never turn orange (the data colour, as the GUI smoke test defines it)") {
  // Orange: r > 120, r > g + 40, g > b + 25 (8-bit), as in tests/cli/test_gui_smoke.sh.
  for (ColorMapKind kind : {ColorMapKind::viridis, ColorMapKind::viridis_lifted, ColorMapKind::viridis_deep}) {
    for (int i = 0; i <= 100; ++i) {
      const Rgba c = color_map(kind, i / 100.0);
      const bool orange = c.r > 120 / 255.0f && c.r > c.g + 40 / 255.0f && c.g > c.b + 25 / 255.0f;
      CHECK(!orange);
    }
  }
}

TEST_CASE("WCAG contrast: black on white is 21, a colour on itself 1") {
  CHECK(contrast_ratio({0, 0, 0, 1}, {1, 1, 1, 1}) == doctest::Approx(21.0));
  CHECK(contrast_ratio({1, 1, 1, 1}, {0, 0, 0, 1}) == doctest::Approx(21.0));
  CHECK(contrast_ratio({0.3f, 0.6f, 0.2f, 1}, {0.3f, 0.6f, 0.2f, 1}) == doctest::Approx(1.0));
  CHECK(relative_luminance({0.5f, 0.5f, 0.5f, 1}) == doctest::Approx(0.2140).epsilon(1e-3));
}

TEST_CASE("arrow colours keep contrast >= 3:1 against the plane in both themes (projector legibility)") {
  for (Theme theme : {Theme::dark, Theme::light}) {
    CAPTURE(theme == Theme::dark ? "dark" : "light");
    const Rgba bg = plane_palette(theme).background;
    // The whole map, opaque...
    double worst_map = 99.0;
    for (int i = 0; i <= 1000; ++i)
      worst_map = std::min(worst_map, contrast_ratio(color_map(arrow_color_map(theme), i / 1000.0), bg));
    CHECK(worst_map >= 3.0);
    // ...and the arrows as drawn: every magnitude, at the field layer's alpha, over the background.
    const float alpha = ArrowParams{}.alpha;
    double worst_drawn = 99.0;
    for (int i = 0; i <= 1000; ++i) {
      const Rgba c = magnitude_color(i / 800.0, 1.0, alpha, theme);
      const auto over = [&](float f, float b) { return alpha * f + (1 - alpha) * b; };
      const Rgba seen{over(c.r, bg.r), over(c.g, bg.g), over(c.b, bg.b), 1};
      worst_drawn = std::min(worst_drawn, contrast_ratio(seen, bg));
    }
    CHECK(worst_drawn >= 3.0);
    MESSAGE("min contrast, map ", worst_map, ", drawn at alpha ", alpha, ": ", worst_drawn);
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

TEST_CASE("a legend's texels are the image's texels at the same value") {
  const auto byte = [](float c) { return static_cast<uint8_t>(std::lround(c * 255.0f)); };
  const auto check_pixel = [&](const std::vector<uint8_t>& rgba, size_t i, const Rgba& texel) {
    CHECK(rgba[4 * i + 0] == byte(texel.r));
    CHECK(rgba[4 * i + 1] == byte(texel.g));
    CHECK(rgba[4 * i + 2] == byte(texel.b));
    CHECK(rgba[4 * i + 3] == byte(texel.a));
  };
  // A sequential map: values at fractions 0, 0.3, 1 of [lo, hi] and one clipped below lo.
  HeatmapLegend seq;
  seq.lo = -9.0;
  seq.hi = -1.0;
  Scalars v(4);
  v << -9.0, -9.0 + 0.3 * 8.0, -1.0, -30.0;
  const std::vector<uint8_t> image = heatmap_rgba(v, {seq.lo, seq.hi}, seq.map, 0.8f);
  check_pixel(image, 0, legend_texel(seq, 0.0, 0.8f));
  check_pixel(image, 1, legend_texel(seq, 0.3, 0.8f));
  check_pixel(image, 2, legend_texel(seq, 1.0, 0.8f));
  check_pixel(image, 3, legend_texel(seq, 0.0, 0.8f));  // clipped: the low end's colour ("≤ lo")
  // A diverging map over ±2: −2, −1, 0, +2 sit at fractions 0, 1/4, 1/2, 1 of the bar.
  HeatmapLegend div;
  div.diverging = true;
  div.lo = -2.0;
  div.hi = 2.0;
  Scalars d(4);
  d << -2.0, -1.0, 0.0, 2.0;
  const std::vector<uint8_t> signed_image = diverging_rgba(d, 2.0, 1.0f);
  check_pixel(signed_image, 0, legend_texel(div, 0.0, 1.0f));
  check_pixel(signed_image, 1, legend_texel(div, 0.25, 1.0f));
  check_pixel(signed_image, 2, legend_texel(div, 0.5, 1.0f));
  check_pixel(signed_image, 3, legend_texel(div, 1.0, 1.0f));
  // The middle is the quiet one: least opaque; the ends fully opaque at alpha 1.
  CHECK(legend_texel(div, 0.5, 1.0f).a < legend_texel(div, 0.25, 1.0f).a);
  CHECK(legend_texel(div, 1.0, 1.0f).a == doctest::Approx(1.0));
}

// Issue 18 item 7: the score error's colours must compare between pictures. A range per picture
// (error_scale) paints a trained model's 1e-4 errors as hot as an untrained model's 100s; the range
// fixed for the scene does not.
TEST_CASE("the score error's fixed range: a trained model's errors stay low, an untrained one's reach the top") {
  // The error of a network that outputs 0 over a view of a mixture at small noise: ‖∇log pₜ‖² from
  // about 0 to a few hundred (the true score of 8 Gaussians at σ ≈ 0.1 reaches |s| ~ 20).
  const Scalars zero_net = Scalars::LinSpaced(1001, 0.0, 400.0);
  const HeatmapScale fixed = error_scale_for_scene(zero_net);
  CHECK(fixed.lo == 0.0);
  CHECK(fixed.hi == doctest::Approx(kErrorRangeFraction * 396.0));  // ¼ of the 99th percentile
  // A trained model: errors ~1e-4 everywhere → the bottom of the map (first anchor of magma).
  const Scalars trained = Scalars::Constant(50, 1e-4);
  for (Eigen::Index i = 0; i < trained.size(); ++i) CHECK(scale_position(fixed, trained[i]) < 0.01);
  // An untrained model: errors ≥ 100 → the top (clipped, "≥ hi" in the legend).
  const Scalars untrained = Scalars::LinSpaced(50, 100.0, 400.0);
  for (Eigen::Index i = 0; i < untrained.size(); ++i) CHECK(scale_position(fixed, untrained[i]) == 1.0);
  // The texels: the trained picture is faint and dark, the untrained one bright and opaque.
  const std::vector<uint8_t> low = heatmap_rgba(trained, fixed, ColorMapKind::magma, 1.0f);
  const std::vector<uint8_t> high = heatmap_rgba(untrained, fixed, ColorMapKind::magma, 1.0f);
  CHECK(low[0] < 10);   // red channel of magma near 0
  CHECK(high[0] > 240); // pale yellow at the top
  CHECK(low[3] < high[3]);
  // What the per-picture range did (the bug): the trained picture's own 99th percentile is its top.
  CHECK(scale_position(error_scale(trained), 1e-4) == 1.0);
  // Degenerate inputs still give a usable range.
  CHECK(error_scale_for_scene(Scalars::Zero(4)).hi == 1.0);
  CHECK(scale_position(fixed, std::nan("")) == 0.0);
}

TEST_CASE("a soft-masked diverging image fades its alpha, keeps its colour where the weight is 0") {
  Scalars d(3);
  d << 1.0, 1.0, 1.0;
  Scalars w(3);
  w << 1.0, 0.5, 0.0;
  const std::vector<uint8_t> hard = diverging_rgba(d, 2.0, 1.0f);
  const std::vector<uint8_t> soft = diverging_rgba(d, 2.0, 1.0f, w);
  CHECK(soft[3] == hard[3]);
  CHECK(std::abs(soft[7] - hard[7] / 2) <= 1);
  CHECK(soft[11] == 0);
  CHECK(soft[8] == hard[8]);  // the colour stays: linear filtering fades it instead of darkening it
}
