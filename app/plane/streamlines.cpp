#include "app/plane/streamlines.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace scorelab {
namespace {

bool inside(const Bounds2& box, const Vec2& p) {
  return p.x() >= box.min.x() && p.x() <= box.max.x() && p.y() >= box.min.y() && p.y() <= box.max.y();
}

// The point where the segment a → b (a inside, b outside) leaves the box.
Vec2 clip_to_box(const Bounds2& box, const Vec2& a, const Vec2& b) {
  double f = 1.0;
  const Vec2 d = b - a;
  for (int axis = 0; axis < 2; ++axis) {
    if (d[axis] > 0.0 && b[axis] > box.max[axis]) f = std::min(f, (box.max[axis] - a[axis]) / d[axis]);
    if (d[axis] < 0.0 && b[axis] < box.min[axis]) f = std::min(f, (box.min[axis] - a[axis]) / d[axis]);
  }
  return a + std::clamp(f, 0.0, 1.0) * d;
}

// The unit direction of v, or false when v is zero or not finite (the line stops).
bool unit(const Vec2& v, Vec2& dir, double& speed) {
  speed = v.norm();
  if (!std::isfinite(speed) || !(speed > 0.0)) return false;
  dir = v / speed;
  return true;
}

// A fixed pseudo-random number in [0, 1) for a lattice cell (splitmix-style hash).
double cell_hash(int64_t i, int64_t j, uint64_t salt) {
  uint64_t z = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(j) + salt) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

struct Tracer {
  Streamline line;
  Vec2 x;
  double length = 0.0;
};

// One RK2 (midpoint) step of every active line along s/|s|, batched: two field calls for all of
// them. Returns the lines still active. Each line's vertex count stays speed count + 1 while active
// (the speed of its newest vertex comes with the next step) and equal once it stops.
std::vector<size_t> step_lines(const VectorFieldFn& field, const Bounds2& box, const StreamlineOptions& options,
                               std::vector<Tracer>& lines, const std::vector<size_t>& active) {
  const auto count = static_cast<Eigen::Index>(active.size());
  const double h = options.step;
  Points x(2, count), v, mid(2, count), vm;
  for (Eigen::Index k = 0; k < count; ++k) x.col(k) = lines[active[size_t(k)]].x;
  field(x, v);
  // The midpoint stage for the lines whose first stage is usable (the others get a dummy point).
  std::vector<Vec2> k1(static_cast<size_t>(count), Vec2::Zero());
  std::vector<char> ok(static_cast<size_t>(count));
  for (Eigen::Index k = 0; k < count; ++k) {
    Tracer& t = lines[active[size_t(k)]];
    double speed = 0.0;
    ok[size_t(k)] = unit(v.col(k), k1[size_t(k)], speed) && speed >= options.min_speed;
    t.line.speed.push_back(ok[size_t(k)] ? speed : 0.0);
    mid.col(k) = t.x + 0.5 * h * k1[size_t(k)];
  }
  field(mid, vm);
  std::vector<size_t> next;
  next.reserve(active.size());
  for (Eigen::Index k = 0; k < count; ++k) {
    Tracer& t = lines[active[size_t(k)]];
    Vec2 k2;
    double speed = 0.0;
    // Stop: a zero, slow or non-finite field, or a turn of more than 90° within the step (past a sink).
    if (!ok[size_t(k)] || !unit(vm.col(k), k2, speed) || k1[size_t(k)].dot(k2) <= 0.0) continue;
    Vec2 y = t.x + h * k2;
    const bool leaves = !inside(box, y);
    if (leaves) y = clip_to_box(box, t.x, y);
    t.length += (y - t.x).norm();
    t.x = y;
    t.line.points.push_back(y);
    const bool full = static_cast<int>(t.line.points.size()) >= options.max_points || t.length >= options.max_length;
    if (leaves || full) {
      t.line.speed.push_back(speed);  // the midpoint's speed stands in for the last vertex
      continue;
    }
    next.push_back(active[size_t(k)]);
  }
  return next;
}

}  // namespace

std::vector<Streamline> trace_streamlines(const VectorFieldFn& field, const Bounds2& box, const Points& seeds,
                                          const StreamlineOptions& options) {
  const Eigen::Index n = std::min<Eigen::Index>(seeds.cols(), std::max(0, options.max_lines));
  if (n == 0 || box.empty() || !(options.step > 0.0) || options.max_points < 2) return {};
  std::vector<Tracer> lines;
  lines.reserve(size_t(n));
  for (Eigen::Index j = 0; j < n; ++j) {
    const Vec2 p = seeds.col(j);
    if (!inside(box, p)) continue;
    Tracer t;
    t.x = p;
    t.line.points.push_back(p);
    lines.push_back(std::move(t));
  }
  std::vector<size_t> active(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) active[i] = i;
  while (!active.empty()) active = step_lines(field, box, options, lines, active);
  std::vector<Streamline> out;
  out.reserve(lines.size());
  for (Tracer& t : lines)
    if (t.line.points.size() >= 2) out.push_back(std::move(t.line));
  return out;
}

Points streamline_seeds(const Bounds2& box, int count) {
  if (box.empty() || count < 1) return Points(2, 0);
  const Vec2 size = box.size();
  double spacing = std::sqrt(std::max(size.x() * size.y(), 1e-300) / count);
  if (!(spacing > 0.0) || !std::isfinite(spacing)) return Points(2, 0);
  // Round the spacing to a power of √2 so small zooms keep the lattice (and the lines) still.
  spacing = std::pow(std::sqrt(2.0), std::ceil(std::log(spacing) / std::log(std::sqrt(2.0))));
  for (;;) {
    const auto i0 = static_cast<int64_t>(std::floor(box.min.x() / spacing));
    const auto i1 = static_cast<int64_t>(std::floor(box.max.x() / spacing));
    const auto j0 = static_cast<int64_t>(std::floor(box.min.y() / spacing));
    const auto j1 = static_cast<int64_t>(std::floor(box.max.y() / spacing));
    const int64_t total = (i1 - i0 + 1) * (j1 - j0 + 1);
    if (total > count) {
      spacing *= std::sqrt(2.0);
      continue;
    }
    Points seeds(2, total);
    Eigen::Index k = 0;
    for (int64_t j = j0; j <= j1; ++j)
      for (int64_t i = i0; i <= i1; ++i) {
        // Jitter within the middle 80 % of the cell, clamped into the box.
        const double u = 0.1 + 0.8 * cell_hash(i, j, 1), w = 0.1 + 0.8 * cell_hash(i, j, 2);
        const Vec2 p((static_cast<double>(i) + u) * spacing, (static_cast<double>(j) + w) * spacing);
        if (p.x() < box.min.x() || p.x() > box.max.x() || p.y() < box.min.y() || p.y() > box.max.y()) continue;
        seeds.col(k++) = p;
      }
    seeds.conservativeResize(2, k);
    return seeds;
  }
}

}  // namespace scorelab
