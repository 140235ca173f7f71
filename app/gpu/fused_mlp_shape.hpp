// How shaders/mlp_fused.glsl is laid out for one network and one GPU: particles per pass, the
// activation buffer and the weight tile in shared memory. GL-free (the tests size it for any
// shared-memory limit); GpuScore passes GL_MAX_COMPUTE_SHARED_MEMORY_SIZE.
#pragma once

#include <optional>
#include <string>

#include "core/nn/mlp.hpp"

namespace scorelab {

struct FusedMlpShape {
  int particles = 64;      // FUSED_T: particles per pass of the forward kernel (8, 16, 32 or 64)
  int particles_jac = 32;  // FUSED_TJ: the same for the Jacobian (tangent) kernel, ≤ particles
  int act_rows = 0;        // FUSED_ACT_ROWS: the widest layer (input features included)
  int k_tile = 0;          // FUSED_KT: input columns of a layer staged at once (a multiple of 4)
  int weight_floats = 0;   // FUSED_W_FLOATS: the weight tile, widest output × k_tile
  int shared_bytes = 0;    // what the three shared arrays take

  // Whether every layer's weights fit one tile (no tiling over input columns).
  bool whole_layers = false;
};

// Bytes of shared memory left to a kernel's own arrays (pc_score_norm.comp's partial sums).
inline constexpr int kFusedSharedReserve = 1024;

// The shape for `net` within `shared_limit` bytes: each invocation's register block (rows × particles
// of the widest layer, doubled with the tangent) held to ≤ 64 floats where 8 particles per pass
// allow it, then as many input columns per weight tile as the rest holds. Nullopt when not even 8
// particles and 4 columns fit (a layer thousands wide): the caller keeps the lanes kernel.
std::optional<FusedMlpShape> fused_mlp_shape(const Mlp<float>& net, int shared_limit);

// The #defines of mlp_fused.glsl for `net` in `shape` (MLP_FUSED, MLP_WF<l>, MLP_RS<l>, FUSED_*).
std::string fused_mlp_defines(const Mlp<float>& net, const FusedMlpShape& shape);

}  // namespace scorelab
