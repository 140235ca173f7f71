// Geometry of the score-field layer: where the arrows stand (a grid over the visible box, aligned to
// multiples of the spacing so arrows do not swim while panning) and the shape of each arrow.
// Pure math, no GL: tested in tests/app/test_arrow_field.cpp.
#pragma once

#include "app/render/view_transform.hpp"

namespace scorelab {

// Cell centres (k + ½)·spacing covering `visible` (plus one cell of margin): (2, N), row by row
// from the bottom. At most max_points (the spacing is doubled until it fits). spacing > 0.
Points arrow_grid(const Bounds2& visible, double spacing, Eigen::Index max_points = 20000);

// An arrow's on-screen length in world units: max_length·min(1, |v|/reference), or max_length for
// every finite non-zero v when normalised (direction only). 0 for non-finite or zero v.
double arrow_length(double magnitude, double reference, double max_length, bool normalise);

// An arrow of `length` along v, centred on `center` (so a grid of them reads as a field, not as
// rays from the grid points), with a head of two barbs at ±25° of head_fraction·length.
struct ArrowShape {
  Vec2 tail, tip, barb_left, barb_right;
};
ArrowShape arrow_shape(const Vec2& center, const Vec2& v, double length, double head_fraction = 0.35);

// A robust scale for arrow lengths and colours: the q-quantile of the
// finite column norms of v: (2, N). 0 when none is finite.
double magnitude_quantile(const Points& v, double q);

}  // namespace scorelab
