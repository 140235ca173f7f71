// Streamlines of the score field: curves everywhere tangent to s(x), traced from a seed grid with
// RK2 (midpoint) steps of fixed length along the normalised field, so a line's shape shows where
// the score points and its colour shows |s|. All lines advance in lockstep, so every step asks the
// field for one batch of points (a network evaluates a batch far faster than single points).
// Pure math, no GL: tested in tests/app/test_streamlines.cpp.
#pragma once

#include <functional>
#include <vector>

#include "app/plane/view_transform.hpp"

namespace scorelab {

// The field at x: (2, N) → v: (2, N), resized by the callee.
using VectorFieldFn = std::function<void(const Points& x, Points& v)>;

struct StreamlineOptions {
  double step = 0.05;        // world length of one RK2 step (> 0)
  double max_length = 2.0;   // world length at which a line stops
  int max_points = 64;       // vertices per line, seed included (≥ 2)
  int max_lines = 300;       // seeds beyond this are ignored
  double min_speed = 0.0;    // a line stops where |s| < min_speed (just short of a mode, not in it)
};

struct Streamline {
  std::vector<Vec2> points;    // the seed first, then one vertex per step
  std::vector<double> speed;   // |s| at each vertex (same size as points)
};

// Traces one line per seed column (2, N) forward along s until it leaves `box` (the last vertex is
// then the crossing point on the boundary), reaches max_length or max_points, meets |s| = 0 or a
// non-finite value, falls below min_speed, or overshoots a sink (the direction turns by more than 90° within a step: the
// line stops at the sink instead of zig-zagging through it). Lines with fewer than 2 vertices are
// dropped. Deterministic: the same inputs give the same lines.
std::vector<Streamline> trace_streamlines(const VectorFieldFn& field, const Bounds2& box, const Points& seeds,
                                          const StreamlineOptions& options);

// About `count` seeds over `box`: a lattice of cells (k + ½)·spacing aligned to world multiples (so
// lines do not swim while panning), each seed moved inside its cell by a fixed hash of its lattice
// index (a regular grid draws visible stripes). At most `count` seeds; (2, N).
Points streamline_seeds(const Bounds2& box, int count);

}  // namespace scorelab
