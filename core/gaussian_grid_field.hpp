// The unnormalised Gaussian KDE of a point set, p̃(u) = Σᵢ exp(−‖u − xᵢ‖²/(2s²)), and its gradient, on
// a lattice of nodes h = s/nodes_per_s apart, for the ideal score at large s where a query's
// truncated sum (core/point_grid.hpp) would still visit thousands of points.
//
// Build (once per noise level, cost independent of the number of queries):
//   1. spread each point over the 6 × 6 nodes around it with Lagrange weights ("anterpolation", the
//      transpose of 6-point Lagrange interpolation): the spread measure has the point's moments up to
//      order 5 along each axis, so its blur differs from the point's by O((h/s)⁶);
//   2. blur with the Gaussian and its derivative in separable passes (y, then x): P = p̃, Px, Py at
//      every node;
//   3. a query reads P, Px, Py by 6-point Lagrange interpolation (again O((h/s)⁶)): p̃ and ∇ log p̃.
// Both steps' errors grow like He₆(d/s)·(h/s)⁶ with the distance d from the query to the points that
// carry its weight, so the field is trusted only near the data: EmpiricalScore serves a query from here
// only when its nearest point is within `reach`·s (measured: see tests/core/test_empirical_score.cpp).
#pragma once

#include <vector>

#include "core/types.hpp"

namespace scorelab {

struct GridFieldShape {
  double nodes_per_s = 4;  // s/h: lattice nodes per kernel width
  double reach = 3;        // queries up to reach·s outside the points' box are on the lattice
};

class GaussianGridField {
 public:
  // Nodes and multiply-adds of a build for points in the box [lo, hi] at kernel width s (the cost model
  // of EmpiricalScore; no allocation).
  struct Size {
    long long nx, ny;
    double build_madds;
  };
  static Size size_for(const Vec2& lo, const Vec2& hi, double s, const GridFieldShape& shape);

  // pts: (2, n) inside [lo, hi]; s > 0 in the points' units. The blur passes run on up to `threads`
  // threads (by lattice column; the result does not depend on the count).
  GaussianGridField(const Points& pts, const Vec2& lo, const Vec2& hi, double s, const GridFieldShape& shape,
                    int threads = 1);

  // p̃(u) (a sum of n kernels of peak 1: in (0, n]) and ∇ log p̃(u) (units 1/length); false when u is
  // off the lattice or p̃ there is not positive.
  bool read(const Vec2& u, double& density, Vec2& score) const;
  bool score(const Vec2& u, Vec2& out) const;  // read() without the density

 private:
  void spread(const Points& pts, std::vector<double>& hist) const;
  // Each over lattice columns [x0, x1): blur_y over the columns holding points, blur_x over all.
  void blur_y(const std::vector<double>& hist, std::vector<double>& a, std::vector<double>& b, long long x0,
              long long x1) const;
  void blur_x(const std::vector<double>& a, const std::vector<double>& b, long long x0, long long x1);
  double& at(std::vector<double>& map, long long ix, long long iy) const { return map[ix * ny_ + iy]; }

  double s_, h_;
  Vec2 origin_;                     // position of node (0, 0)
  long long nx_, ny_;               // nodes along x and y; maps are (nx, ny), y contiguous
  long long dx0_, dx1_, dy0_, dy1_; // node ranges that receive points (inclusive)
  int taps_;                        // kernel half-width in nodes
  std::vector<double> kernel_, dkernel_;  // (2·taps + 1): K(j) = exp(−(j h)²/(2s²)), ∂K/∂u = −(j h)/s²·K
  std::vector<double> p_, px_, py_; // (nx·ny): p̃ and its gradient at the nodes
};

}  // namespace scorelab
