#include "core/point_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace scorelab {

namespace {

constexpr int kMaxCellsPerSide = 1024;

// A cell index along one axis as a 64-bit integer: far-away queries (1e6 units out) stay exact,
// absurd ones (1e300, ±inf) clamp instead of overflowing, and NaN maps to 0 (its sums come out NaN,
// as the full sum's do).
long long cell_index(double coordinate, double lo, double inv_side) {
  const double f = std::floor((coordinate - lo) * inv_side);
  if (std::isnan(f)) return 0;
  return static_cast<long long>(std::clamp(f, -1e12, 1e12));
}

}  // namespace

PointGrid::PointGrid(const Points& pts, double cell_points) {
  const Eigen::Index n = pts.cols();
  lo_ = pts.rowwise().minCoeff();
  hi_ = pts.rowwise().maxCoeff();
  const Vec2 extent = hi_ - lo_;
  const double area = extent.x() * extent.y(), longest = extent.maxCoeff();
  // About cell_points points per cell on average over the box; a set on a line or a single point
  // gets cells along its extent (or one cell of side 1).
  double side = area > 0 ? std::sqrt(cell_points * area / double(n)) : longest * cell_points / double(n);
  side = std::max(side, longest / kMaxCellsPerSide);
  if (!(side > 0)) side = 1;
  side_ = side;
  inv_side_ = 1 / side;
  nx_ = static_cast<int>(std::min<long long>(cell_index(hi_.x(), lo_.x(), inv_side_) + 1, kMaxCellsPerSide));
  ny_ = static_cast<int>(std::min<long long>(cell_index(hi_.y(), lo_.y(), inv_side_) + 1, kMaxCellsPerSide));

  // Counting sort by cell, row-major: cell c = cy·nx + cx.
  std::vector<int> cell(n);
  start_.assign(size_t(nx_) * ny_ + 1, 0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const long long cx = std::min<long long>(cell_index(pts(0, i), lo_.x(), inv_side_), nx_ - 1);
    const long long cy = std::min<long long>(cell_index(pts(1, i), lo_.y(), inv_side_), ny_ - 1);
    cell[i] = static_cast<int>(cy * nx_ + cx);
    ++start_[cell[i] + 1];
  }
  std::partial_sum(start_.begin(), start_.end(), start_.begin());
  std::vector<int> next(start_.begin(), start_.end() - 1);
  xs_.resize(n);
  ys_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int at = next[cell[i]]++;
    xs_[at] = pts(0, i);
    ys_[at] = pts(1, i);
  }
}

double PointGrid::cell_distance2(const Vec2& u, int cx, int cy) const {
  const double x0 = lo_.x() + cx * side_, y0 = lo_.y() + cy * side_;
  const double dx = std::max({x0 - u.x(), u.x() - (x0 + side_), 0.0});
  const double dy = std::max({y0 - u.y(), u.y() - (y0 + side_), 0.0});
  return dx * dx + dy * dy;
}

double PointGrid::nearest_in_cell(const Vec2& u, int cx, int cy, double best) const {
  const int c = cy * nx_ + cx;
  for (int i = start_[c]; i < start_[c + 1]; ++i) {
    const double dx = xs_[i] - u.x(), dy = ys_[i] - u.y();
    best = std::min(best, dx * dx + dy * dy);
  }
  return best;
}

template <typename Visit, typename Limit>
void PointGrid::for_each_ring_cell(const Vec2& u, Visit&& visit, Limit&& limit) const {
  const long long cx = cell_index(u.x(), lo_.x(), inv_side_), cy = cell_index(u.y(), lo_.y(), inv_side_);
  // Every cell of ring r is at least (r − 1)·side from u: past that bound nothing nearer remains.
  const long long out_x = std::max({0LL, -cx, cx - (nx_ - 1)}), out_y = std::max({0LL, -cy, cy - (ny_ - 1)});
  const long long r_first = std::max(out_x, out_y);
  const long long r_last = std::max({cx, nx_ - 1 - cx, cy, ny_ - 1 - cy});
  auto in_grid = [&](long long x, long long y) {
    if (x >= 0 && x < nx_) visit(int(x), int(y));
  };
  for (long long r = r_first; r <= r_last; ++r) {
    const double bound = std::max(0.0, double(r - 1) * side_);
    if (bound * bound > limit()) return;
    const long long y0 = std::max(cy - r, 0LL), y1 = std::min(cy + r, ny_ - 1LL);
    for (long long y = y0; y <= y1; ++y) {
      if (y == cy - r || y == cy + r) {  // top or bottom row of the ring: all of it
        for (long long x = std::max(cx - r, 0LL); x <= std::min(cx + r, nx_ - 1LL); ++x) visit(int(x), int(y));
      } else {  // rows in between: the ring's two end cells
        in_grid(cx - r, y);
        if (r > 0) in_grid(cx + r, y);
      }
    }
  }
}

double PointGrid::nearest_distance2(const Vec2& u) const {
  double best = std::numeric_limits<double>::infinity();
  for_each_ring_cell(
      u,
      [&](int x, int y) {
        if (cell_distance2(u, x, y) < best) best = nearest_in_cell(u, x, y, best);
      },
      [&] { return best; });
  return best;
}

bool PointGrid::any_within(const Vec2& u, double r) const {
  const Vec2 gap = (lo_ - u).cwiseMax(u - hi_).cwiseMax(0.0), far = (u - lo_).cwiseAbs().cwiseMax((u - hi_).cwiseAbs());
  if (gap.squaredNorm() > r * r) return false;  // the whole box is farther than r
  if (far.squaredNorm() <= r * r) return true;  // the whole box is within r
  const double r2 = r * r;
  bool found = false;
  for_each_ring_cell(
      u,
      [&](int x, int y) {
        if (!found && cell_distance2(u, x, y) <= r2) found = nearest_in_cell(u, x, y, r2 * 2) <= r2;
      },
      [&] { return found ? -1.0 : r2; });
  return found;
}

template <typename F>
void PointGrid::for_each_row_span(const Vec2& u, double r, F&& f) const {
  if (u.y() + r < lo_.y() || u.y() - r > lo_.y() + ny_ * side_) return;
  const long long y0 = std::max(cell_index(u.y() - r, lo_.y(), inv_side_), 0LL);
  const long long y1 = std::min(cell_index(u.y() + r, lo_.y(), inv_side_), ny_ - 1LL);
  for (long long y = y0; y <= y1; ++y) {
    // The disc's half-width over this row of cells: rows near the disc's top and bottom are short.
    const double row_lo = lo_.y() + y * side_;
    const double gap = std::max({row_lo - u.y(), u.y() - (row_lo + side_), 0.0});
    if (gap > r) continue;
    const double half = std::sqrt(r * r - gap * gap);
    if (u.x() + half < lo_.x() || u.x() - half > lo_.x() + nx_ * side_) continue;
    const long long x0 = std::max(cell_index(u.x() - half, lo_.x(), inv_side_), 0LL);
    const long long x1 = std::min(cell_index(u.x() + half, lo_.x(), inv_side_), nx_ - 1LL);
    if (x0 > x1) continue;
    const int begin = start_[y * nx_ + x0], end = start_[y * nx_ + x1 + 1];
    if (begin < end) f(begin, end);
  }
}

KernelSums PointGrid::kernel_sums(const Vec2& u, double s, double cutoff, bool want_var) const {
  KernelSums k;
  k.d2_min = nearest_distance2(u);
  const double inv_2s2 = 0.5 / (s * s);
  const double r = std::sqrt(k.d2_min + 2 * s * s * cutoff);
  // Scratch for one row span's weights; a span is at most one row of cells.
  thread_local Eigen::ArrayXd w;
  double z = 0, sx = 0, sy = 0;
  for_each_row_span(u, r, [&](int begin, int end) {
    const Eigen::Map<const Eigen::ArrayXd> x(xs_.data() + begin, end - begin), y(ys_.data() + begin, end - begin);
    w = ((k.d2_min - ((x - u.x()).square() + (y - u.y()).square())) * inv_2s2).exp();
    z += w.sum();
    sx += (w * x).sum();
    sy += (w * y).sum();
  });
  k.z = z;
  k.mean = Vec2(sx / z, sy / z);
  if (!want_var) return k;
  // Second pass about the weighted mean: no cancellation, never negative (as the full sum does).
  double v = 0;
  for_each_row_span(u, r, [&](int begin, int end) {
    const Eigen::Map<const Eigen::ArrayXd> x(xs_.data() + begin, end - begin), y(ys_.data() + begin, end - begin);
    w = ((k.d2_min - ((x - u.x()).square() + (y - u.y()).square())) * inv_2s2).exp();
    v += (w * ((x - k.mean.x()).square() + (y - k.mean.y()).square())).sum();
  });
  k.var = v / z;
  return k;
}

double PointGrid::mean_points_within(double r) const {
  const int n = size(), samples = std::min(n, 64);
  double total = 0;
  for (int k = 0; k < samples; ++k) {
    const int i = static_cast<int>((long long)k * n / samples);
    for_each_row_span(Vec2(xs_[i], ys_[i]), r, [&](int begin, int end) { total += end - begin; });
  }
  return total / samples;
}

}  // namespace scorelab
