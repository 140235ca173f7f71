#include "app/plane/curl_map.hpp"

#include <algorithm>
#include <cmath>

#include "app/plane/color_map.hpp"

namespace scorelab {

double curl_step(const Bounds2& visible) {
  const Vec2 size = visible.size();
  const double side = std::min(std::abs(size.x()), std::abs(size.y()));
  return side > 0.0 && std::isfinite(side) ? 3e-3 * side : 1e-2;
}

CurlMap curl_map(const ScoreFunction& score, const Points& cells, const NoiseLevel& level, double h) {
  CurlMap map;
  map.curl = score_curl(score, cells, level, h);
  if (cells.cols() == 0) return map;
  // The divergence on every k-th cell: the scale only, so ~1000 cells are enough.
  const Eigen::Index stride = std::max<Eigen::Index>(1, cells.cols() / 1000);
  Points sub(2, (cells.cols() + stride - 1) / stride);
  for (Eigen::Index i = 0; i < sub.cols(); ++i) sub.col(i) = cells.col(i * stride);
  Points s;
  Scalars div;
  score.score_and_divergence(sub, level, s, div);
  const double div_scale = finite_quantile(div.cwiseAbs(), 0.99);
  const double curl_scale = finite_quantile(map.curl.cwiseAbs(), 0.99);
  double half = 0.0;
  if (std::isfinite(curl_scale)) half = curl_scale;
  if (std::isfinite(div_scale)) half = std::max(half, 0.05 * div_scale);
  map.half_range = half > 0.0 ? half : 1.0;
  return map;
}

}  // namespace scorelab
