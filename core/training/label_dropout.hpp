// Label dropout for classifier-free guidance (Ho & Salimans 2021): while a class-conditional network
// trains, each sample's class label is replaced by the "no label" slot ∅ with probability p, so the
// one network learns both the conditional score s(x, t, k) and the unconditional s(x, t, ∅) that
// guidance mixes (core/nn/guided_network.hpp).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace scorelab {

// The draws of step `step` use stream step_stream(step, kLabelStream) (core/training/objectives.hpp),
// counter = the sample's batch column, so a batch split into parts drops exactly what the whole
// batch would. labels (B): classes in [0, K); the result has Mlp::kNoLabel where a label was dropped.
// Each column is dropped independently with probability p (p in [0, 1]).
Eigen::VectorXi drop_labels(const Eigen::VectorXi& labels, double p, uint32_t seed, uint32_t step,
                            uint32_t first_column = 0);

}  // namespace scorelab
