#include "app/render/arrow_field.hpp"

#include <cmath>

#include "app/render/color_map.hpp"

namespace scorelab {

Points arrow_grid(const Bounds2& visible, double spacing, Eigen::Index max_points) {
  if (visible.empty() || !(spacing > 0.0)) return Points(2, 0);
  Eigen::Index nx = 0, ny = 0;
  double x0 = 0.0, y0 = 0.0;
  for (;;) {
    // First and last cell index whose centre is within one cell of the box.
    const double ix0 = std::floor(visible.min.x() / spacing - 0.5), ix1 = std::ceil(visible.max.x() / spacing - 0.5);
    const double iy0 = std::floor(visible.min.y() / spacing - 0.5), iy1 = std::ceil(visible.max.y() / spacing - 0.5);
    nx = static_cast<Eigen::Index>(ix1 - ix0) + 1;
    ny = static_cast<Eigen::Index>(iy1 - iy0) + 1;
    x0 = (ix0 + 0.5) * spacing;
    y0 = (iy0 + 0.5) * spacing;
    if (nx * ny <= max_points) break;
    spacing *= 2.0;
  }
  Points grid(2, nx * ny);
  for (Eigen::Index j = 0; j < ny; ++j)
    for (Eigen::Index i = 0; i < nx; ++i)
      grid.col(j * nx + i) = Vec2(x0 + static_cast<double>(i) * spacing, y0 + static_cast<double>(j) * spacing);
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

double magnitude_quantile(const Points& v, double q) {
  return finite_quantile(v.colwise().norm().transpose(), q);
}

}  // namespace scorelab
