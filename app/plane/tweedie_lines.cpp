#include "app/plane/tweedie_lines.hpp"

#include <algorithm>

namespace scorelab {

Points tweedie_estimates(const ScoreFunction& score, const Points& x, const NoiseLevel& level) {
  if (!(level.m > 0.0) || x.cols() == 0) return x;
  Points s;
  score.score(x, level, s);
  return (x + level.s * level.s * s) / level.m;
}

Rgba tweedie_color(Theme theme) {
  return theme == Theme::dark ? Rgba{0.35f, 0.85f, 1.0f, 0.85f} : Rgba{0.0f, 0.42f, 0.62f, 0.9f};
}

Points first_points(const Points& x, int n) {
  return x.leftCols(std::clamp<Eigen::Index>(n, 0, x.cols()));
}

}  // namespace scorelab
