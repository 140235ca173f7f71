#include "app/plane/arrow_field.hpp"

#include <algorithm>
#include <cmath>

#include "app/plane/color_map.hpp"

namespace scorelab {

ArrowLattice arrow_lattice(const Bounds2& visible, double spacing, Eigen::Index max_points) {
  ArrowLattice g;
  if (visible.empty() || !(spacing > 0.0)) return g;
  for (;;) {
    // First and last cell index whose centre is within one cell of the box.
    const double ix0 = std::floor(visible.min.x() / spacing - 0.5), ix1 = std::ceil(visible.max.x() / spacing - 0.5);
    const double iy0 = std::floor(visible.min.y() / spacing - 0.5), iy1 = std::ceil(visible.max.y() / spacing - 0.5);
    g.nx = static_cast<Eigen::Index>(ix1 - ix0) + 1;
    g.ny = static_cast<Eigen::Index>(iy1 - iy0) + 1;
    g.origin = Vec2((ix0 + 0.5) * spacing, (iy0 + 0.5) * spacing);
    g.spacing = spacing;
    if (g.nx * g.ny <= max_points) return g;
    spacing *= 2.0;
  }
}

Points arrow_grid(const Bounds2& visible, double spacing, Eigen::Index max_points) {
  const ArrowLattice g = arrow_lattice(visible, spacing, max_points);
  Points grid(2, g.nx * g.ny);
  for (Eigen::Index j = 0; j < g.ny; ++j)
    for (Eigen::Index i = 0; i < g.nx; ++i)
      grid.col(j * g.nx + i) = g.origin + g.spacing * Vec2(static_cast<double>(i), static_cast<double>(j));
  return grid;
}

double arrow_length(double magnitude, double reference, double max_length, bool normalise) {
  if (!std::isfinite(magnitude) || magnitude <= 0.0) return 0.0;
  if (normalise || !(reference > 0.0)) return max_length;
  return max_length * std::min(1.0, magnitude / reference);
}

ArrowShape arrow_shape(const Vec2& center, const Vec2& v, double length, double head_fraction) {
  const double norm = v.norm();
  const Vec2 dir = norm > 0.0 && std::isfinite(norm) ? Vec2(v / norm) : Vec2(1.0, 0.0);
  ArrowShape a;
  a.tail = center - 0.5 * length * dir;
  a.tip = center + 0.5 * length * dir;
  const double head = head_fraction * length;
  const double c = std::cos(0.436), s = std::sin(0.436);  // 25°
  const Vec2 back = -dir;
  a.barb_left = a.tip + head * Vec2(c * back.x() - s * back.y(), s * back.x() + c * back.y());
  a.barb_right = a.tip + head * Vec2(c * back.x() + s * back.y(), -s * back.x() + c * back.y());
  return a;
}

Rgba magnitude_color(double magnitude, double reference, float alpha, Theme theme) {
  const double f = std::min(1.0, magnitude / std::max(reference, 1e-12));
  Rgba c = color_map(arrow_color_map(theme), 0.15 + 0.85 * f);
  c.a = alpha;
  return c;
}

ArrowSegments arrow_segments(const Vec2& center, const Vec2& v, const ArrowParams& p) {
  ArrowSegments out;
  const double magnitude = v.norm();
  const double length = arrow_length(magnitude, p.reference, p.max_length, p.normalise);
  if (length <= 0.0) return out;
  const ArrowShape a = arrow_shape(center, v, length);
  out.from[0] = a.tail;
  out.to[0] = a.tip;
  out.from[1] = a.tip;
  out.to[1] = a.barb_left;
  out.from[2] = a.tip;
  out.to[2] = a.barb_right;
  out.color = magnitude_color(magnitude, p.reference, p.alpha, p.theme);
  out.visible = true;
  return out;
}

double magnitude_quantile(const Points& v, double q) {
  return finite_quantile(v.colwise().norm().transpose(), q);
}

}  // namespace scorelab
