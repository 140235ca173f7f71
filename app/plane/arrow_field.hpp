// Geometry of the score-field layer: where the arrows stand (a grid over the visible box, aligned to
// multiples of the spacing so arrows do not swim while panning) and the shape of each arrow.
// Pure math, no GL: tested in tests/app/test_arrow_field.cpp.
#pragma once

#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"

namespace scorelab {

// Cell centres (k + ½)·spacing covering `visible` (plus one cell of margin): (2, N), row by row
// from the bottom. At most max_points (the spacing is doubled until it fits). spacing > 0.
Points arrow_grid(const Bounds2& visible, double spacing, Eigen::Index max_points = 20000);

// The same lattice as numbers: point (i, j), i < nx, j < ny, is origin + (i, j)·spacing, point
// j·nx + i of arrow_grid(). nx = ny = 0 when the box is empty or spacing ≤ 0.
struct ArrowLattice {
  Eigen::Index nx = 0, ny = 0;
  Vec2 origin{0.0, 0.0};
  double spacing = 0.0;
};
ArrowLattice arrow_lattice(const Bounds2& visible, double spacing, Eigen::Index max_points = 20000);

// An arrow's on-screen length in world units: max_length·min(1, |v|/reference), or max_length for
// every finite non-zero v when normalised (direction only). 0 for non-finite or zero v.
double arrow_length(double magnitude, double reference, double max_length, bool normalise);

// An arrow of `length` along v, centred on `center` (so a grid of them reads as a field, not as
// rays from the grid points), with a head of two barbs at ±25° of head_fraction·length.
struct ArrowShape {
  Vec2 tail, tip, barb_left, barb_right;
};
ArrowShape arrow_shape(const Vec2& center, const Vec2& v, double length, double head_fraction = 0.35);

// The colour of a field of magnitude |s|: arrow_color_map(theme) (viridis, lifted on the dark plane,
// deepened on the light one) at 0.15 + 0.85·min(1, |s|/reference), with the given alpha.
// reference ≤ 0 counts as 1e-12.
Rgba magnitude_color(double magnitude, double reference, float alpha, Theme theme);

// One arrow as the three segments the field layer draws (shaft tail → tip, then the two barbs),
// with its colour; length 0 (a zero or non-finite field) gives visible = false. The GPU twin is
// shaders/score_field.comp (FIELD_ARROWS), tested against this in tests/gpu/test_gpu_field_arrows.cpp.
struct ArrowParams {
  double max_length = 1.0;  // world units
  double reference = 1.0;   // |s| of a full-length arrow (and of the top colour)
  bool normalise = false;
  float width_px = 1.6f;
  float alpha = 0.9f;
  Theme theme = Theme::dark;  // picks the colour map (arrow_color_map)
};
struct ArrowSegments {
  Vec2 from[3], to[3];
  Rgba color;
  bool visible = false;
};
ArrowSegments arrow_segments(const Vec2& center, const Vec2& v, const ArrowParams& p);

// A robust scale for arrow lengths and colours: the q-quantile of the
// finite column norms of v: (2, N). 0 when none is finite.
double magnitude_quantile(const Points& v, double q);

}  // namespace scorelab
