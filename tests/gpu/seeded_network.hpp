// A score network with seeded random weights, as the GPU parity tests use them: the same weights on
// both sides (core's NetworkScore and the GpuScore twin), no training needed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/nn/mlp.hpp"

namespace scorelab::test {

// hidden: the hidden widths (e.g. {16, 12}); data_rms: the input scale the network assumes.
inline std::shared_ptr<const Mlp<float>> seeded_network(std::vector<int> hidden, uint64_t seed, double data_rms) {
  ModelConfig model;
  model.hidden = std::move(hidden);
  auto net = std::make_shared<Mlp<float>>(model);
  net->init(seed);
  net->set_data_rms(data_rms);
  return net;
}

}  // namespace scorelab::test
