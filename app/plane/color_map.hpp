// Colour maps for magnitudes and densities (perceptually ordered, readable on a projector) and the
// heatmap's value → RGBA conversion. Pure functions, no GL: tested in tests/app/test_color_map.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/plane/plane_style.hpp"
#include "core/types.hpp"

namespace scorelab {

// viridis: dark blue → green → yellow (arrow magnitudes; never orange, so the data stays distinct).
// magma: black → purple → orange → pale yellow (densities and errors, under the data).
// balance: blue → dark grey → red (signed differences; the dark middle sits quietly on the plane).
// viridis_lifted / viridis_deep: viridis with its dark end lightened (for the dark plane) or its light
// end darkened (for the light plane), hue kept, each anchor scaled in linear light to a WCAG relative
// luminance ≥ 0.16 or ≤ 0.20: contrast ≥ 3:1 against that theme's background at every u, so the
// weakest (dark) or the strongest (light) arrows do not vanish on a projector.
enum class ColorMapKind { viridis, magma, balance, viridis_lifted, viridis_deep };

// The map at u, clamped to [0, 1]; NaN maps to 0. Opaque.
Rgba color_map(ColorMapKind kind, double u);

// The nine anchors (u = 0, 1/8, ..., 1; sRGB) that color_map() interpolates linearly: GPU twins
// upload them instead of keeping a copy.
using ColorMapAnchors = float[9][3];
const ColorMapAnchors& color_map_anchors(ColorMapKind kind);

// The map the score field's arrows and streamlines use on the plane of `theme`.
ColorMapKind arrow_color_map(Theme theme);

// WCAG 2 relative luminance of an sRGB colour (alpha ignored) and the contrast ratio of two colours,
// (L_lighter + 0.05) / (L_darker + 0.05), from 1 to 21.
double relative_luminance(const Rgba& c);
double contrast_ratio(const Rgba& a, const Rgba& b);

// The value at quantile q ∈ [0, 1] of the finite entries of v (nearest rank); 0 when none is finite.
double finite_quantile(const Scalars& v, double q);

// How a heatmap's values map to [0, 1] before colouring.
struct HeatmapScale {
  double lo = 0.0;  // maps to 0
  double hi = 1.0;  // maps to 1
};

// Log-densities: the top `range_nats` nats below the largest finite value (lower values clip to 0),
// so the picture shows the modes and their shoulders instead of the far tails.
HeatmapScale log_density_scale(const Scalars& log_p, double range_nats);
// Non-negative errors: 0 to the 99th percentile (a few hot cells must not wash out the rest).
// A range per picture: only for a user who unlocks the fixed range (error_scale_for_scene).
HeatmapScale error_scale(const Scalars& err);

// The score error's range fixed for a scene, so that pictures compare: 0 … a quarter of the 99th
// percentile of `zero_net_error`, the error a network that outputs 0 would make (‖∇log pₜ‖², × pₜ
// when weighted) over the view. The top colour is an error of half the true score's size: an
// untrained network (≈ 0, or worse) reaches it, a trained one (errors ~1e-4) stays at the bottom.
// The factor is a stated rule, not a fit: see kErrorRangeFraction.
inline constexpr double kErrorRangeFraction = 0.25;  // (½·|∇log pₜ|)²
HeatmapScale error_scale_for_scene(const Scalars& zero_net_error);
// Where `value` falls in `scale`, clamped to [0, 1] (the heatmap's colour coordinate).
double scale_position(const HeatmapScale& scale, double value);

// values: (w·h) row-major, row 0 at the bottom (GL texture order) → RGBA8 (4·w·h bytes). Alpha
// ramps with u (alpha·(0.25 + 0.75·u)) so low values let the grid show through; non-finite → clear.
std::vector<uint8_t> heatmap_rgba(const Scalars& values, const HeatmapScale& scale, ColorMapKind kind,
                                  float alpha);

// Signed values (e.g. a log-density difference) on the balance map: −half_range → blue, 0 → dark,
// +half_range → red, clamped. Alpha ramps with |value|/half_range (alpha·(0.2 + 0.8·|u|)) so values
// near 0 stay faint; non-finite → clear. half_range > 0.
std::vector<uint8_t> diverging_rgba(const Scalars& values, double half_range, float alpha);
// The same with each texel's alpha times weight[i] ∈ [0, 1] (a soft mask: a hard NaN mask leaves the
// cells' staircase at its edge). Cells with a zero weight keep their colour, so linear filtering
// between them and their neighbours fades instead of darkening. weight.size() == values.size().
std::vector<uint8_t> diverging_rgba(const Scalars& values, double half_range, float alpha, const Scalars& weight);

// The texels those two write (straight alpha), for u ∈ [0, 1] and for signed u ∈ [−1, 1].
Rgba heatmap_texel(ColorMapKind kind, double u, float alpha);
Rgba diverging_texel(double u, float alpha);

// What a heatmap image shows, for the legend drawn beside it: the bar runs from lo to hi.
struct HeatmapLegend {
  std::string title;  // the quantity, e.g. "log pₜ(x)  [nats]"
  double lo = 0.0, hi = 1.0;
  bool diverging = false;  // the balance map, lo = −hi (diverging_rgba); else `map` (heatmap_rgba)
  ColorMapKind map = ColorMapKind::magma;
  bool clipped_low = false;  // values below lo exist and show as lo's colour ("≤ lo")
  bool clipped_high = false;
  std::string note;  // under the bar, e.g. "range fixed for this scene"; "" for none
};

// The texel the image has where the value is lo + f·(hi − lo), f ∈ [0, 1].
Rgba legend_texel(const HeatmapLegend& legend, double f, float alpha);

}  // namespace scorelab
