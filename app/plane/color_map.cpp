#include "app/plane/color_map.hpp"

#include <algorithm>
#include <cmath>

namespace scorelab {
namespace {

// Nine anchors at u = 0, 1/8, ..., 1, interpolated linearly (sRGB), sampled from matplotlib's maps.
constexpr float kViridis[9][3] = {{0.267f, 0.005f, 0.329f}, {0.279f, 0.175f, 0.483f}, {0.230f, 0.322f, 0.546f},
                                  {0.173f, 0.449f, 0.558f}, {0.128f, 0.567f, 0.551f}, {0.154f, 0.681f, 0.504f},
                                  {0.361f, 0.786f, 0.388f}, {0.667f, 0.862f, 0.196f}, {0.993f, 0.906f, 0.144f}};
constexpr float kMagma[9][3] = {{0.001f, 0.000f, 0.014f}, {0.113f, 0.065f, 0.277f}, {0.317f, 0.071f, 0.485f},
                                {0.513f, 0.148f, 0.508f}, {0.716f, 0.215f, 0.475f}, {0.904f, 0.314f, 0.392f},
                                {0.986f, 0.537f, 0.382f}, {0.996f, 0.765f, 0.534f}, {0.987f, 0.991f, 0.750f}};

// Blue → dark grey → red, after cmocean's "balance" with its light middle replaced by a dark one.
constexpr float kBalance[9][3] = {{0.157f, 0.420f, 0.965f}, {0.180f, 0.353f, 0.757f}, {0.176f, 0.278f, 0.545f},
                                  {0.161f, 0.196f, 0.337f}, {0.150f, 0.150f, 0.160f}, {0.353f, 0.161f, 0.165f},
                                  {0.573f, 0.180f, 0.169f}, {0.788f, 0.227f, 0.180f}, {0.980f, 0.322f, 0.216f}};

// viridis's anchors scaled in linear light to a relative luminance of at least 0.16 (u ≤ 3/8;
// the rest unchanged) and of at most 0.20 (u ≥ 1/2): see ColorMapKind.
constexpr float kViridisLifted[9][3] = {{0.728f, 0.042f, 0.878f}, {0.505f, 0.331f, 0.847f}, {0.310f, 0.428f, 0.715f},
                                        {0.182f, 0.468f, 0.581f}, {0.128f, 0.567f, 0.551f}, {0.154f, 0.681f, 0.504f},
                                        {0.361f, 0.786f, 0.388f}, {0.667f, 0.862f, 0.196f}, {0.993f, 0.906f, 0.144f}};
constexpr float kViridisDeep[9][3] = {{0.267f, 0.005f, 0.329f}, {0.279f, 0.175f, 0.483f}, {0.230f, 0.322f, 0.546f},
                                      {0.173f, 0.449f, 0.558f}, {0.120f, 0.539f, 0.524f}, {0.116f, 0.549f, 0.404f},
                                      {0.243f, 0.547f, 0.262f}, {0.402f, 0.526f, 0.104f}, {0.539f, 0.489f, 0.058f}};

double linear(float c) { return c <= 0.04045f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

}  // namespace

const ColorMapAnchors& color_map_anchors(ColorMapKind kind) {
  switch (kind) {
    case ColorMapKind::viridis: return kViridis;
    case ColorMapKind::magma: return kMagma;
    case ColorMapKind::balance: return kBalance;
    case ColorMapKind::viridis_lifted: return kViridisLifted;
    case ColorMapKind::viridis_deep: return kViridisDeep;
  }
  return kViridis;
}

ColorMapKind arrow_color_map(Theme theme) {
  return theme == Theme::dark ? ColorMapKind::viridis_lifted : ColorMapKind::viridis_deep;
}

double relative_luminance(const Rgba& c) { return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b); }

double contrast_ratio(const Rgba& a, const Rgba& b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Rgba color_map(ColorMapKind kind, double u) {
  if (!(u > 0.0)) u = 0.0;  // also NaN
  u = std::min(u, 1.0);
  const ColorMapAnchors& table = color_map_anchors(kind);
  const double x = u * 8.0;
  const int i = std::min(static_cast<int>(x), 7);
  const float f = static_cast<float>(x - i);
  const auto mix = [&](int c) { return table[i][c] + f * (table[i + 1][c] - table[i][c]); };
  return {mix(0), mix(1), mix(2), 1.0f};
}

double finite_quantile(const Scalars& v, double q) {
  std::vector<double> finite;
  finite.reserve(static_cast<size_t>(v.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (std::isfinite(v[i])) finite.push_back(v[i]);
  if (finite.empty()) return 0.0;
  const double clamped = std::clamp(q, 0.0, 1.0);
  const auto k = static_cast<size_t>(std::lround(clamped * static_cast<double>(finite.size() - 1)));
  std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(k), finite.end());
  return finite[k];
}

HeatmapScale log_density_scale(const Scalars& log_p, double range_nats) {
  const double top = finite_quantile(log_p, 1.0);
  return {top - range_nats, top};
}

HeatmapScale error_scale(const Scalars& err) {
  const double hi = finite_quantile(err, 0.99);
  return {0.0, hi > 0.0 ? hi : 1.0};
}

HeatmapScale error_scale_for_scene(const Scalars& zero_net_error) {
  const double hi = kErrorRangeFraction * finite_quantile(zero_net_error, 0.99);
  return {0.0, hi > 0.0 && std::isfinite(hi) ? hi : 1.0};
}

double scale_position(const HeatmapScale& scale, double value) {
  const double span = scale.hi > scale.lo ? scale.hi - scale.lo : 1.0;
  const double u = (value - scale.lo) / span;
  return std::isfinite(u) ? std::clamp(u, 0.0, 1.0) : (u > 0.0 ? 1.0 : 0.0);
}

Rgba heatmap_texel(ColorMapKind kind, double u, float alpha) {
  u = std::clamp(u, 0.0, 1.0);
  Rgba c = color_map(kind, u);
  c.a = alpha * static_cast<float>(0.25 + 0.75 * u);
  return c;
}

Rgba diverging_texel(double u, float alpha) {
  u = std::clamp(u, -1.0, 1.0);
  Rgba c = color_map(ColorMapKind::balance, 0.5 + 0.5 * u);
  c.a = alpha * static_cast<float>(0.2 + 0.8 * std::abs(u));
  return c;
}

Rgba legend_texel(const HeatmapLegend& legend, double f, float alpha) {
  f = std::clamp(f, 0.0, 1.0);
  return legend.diverging ? diverging_texel(2.0 * f - 1.0, alpha) : heatmap_texel(legend.map, f, alpha);
}

namespace {

// values → texels (non-finite: transparent), 4 bytes each.
template <typename Texel>
std::vector<uint8_t> to_rgba(const Scalars& values, Texel&& texel) {
  std::vector<uint8_t> rgba(static_cast<size_t>(values.size()) * 4, 0);
  const auto byte = [](float c) { return static_cast<uint8_t>(std::lround(std::clamp(c, 0.0f, 1.0f) * 255.0f)); };
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) continue;
    const Rgba c = texel(values[i]);
    uint8_t* px = &rgba[static_cast<size_t>(i) * 4];
    px[0] = byte(c.r);
    px[1] = byte(c.g);
    px[2] = byte(c.b);
    px[3] = byte(c.a);
  }
  return rgba;
}

}  // namespace

std::vector<uint8_t> heatmap_rgba(const Scalars& values, const HeatmapScale& scale, ColorMapKind kind,
                                  float alpha) {
  const double span = scale.hi > scale.lo ? scale.hi - scale.lo : 1.0;
  return to_rgba(values, [&](double v) { return heatmap_texel(kind, (v - scale.lo) / span, alpha); });
}

std::vector<uint8_t> diverging_rgba(const Scalars& values, double half_range, float alpha) {
  const double h = half_range > 0.0 ? half_range : 1.0;
  return to_rgba(values, [&](double v) { return diverging_texel(v / h, alpha); });
}

std::vector<uint8_t> diverging_rgba(const Scalars& values, double half_range, float alpha, const Scalars& weight) {
  std::vector<uint8_t> rgba = diverging_rgba(values, half_range, alpha);
  for (Eigen::Index i = 0; i < values.size() && i < weight.size(); ++i) {
    const double w = std::isfinite(weight[i]) ? std::clamp(weight[i], 0.0, 1.0) : 0.0;
    uint8_t& a = rgba[static_cast<size_t>(i) * 4 + 3];
    a = static_cast<uint8_t>(std::lround(a * w));
  }
  return rgba;
}

}  // namespace scorelab
