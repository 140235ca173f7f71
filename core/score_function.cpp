#include "core/score_function.hpp"

namespace scorelab {

void ScoreFunction::log_prob(const Points&, const NoiseLevel&, Scalars&) const {
  throw std::logic_error("this score function has no exact log-density");
}

Scalars score_curl(const ScoreFunction& score, const Points& x, const NoiseLevel& level, double h) {
  const Eigen::Index n = x.cols();
  // Columns: x + h e₁, x − h e₁, x + h e₂, x − h e₂.
  Points shifted(2, 4 * n);
  for (int k = 0; k < 4; ++k) {
    shifted.middleCols(k * n, n) = x;
    shifted.row(k / 2).segment(k * n, n).array() += (k % 2 == 0 ? h : -h);
  }
  Points s;
  score.score(shifted, level, s);
  const Scalars ds2_dx1 = (s.row(1).segment(0, n) - s.row(1).segment(n, n)).transpose() / (2 * h);
  const Scalars ds1_dx2 = (s.row(0).segment(2 * n, n) - s.row(0).segment(3 * n, n)).transpose() / (2 * h);
  return ds2_dx1 - ds1_dx2;
}

}  // namespace scorelab
