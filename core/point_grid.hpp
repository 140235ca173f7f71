// A uniform cell grid over a fixed 2D point set, for the truncated Gaussian sums of the ideal score:
// a query sums only over the points whose weight relative to the nearest one can still matter.
//
// With dᵢ² = ‖u − xᵢ‖² and the nearest point at d_min, weights are wᵢ = exp(−(dᵢ² − d_min²)/(2s²)) ∈ (0, 1]
// (the log-sum-exp shift of core/empirical_score.cpp, so far-away queries stay finite). A point with
// dᵢ² > d_min² + 2s²·cutoff has wᵢ < e^−cutoff; leaving all of them out changes Σwᵢ (≥ 1) by at most
// n·e^−cutoff and the weighted mean by at most n·e^−cutoff·√(2·cutoff)·s. EmpiricalScore picks the cutoff.
#pragma once

#include <vector>

#include "core/types.hpp"

namespace scorelab {

// Weighted sums of one query against the points within its cutoff radius.
struct KernelSums {
  double d2_min = 0;   // squared distance to the nearest point (units of the points, squared)
  double z = 0;        // Σ wᵢ ≥ 1
  Vec2 mean;           // Σ wᵢ xᵢ / z
  double var = 0;      // Σ wᵢ ‖xᵢ − mean‖² / z, only when asked for (else 0)
};

class PointGrid {
 public:
  // pts: (2, n), n ≥ 1, finite. Cells are squares sized for about cell_points points each on average
  // over the bounding box (at most 1024 cells a side).
  explicit PointGrid(const Points& pts, double cell_points = 8.0);

  int size() const { return static_cast<int>(xs_.size()); }
  const Vec2& lo() const { return lo_; }  // bounding box of the points
  const Vec2& hi() const { return hi_; }

  // The layout, for the GPU twin (shaders/ideal_score.glsl): cell (cx, cy) covers
  // lo + [cx, cx + 1)·side × lo.y + [cy, cy + 1)·side and holds points [starts[c], starts[c + 1]).
  double side() const { return side_; }
  int cells_x() const { return nx_; }
  int cells_y() const { return ny_; }
  const std::vector<int>& starts() const { return start_; }
  const std::vector<double>& xs() const { return xs_; }
  const std::vector<double>& ys() const { return ys_; }

  // Exact squared distance from u to the nearest point (rings of cells outward from u's cell).
  double nearest_distance2(const Vec2& u) const;

  // Whether some point lies within distance r of u. Cheap where nearest_distance2 is not: far outside
  // the points' box (answered by the box alone) and when a point is found in the first rings.
  bool any_within(const Vec2& u, double r) const;

  // The sums over every point with dᵢ² ≤ d_min² + 2s²·cutoff (and a few more: whole cell rows are
  // summed, which only adds terms). s > 0: kernel width in the points' units.
  KernelSums kernel_sums(const Vec2& u, double s, double cutoff, bool want_var) const;

  // Points a kernel_sums call visits for a query at a data point with radius r, averaged over up to
  // 64 data points spread through the set: the cost model's estimate of pairs per query.
  double mean_points_within(double r) const;

 private:
  struct RowSpan {
    int begin, end;  // [begin, end) into xs_/ys_
  };
  // Cell rows [y0, y1] and the points of columns [x0, x1] in each, for the box u ± r (clamped).
  template <typename F>
  void for_each_row_span(const Vec2& u, double r, F&& f) const;
  double cell_distance2(const Vec2& u, int cx, int cy) const;  // u to the cell's box, squared
  double nearest_in_cell(const Vec2& u, int cx, int cy, double best) const;
  // Visits the cells of rings r = 0, 1, ... (Chebyshev index distance from u's cell) that lie in the
  // grid, ring by ring, while (r − 1)·side ≤ √limit() (limit re-read each ring); visit(x, y).
  template <typename Visit, typename Limit>
  void for_each_ring_cell(const Vec2& u, Visit&& visit, Limit&& limit) const;

  Vec2 lo_, hi_;
  double side_ = 1, inv_side_ = 1;  // cell side and its inverse
  int nx_ = 1, ny_ = 1;
  std::vector<int> start_;         // (nx·ny + 1): cell c = cy·nx + cx holds points [start_[c], start_[c+1])
  std::vector<double> xs_, ys_;    // (n): the points sorted by cell, row-major, so a row of cells is one span
};

}  // namespace scorelab
