#include "app/gpu/fused_mlp_shape.hpp"

#include <algorithm>
#include <sstream>

#include "core/nn/packing.hpp"

namespace scorelab {

namespace {

// Largest power of two ≤ n (n ≥ 1).
int floor_pow2(int n) {
  int p = 1;
  while (2 * p <= n) p *= 2;
  return p;
}

}  // namespace

std::optional<FusedMlpShape> fused_mlp_shape(const Mlp<float>& net, int shared_limit) {
  int widest_out = 0, widest_in = 0, act_rows = 0;
  for (int l = 0; l < net.layers(); ++l) {
    widest_out = std::max(widest_out, net.fan_out(l));
    widest_in = std::max(widest_in, pad4(net.fan_in(l)));
    act_rows = std::max({act_rows, net.fan_in(l), net.fan_out(l)});
  }
  FusedMlpShape s;
  s.act_rows = act_rows;
  // Register block: ⌈widest/8⌉ rows × particles/8 per invocation, kept ≤ 64 floats (×2 with the
  // tangent): beyond that the block spills on current GPUs, which is what the fused kernel avoids.
  const int rows_per_invocation = (widest_out + 7) / 8;
  const int per_pass = floor_pow2(std::clamp(64 / rows_per_invocation, 1, 8));
  s.particles = 8 * per_pass;
  s.particles_jac = 8 * std::max(1, per_pass / 2);
  const int budget = (shared_limit - kFusedSharedReserve) / 4;  // floats
  // Halve the passes until the activations (and tangents) leave room for a 4-column weight tile.
  auto act_floats = [&] { return act_rows * (s.particles + s.particles_jac); };
  while (act_floats() + 4 * widest_out > budget && s.particles > 8) {
    s.particles /= 2;
    s.particles_jac = std::max(8, s.particles_jac / 2);
  }
  const int left = budget - act_floats();
  if (left < 4 * widest_out) return std::nullopt;
  s.k_tile = std::min(widest_in, (left / widest_out) / 4 * 4);
  s.weight_floats = widest_out * s.k_tile;
  s.whole_layers = s.k_tile >= widest_in;
  s.shared_bytes = 4 * (act_floats() + s.weight_floats);
  return s;
}

std::string fused_mlp_defines(const Mlp<float>& net, const FusedMlpShape& shape) {
  const Std140Layout lay = std140_layout(net);
  std::ostringstream d;
  d << "#define MLP_FUSED 1\n#define FUSED_T " << shape.particles << "\n#define FUSED_TJ " << shape.particles_jac
    << "\n#define FUSED_KT " << shape.k_tile << "\n#define FUSED_ACT_ROWS " << shape.act_rows
    << "\n#define FUSED_W_FLOATS " << shape.weight_floats << "\n";
  for (int l = 0; l < net.layers(); ++l)
    d << "#define MLP_WF" << l << " " << lay.weights[l] << "\n#define MLP_RS" << l << " " << lay.row_stride[l] << "\n";
  return d.str();
}

}  // namespace scorelab
