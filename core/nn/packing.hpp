// The network's weights as one float array that GLSL reads as a std140 uniform block of vec4 rows:
//     layout(std140) uniform MlpWeights { vec4 w[SIZE / 4]; };
// (std140 gives a vec4 array a 16-byte stride, so float offset k is w[k / 4][k % 4]).
//
// Layout, offsets in floats (every section starts at a multiple of 4; pad4(n) = ⌈n/4⌉·4):
//   header   @ 0    : L (affine layers), F (Fourier frequencies), activation (0 silu, 1 softplus,
//                      2 tanh), energy (0/1),
//            @ 4    : data_rms (c_in = 1/√(m²·data_rms² + s²), or 1 when 0), kMinNoiseScale
//                      (s_θ = y / max(s, kMinNoiseScale)), 0, 0                          — 8 floats
//   dims     @ 8    : d_0 = input_dim, d_1, …, d_L = output_dim, zero-padded            — pad4(L + 1)
//   freqs    @ after: f_1 … f_F, zero-padded                                            — pad4(F)
//   biases   @ after: for l = 0..L−1: b_l (d_{l+1} floats) zero-padded to pad4(d_{l+1}), in order
//   weights  @ W_l  : for l = 0..L−1, each starting at a multiple of 64 floats (256 bytes, the
//                      largest GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT in practice, so one layer can be
//                      bound alone with glBindBufferRange): row r of W_l (its d_l inputs) at
//                      W_l + r·pad4(d_l), zero-padded — so a row is pad4(d_l)/4 vec4s to dot() with
//                      the input vector packed in vec4s.
//   total is a multiple of 64 floats.
// Why biases apart from their weights: a 128 × 128 layer is exactly 64 KiB of weights, the usual
// maximum uniform block size; with its bias appended it would no longer fit one binding.
// Zero padding makes padded lanes contribute 0 to every dot().
#pragma once

#include <vector>

#include "core/nn/mlp.hpp"

namespace scorelab {

struct Std140Layout {
  int header = 0;                 // always 0
  int dims = 8;                   // always 8
  int freqs = 0;
  std::vector<int> biases;        // offset of b_l
  std::vector<int> weights;       // offset of W_l (multiple of 64)
  std::vector<int> row_stride;    // pad4(d_l): floats from one row of W_l to the next
  int total = 0;                  // floats in the packed array
};

inline int pad4(int n) { return (n + 3) / 4 * 4; }

Std140Layout std140_layout(const Mlp<float>& net);
std::vector<float> pack_weights_std140(const Mlp<float>& net);
// The inverse: a network with `config`'s architecture and the packed values. Throws InputError if
// the array's size or header does not match the config.
Mlp<float> unpack_weights_std140(const std::vector<float>& packed, const ModelConfig& config);

}  // namespace scorelab
