#include "app/plane/view_transform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scorelab {

void Bounds2::include(const Vec2& p) {
  if (empty()) {  // the first point: min/max start inverted
    min = p;
    max = p;
    return;
  }
  min = min.cwiseMin(p);
  max = max.cwiseMax(p);
}

void Bounds2::include(const Bounds2& b) {
  if (b.empty()) return;
  include(b.min);
  include(b.max);
}

Bounds2 bounds_of(const Points& x) {
  Bounds2 b;
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    if (std::isfinite(x(0, i)) && std::isfinite(x(1, i))) b.include(Vec2(x(0, i), x(1, i)));
  }
  return b;
}

Vec2 ViewTransform::world_to_screen(const Vec2& world) const {
  const Vec2 d = (world - center) * pixels_per_unit;
  return {0.5 * viewport.x() + d.x(), 0.5 * viewport.y() - d.y()};
}

Vec2 ViewTransform::screen_to_world(const Vec2& screen) const {
  const Vec2 d{screen.x() - 0.5 * viewport.x(), 0.5 * viewport.y() - screen.y()};
  return center + d / pixels_per_unit;
}

Bounds2 ViewTransform::visible() const {
  Bounds2 b;
  b.include(screen_to_world({0.0, viewport.y()}));  // bottom-left
  b.include(screen_to_world({viewport.x(), 0.0}));  // top-right
  return b;
}

void pan_by_pixels(ViewTransform& view, const Vec2& delta) {
  view.center -= Vec2(delta.x(), -delta.y()) / view.pixels_per_unit;
}

void zoom_about(ViewTransform& view, const Vec2& anchor, double factor) {
  if (!(factor > 0.0) || !std::isfinite(factor)) return;
  const Vec2 world_at_anchor = view.screen_to_world(anchor);
  view.pixels_per_unit = std::clamp(view.pixels_per_unit * factor, ViewTransform::kMinPixelsPerUnit,
                                    ViewTransform::kMaxPixelsPerUnit);
  // Move the centre so that world_at_anchor maps back onto the anchor pixel.
  const Vec2 d{anchor.x() - 0.5 * view.viewport.x(), 0.5 * view.viewport.y() - anchor.y()};
  view.center = world_at_anchor - d / view.pixels_per_unit;
}

ViewTransform fit_to_bounds(const Bounds2& bounds, const Vec2& viewport, double margin_fraction) {
  ViewTransform view;
  view.viewport = viewport.cwiseMax(Vec2(1.0, 1.0));
  Bounds2 b = bounds;
  if (b.empty()) b = Bounds2{Vec2(-1.0, -1.0), Vec2(1.0, 1.0)};
  Vec2 size = b.size();
  // A single point or a line: give the flat direction the other one's extent (or one unit).
  const double extent = std::max({size.x(), size.y(), 0.0});
  const double fallback = extent > 0.0 ? extent : 1.0;
  if (size.x() <= 0.0) size.x() = fallback;
  if (size.y() <= 0.0) size.y() = fallback;
  const double usable = std::clamp(1.0 - 2.0 * margin_fraction, 0.05, 1.0);
  const double ppu = std::min(view.viewport.x() * usable / size.x(), view.viewport.y() * usable / size.y());
  view.pixels_per_unit = std::clamp(ppu, ViewTransform::kMinPixelsPerUnit, ViewTransform::kMaxPixelsPerUnit);
  view.center = b.center();
  return view;
}

double nice_tick_step(double min_step) {
  if (!(min_step > 0.0) || !std::isfinite(min_step)) return 1.0;
  const double decade = std::pow(10.0, std::floor(std::log10(min_step)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    // The relative slack absorbs the rounding of pow/log10 (e.g. 0.3 / 0.1 = 2.9999999999999996).
    if (m * decade >= min_step * (1.0 - 1e-12)) return m * decade;
  }
  return 10.0 * decade;
}

std::vector<double> ticks_in(double lo, double hi, double step, int max_count) {
  std::vector<double> ticks;
  if (!(step > 0.0) || !(hi >= lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double first = std::ceil(lo / step);
  const double last = std::floor(hi / step);
  if (last - first + 1.0 > max_count) return ticks;
  // Index-times-step (not repeated addition) so that ticks land exactly on 0 and do not drift.
  for (double k = first; k <= last; k += 1.0) ticks.push_back(k * step);
  return ticks;
}

std::string format_tick(double value, double step) {
  char buf[64];
  if (std::abs(value) < 1e-9 * step) value = 0.0;  // -0 and rounding dust print as "0"
  const double a = std::abs(step);
  if (a >= 1e6 || a < 1e-5) {
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
  }
  // Decimals needed for the step: 5 -> 0, 0.5 -> 1, 0.25 -> 2, 0.05 -> 2.
  int decimals = 0;
  while (decimals < 6 && std::abs(a * std::pow(10.0, decimals) - std::round(a * std::pow(10.0, decimals))) > 1e-6)
    ++decimals;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

}  // namespace scorelab

namespace scorelab {

GridSteps grid_steps(const ViewTransform& view, double min_major_px) {
  GridSteps steps;
  steps.major = nice_tick_step(min_major_px / view.pixels_per_unit);
  const double decade = std::pow(10.0, std::floor(std::log10(steps.major) + 1e-9));
  const double mantissa = std::round(steps.major / decade);  // 1, 2 or 5
  steps.minor = steps.major / (mantissa == 2.0 ? 4.0 : 5.0);
  return steps;
}

}  // namespace scorelab
