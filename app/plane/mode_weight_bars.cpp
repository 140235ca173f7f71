#include "app/plane/mode_weight_bars.hpp"

#include <algorithm>

#include "core/metrics.hpp"

namespace scorelab {

ModeWeightBars mode_weight_bars(const GaussianMixture& mixture, const Points& x, Theme theme) {
  ModeWeightBars bars;
  const int k = mixture.size();
  for (int i = 0; i < k; ++i) {
    bars.truth.push_back(mixture.components()[static_cast<size_t>(i)].weight);
    bars.colors.push_back(component_color(i, theme));
  }
  const Eigen::Index stride = std::max<Eigen::Index>(1, (x.cols() + kModeBarSample - 1) / kModeBarSample);
  Points counted(2, (x.cols() + stride - 1) / stride);
  Eigen::Index n = 0;
  for (Eigen::Index j = 0; j < x.cols(); j += stride)
    if (x.col(j).allFinite()) counted.col(n++) = x.col(j);
  bars.particles = static_cast<long>(n);
  if (n == 0 || k == 0) {
    bars.share.assign(static_cast<size_t>(k), 0.0);
    return bars;
  }
  const Eigen::VectorXd w = mode_weights(mixture, counted.leftCols(n));
  bars.share.assign(w.data(), w.data() + w.size());
  return bars;
}

bool mode_bars_due(bool changed, double seconds_since, double last_cost_s, bool every_frame) {
  if (!changed) return false;
  if (every_frame) return true;
  return seconds_since >= std::max(0.25, 3.0 * last_cost_s);
}

}  // namespace scorelab
