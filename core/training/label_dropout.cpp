#include "core/training/label_dropout.hpp"

#include "core/nn/mlp.hpp"
#include "core/rng.hpp"
#include "core/training/objectives.hpp"

namespace scorelab {

Eigen::VectorXi drop_labels(const Eigen::VectorXi& labels, double p, uint32_t seed, uint32_t step,
                            uint32_t first_column) {
  Eigen::VectorXi out = labels;
  if (p <= 0) return out;
  const uint32_t stream = step_stream(step, kLabelStream);
  for (Eigen::Index i = 0; i < out.size(); ++i)
    if (uniform01(seed, stream, first_column + static_cast<uint32_t>(i)) < p) out[i] = Mlp<float>::kNoLabel;
  return out;
}

}  // namespace scorelab
