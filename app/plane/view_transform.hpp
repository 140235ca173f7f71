// Floor 2, app/plane/: GL-free plane geometry: this view transform, ellipses, colour maps, arrow
// field, streamlines, density grid, frame history, plane style and the layers' settings. No GL.
//
// The plane view's camera: world coordinates (data units, y up) <-> screen pixels (origin at the
// viewport's top-left corner, y down), with pan, zoom about a point, fit-to-bounds and axis ticks.
// Pure math, no GL: tested in tests/app/test_view_transform.cpp.
#pragma once

#include <string>
#include <vector>

#include "core/types.hpp"

namespace scorelab {

// An axis-aligned box in world units; empty until a point is included.
struct Bounds2 {
  Vec2 min{1.0, 1.0};
  Vec2 max{-1.0, -1.0};

  bool empty() const { return min.x() > max.x() || min.y() > max.y(); }
  void include(const Vec2& p);
  void include(const Bounds2& b);
  Vec2 center() const { return 0.5 * (min + max); }
  Vec2 size() const { return max - min; }
};

// Bounds of the columns of x: (2, N), skipping non-finite points. Empty when none is finite.
Bounds2 bounds_of(const Points& x);

struct ViewTransform {
  Vec2 center{0.0, 0.0};         // world point at the centre of the viewport
  double pixels_per_unit = 50.0;  // zoom; the same in x and y so circles stay round
  Vec2 viewport{800.0, 600.0};    // viewport size in pixels (width, height)

  static constexpr double kMinPixelsPerUnit = 1e-6;
  static constexpr double kMaxPixelsPerUnit = 1e9;

  Vec2 world_to_screen(const Vec2& world) const;
  Vec2 screen_to_world(const Vec2& screen) const;
  Bounds2 visible() const;  // the world rectangle the viewport shows
};

// Drag by delta pixels: the world under the mouse follows the mouse.
void pan_by_pixels(ViewTransform& view, const Vec2& delta);

// Multiplies the zoom by factor (> 1 zooms in) keeping the world point under `anchor` (screen
// pixels) fixed. The zoom is clamped to [kMinPixelsPerUnit, kMaxPixelsPerUnit].
void zoom_about(ViewTransform& view, const Vec2& anchor, double factor);

// The view of `viewport` pixels that shows `bounds` centred, with margin_fraction of the viewport
// left free on each side (0.05 = 5 %). Empty or degenerate bounds get a unit-sized box.
ViewTransform fit_to_bounds(const Bounds2& bounds, const Vec2& viewport, double margin_fraction);

// The smallest "nice" step {1, 2, 5}·10^k that is >= min_step (min_step > 0).
double nice_tick_step(double min_step);

// Multiples of step inside [lo, hi]; at most max_count of them (an empty list beyond that).
std::vector<double> ticks_in(double lo, double hi, double step, int max_count = 1000);

// A tick label with just enough decimals for the step: (2.5, 0.5) -> "2.5", (-3, 1) -> "-3",
// (0.25, 0.05) -> "0.25"; a near-zero value prints as "0"; very large or small steps use %g.
std::string format_tick(double value, double step);

}  // namespace scorelab

namespace scorelab {

// Grid line spacing for a view: major lines at a nice step at least min_major_px pixels apart,
// minor lines subdividing it (1 -> 0.2, 2 -> 0.5, 5 -> 1, times the decade).
struct GridSteps {
  double major = 1.0;
  double minor = 0.2;
};
GridSteps grid_steps(const ViewTransform& view, double min_major_px);

}  // namespace scorelab
