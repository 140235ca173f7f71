#ifndef SCORELAB_MLP_GLSL
#define SCORELAB_MLP_GLSL
// The score network's forward pass: the GLSL twin of core/nn/mlp.cpp (Mlp<float>::forward, and
// forward with the two unit tangents of NetworkScore::score_and_divergence), reading the weights
// packed by core/nn/packing.hpp (pack_weights_std140) as std140 vec4 rows and dot().
//
// Why this shape, on llvmpipe (Mesa 22.3), where every invocation is one lane of an 8-wide SIMD:
// - Weights in uniform blocks read as vec4: storage-buffer reads are one scalar load per lane in a
//   loop (3.6× slower, DESIGN.md). Each affine layer's weights are one uniform block bound with
//   glBindBufferRange at its 256-byte-aligned offset (a 128×128 layer is exactly 64 KiB, the usual
//   block limit); header, dims, Fourier frequencies and biases (everything before W₀) form the head
//   block. When a layer exceeds the context's block size the host defines MLP_SSBO and every layer
//   is read from one storage buffer instead (same offsets, slower).
// - A uniform-block read whose offset depends on a loop counter is a per-lane gather; only fully
//   unrolled code has constant offsets, and fully unrolled layers took minutes to compile and ran
//   slower. So each invocation evaluates SCORE_BATCH particles: one gathered weight vec4 feeds
//   SCORE_BATCH dot products (8 particles: ~3–5× the throughput of one; more gave wrong results on
//   llvmpipe, see GpuScore::kNetworkBatch).
// - Compile time on llvmpipe grows steeply with the size of the unrolled body (LLVM's coroutine
//   frame pass dominates): loops over rows are kept rolled (mlp_opaque_zero) and the Jacobian
//   pushes one tangent per pass in a rolled loop over the two directions.
// Per particle the arithmetic is that of one forward pass, in the same order for every batch size.
//
// Compile-time architecture, written by app/gpu/gpu_score.cpp from the packed layout:
//   MLP_LAYERS L (affine layers), MLP_ACT (0 silu, 1 softplus, 2 tanh), MLP_ENERGY (0/1),
//   MLP_D0..MLP_DL layer widths, MLP_B<l> vec4 index of b_l in the head, MLP_WB<l> vec4 index of W_l
//   in its array, MLP_WSIZE<l> vec4 count of W_l's block, MLP_HEAD_VEC4, MLP_SSBO (0/1),
//   SCORE_BATCH particles per invocation.
// The network input per level: MLP_N(D0) vec4 per level in mlp_time, from core's Mlp<float>::features
// at x = 0 (so the time features — t, or the Fourier sin/cos rows core computes in float — are
// bit-identical); the first two rows get c_in·x here.
#ifndef MLP_LAYERS
#error "mlp.glsl needs the MLP_* defines of app/gpu/gpu_score.cpp"
#endif
#ifndef SCORE_BATCH
#define SCORE_BATCH 1
#endif

#include "mlp_common.glsl"

#if MLP_SSBO
layout(std430, binding = 8) readonly buffer MlpWeights { vec4 mlp_all[]; };
#define MLP_W0 mlp_all
#define MLP_W1 mlp_all
#define MLP_W2 mlp_all
#define MLP_W3 mlp_all
#define MLP_W4 mlp_all
#define MLP_W5 mlp_all
#define MLP_W6 mlp_all
#define MLP_W7 mlp_all
#define MLP_W8 mlp_all
#else
layout(std140, binding = 1) uniform MlpW0 { vec4 mlp_w0[MLP_WSIZE0]; };
#define MLP_W0 mlp_w0
#if MLP_LAYERS > 1
layout(std140, binding = 2) uniform MlpW1 { vec4 mlp_w1[MLP_WSIZE1]; };
#define MLP_W1 mlp_w1
#endif
#if MLP_LAYERS > 2
layout(std140, binding = 3) uniform MlpW2 { vec4 mlp_w2[MLP_WSIZE2]; };
#define MLP_W2 mlp_w2
#endif
#if MLP_LAYERS > 3
layout(std140, binding = 4) uniform MlpW3 { vec4 mlp_w3[MLP_WSIZE3]; };
#define MLP_W3 mlp_w3
#endif
#if MLP_LAYERS > 4
layout(std140, binding = 5) uniform MlpW4 { vec4 mlp_w4[MLP_WSIZE4]; };
#define MLP_W4 mlp_w4
#endif
#if MLP_LAYERS > 5
layout(std140, binding = 6) uniform MlpW5 { vec4 mlp_w5[MLP_WSIZE5]; };
#define MLP_W5 mlp_w5
#endif
#if MLP_LAYERS > 6
layout(std140, binding = 7) uniform MlpW6 { vec4 mlp_w6[MLP_WSIZE6]; };
#define MLP_W6 mlp_w6
#endif
#if MLP_LAYERS > 7
layout(std140, binding = 8) uniform MlpW7 { vec4 mlp_w7[MLP_WSIZE7]; };
#define MLP_W7 mlp_w7
#endif
#if MLP_LAYERS > 8
layout(std140, binding = 9) uniform MlpW8 { vec4 mlp_w8[MLP_WSIZE8]; };
#define MLP_W8 mlp_w8
#endif
#endif

#if MLP_LAYERS == 2
#define MLP_HLAST h1
#define MLP_ULAST u1
#define MLP_WLAST MLP_W1
#elif MLP_LAYERS == 3
#define MLP_HLAST h2
#define MLP_ULAST u2
#define MLP_WLAST MLP_W2
#elif MLP_LAYERS == 4
#define MLP_HLAST h3
#define MLP_ULAST u3
#define MLP_WLAST MLP_W3
#elif MLP_LAYERS == 5
#define MLP_HLAST h4
#define MLP_ULAST u4
#define MLP_WLAST MLP_W4
#elif MLP_LAYERS == 6
#define MLP_HLAST h5
#define MLP_ULAST u5
#define MLP_WLAST MLP_W5
#elif MLP_LAYERS == 7
#define MLP_HLAST h6
#define MLP_ULAST u6
#define MLP_WLAST MLP_W6
#elif MLP_LAYERS == 8
#define MLP_HLAST h7
#define MLP_ULAST u7
#define MLP_WLAST MLP_W7
#elif MLP_LAYERS == 9
#define MLP_HLAST h8
#define MLP_ULAST u8
#define MLP_WLAST MLP_W8
#else
#error "mlp.glsl: MLP_LAYERS must be in [2, 9]"
#endif

// Hidden layer for a batch of particles: h_out[p] = φ(W h_in[p] + b), four rows per vec4. Each
// weight vec4 is read once per batch and used for all SCORE_BATCH particles (see the file comment).
// Rows past DOUT (padding lanes of the last vec4) repeat row DOUT − 1: finite values that meet only
// zero weights in the next layer. The row loop bound is opaque (mlp_opaque_zero) so that the
// compiler does not unroll whole layers: that made shaders of 10⁴ instructions, minutes to compile.
#define MLP_HIDDEN(W, WB, DIN, DOUT, B, h_in, h_out)                                               \
  for (int r4 = 0; r4 < MLP_N(DOUT) + mlp_opaque_zero; ++r4) {                                     \
    vec4 a[SCORE_BATCH];                                                                           \
    for (int p = 0; p < SCORE_BATCH; ++p) a[p] = mlp_head[(B) + r4];                               \
    for (int q = 0; q < 4; ++q) {                                                                  \
      int base = (WB) + min(4 * r4 + q, (DOUT) - 1) * MLP_N(DIN);                                  \
      float acc[SCORE_BATCH];                                                                      \
      for (int p = 0; p < SCORE_BATCH; ++p) acc[p] = 0.0;                                          \
      for (int c = 0; c < MLP_N(DIN); ++c) {                                                       \
        vec4 w = W[base + c];                                                                      \
        for (int p = 0; p < SCORE_BATCH; ++p) acc[p] += dot(w, h_in[p][c]);                        \
      }                                                                                            \
      for (int p = 0; p < SCORE_BATCH; ++p) a[p][q] += acc[p];                                     \
    }                                                                                              \
    for (int p = 0; p < SCORE_BATCH; ++p) h_out[p][r4] = mlp_act(a[p]);                            \
  }

// One tangent u pushed through with the primal: ȧ = W ḣ (no bias), ḣ' = φ'(a)⊙ȧ. The column loop is
// rolled too (opaque bound): unrolled, the primal and tangent columns of all SCORE_BATCH points were
// live at once and llvmpipe's register allocation took most of a 36 s compile (64-64 net, 8 points);
// rolled, the divergence kernels compile faster and run no slower (the unrolled body spilled).
#define MLP_HIDDEN_T1(W, WB, DIN, DOUT, B, h_in, u_in, h_out, u_out)                               \
  for (int r4 = 0; r4 < MLP_N(DOUT) + mlp_opaque_zero; ++r4) {                                     \
    vec4 a[SCORE_BATCH], au[SCORE_BATCH];                                                          \
    for (int p = 0; p < SCORE_BATCH; ++p) {                                                        \
      a[p] = mlp_head[(B) + r4];                                                                   \
      au[p] = vec4(0.0);                                                                           \
    }                                                                                              \
    for (int q = 0; q < 4; ++q) {                                                                  \
      int base = (WB) + min(4 * r4 + q, (DOUT) - 1) * MLP_N(DIN);                                  \
      float acc[SCORE_BATCH], accu[SCORE_BATCH];                                                   \
      for (int p = 0; p < SCORE_BATCH; ++p) {                                                      \
        acc[p] = 0.0;                                                                              \
        accu[p] = 0.0;                                                                             \
      }                                                                                            \
      for (int c = 0; c < MLP_N(DIN) + mlp_opaque_zero; ++c) {                                     \
        vec4 w = W[base + c];                                                                      \
        for (int p = 0; p < SCORE_BATCH; ++p) {                                                    \
          acc[p] += dot(w, h_in[p][c]);                                                            \
          accu[p] += dot(w, u_in[p][c]);                                                           \
        }                                                                                          \
      }                                                                                            \
      for (int p = 0; p < SCORE_BATCH; ++p) {                                                      \
        a[p][q] += acc[p];                                                                         \
        au[p][q] = accu[p];                                                                        \
      }                                                                                            \
    }                                                                                              \
    for (int p = 0; p < SCORE_BATCH; ++p) {                                                        \
      vec4 d1;                                                                                     \
      h_out[p][r4] = mlp_act_d1(a[p], d1);                                                         \
      u_out[p][r4] = d1 * au[p];                                                                   \
    }                                                                                              \
  }

// Output row `row` (0 or 1) of the last layer for every particle of the batch: y[p] = W h[p] (the
// bias is added by the caller, as core adds it after the product).
#define MLP_OUT_ROW(h, row, y)                                                                     \
  {                                                                                                \
    int base = MLP_WBLAST + (row) * MLP_N(MLP_DLASTIN);                                            \
    for (int p = 0; p < SCORE_BATCH; ++p) y[p] = 0.0;                                              \
    for (int c = 0; c < MLP_N(MLP_DLASTIN); ++c) {                                                 \
      vec4 w = MLP_WLAST[base + c];                                                                \
      for (int p = 0; p < SCORE_BATCH; ++p) y[p] += dot(w, h[p][c]);                               \
    }                                                                                              \
  }

// Features of particle p: the level's time features, then c_in·x in rows 0 and 1.
void mlp_input(vec2 x[SCORE_BATCH], uint level, out vec4 h0[SCORE_BATCH][MLP_N(MLP_D0)]) {
  float c_in = level_c_in(level);
  for (int c = 0; c < MLP_N(MLP_D0); ++c) {
    vec4 f = mlp_time[level * uint(MLP_N(MLP_D0)) + uint(c)];
    for (int p = 0; p < SCORE_BATCH; ++p) h0[p][c] = f;
  }
  for (int p = 0; p < SCORE_BATCH; ++p) h0[p][0].xy = c_in * x[p];
}

// y = net(c_in·x, t) for the batch: (y₀, y₁), or (E, 0) for an energy net.
void mlp_forward(vec2 x[SCORE_BATCH], uint level, out vec2 y[SCORE_BATCH]) {
  vec4 h0[SCORE_BATCH][MLP_N(MLP_D0)];
  mlp_input(x, level, h0);
  vec4 h1[SCORE_BATCH][MLP_N(MLP_D1)];
  MLP_HIDDEN(MLP_W0, MLP_WB0, MLP_D0, MLP_D1, MLP_B0, h0, h1)
#if MLP_LAYERS > 2
  vec4 h2[SCORE_BATCH][MLP_N(MLP_D2)];
  MLP_HIDDEN(MLP_W1, MLP_WB1, MLP_D1, MLP_D2, MLP_B1, h1, h2)
#endif
#if MLP_LAYERS > 3
  vec4 h3[SCORE_BATCH][MLP_N(MLP_D3)];
  MLP_HIDDEN(MLP_W2, MLP_WB2, MLP_D2, MLP_D3, MLP_B2, h2, h3)
#endif
#if MLP_LAYERS > 4
  vec4 h4[SCORE_BATCH][MLP_N(MLP_D4)];
  MLP_HIDDEN(MLP_W3, MLP_WB3, MLP_D3, MLP_D4, MLP_B3, h3, h4)
#endif
#if MLP_LAYERS > 5
  vec4 h5[SCORE_BATCH][MLP_N(MLP_D5)];
  MLP_HIDDEN(MLP_W4, MLP_WB4, MLP_D4, MLP_D5, MLP_B4, h4, h5)
#endif
#if MLP_LAYERS > 6
  vec4 h6[SCORE_BATCH][MLP_N(MLP_D6)];
  MLP_HIDDEN(MLP_W5, MLP_WB5, MLP_D5, MLP_D6, MLP_B5, h5, h6)
#endif
#if MLP_LAYERS > 7
  vec4 h7[SCORE_BATCH][MLP_N(MLP_D7)];
  MLP_HIDDEN(MLP_W6, MLP_WB6, MLP_D6, MLP_D7, MLP_B6, h6, h7)
#endif
#if MLP_LAYERS > 8
  vec4 h8[SCORE_BATCH][MLP_N(MLP_D8)];
  MLP_HIDDEN(MLP_W7, MLP_WB7, MLP_D7, MLP_D8, MLP_B7, h7, h8)
#endif
  vec4 bias = mlp_head[MLP_BLAST];
  float y0[SCORE_BATCH], y1[SCORE_BATCH];
  MLP_OUT_ROW(MLP_HLAST, 0, y0)
#if !MLP_ENERGY
  MLP_OUT_ROW(MLP_HLAST, 1, y1)
#endif
  for (int p = 0; p < SCORE_BATCH; ++p) {
#if MLP_ENERGY
    y[p] = vec2(y0[p] + bias.x, 0.0);
#else
    y[p] = vec2(y0[p] + bias.x, y1[p] + bias.y);
#endif
  }
}

// y and the forward-mode products J·(c_in e₁), J·(c_in e₂) with J = ∂y/∂(feature rows 0, 1):
// jac[p] is a mat2 whose column k is ∂y/∂x_k (energy nets: only row 0 is meaningful). One tangent
// per pass, the two directions in a loop the compiler does not unroll: the network's code appears
// once (a two-tangent body took llvmpipe minutes to compile; the primal is computed twice instead).
void mlp_forward_jac(vec2 x[SCORE_BATCH], uint level, out vec2 y[SCORE_BATCH], out mat2 jac[SCORE_BATCH]) {
  float c_in = level_c_in(level);
  for (int k = 0; k < 2 + mlp_opaque_zero; ++k) {
    vec4 h0[SCORE_BATCH][MLP_N(MLP_D0)], u0[SCORE_BATCH][MLP_N(MLP_D0)];
    mlp_input(x, level, h0);
    for (int p = 0; p < SCORE_BATCH; ++p) {
      for (int c = 0; c < MLP_N(MLP_D0); ++c) u0[p][c] = vec4(0.0);
      u0[p][0] = k == 0 ? vec4(c_in, 0.0, 0.0, 0.0) : vec4(0.0, c_in, 0.0, 0.0);
    }
    vec4 h1[SCORE_BATCH][MLP_N(MLP_D1)], u1[SCORE_BATCH][MLP_N(MLP_D1)];
    MLP_HIDDEN_T1(MLP_W0, MLP_WB0, MLP_D0, MLP_D1, MLP_B0, h0, u0, h1, u1)
#if MLP_LAYERS > 2
    vec4 h2[SCORE_BATCH][MLP_N(MLP_D2)], u2[SCORE_BATCH][MLP_N(MLP_D2)];
    MLP_HIDDEN_T1(MLP_W1, MLP_WB1, MLP_D1, MLP_D2, MLP_B1, h1, u1, h2, u2)
#endif
#if MLP_LAYERS > 3
    vec4 h3[SCORE_BATCH][MLP_N(MLP_D3)], u3[SCORE_BATCH][MLP_N(MLP_D3)];
    MLP_HIDDEN_T1(MLP_W2, MLP_WB2, MLP_D2, MLP_D3, MLP_B2, h2, u2, h3, u3)
#endif
#if MLP_LAYERS > 4
    vec4 h4[SCORE_BATCH][MLP_N(MLP_D4)], u4[SCORE_BATCH][MLP_N(MLP_D4)];
    MLP_HIDDEN_T1(MLP_W3, MLP_WB3, MLP_D3, MLP_D4, MLP_B3, h3, u3, h4, u4)
#endif
#if MLP_LAYERS > 5
    vec4 h5[SCORE_BATCH][MLP_N(MLP_D5)], u5[SCORE_BATCH][MLP_N(MLP_D5)];
    MLP_HIDDEN_T1(MLP_W4, MLP_WB4, MLP_D4, MLP_D5, MLP_B4, h4, u4, h5, u5)
#endif
#if MLP_LAYERS > 6
    vec4 h6[SCORE_BATCH][MLP_N(MLP_D6)], u6[SCORE_BATCH][MLP_N(MLP_D6)];
    MLP_HIDDEN_T1(MLP_W5, MLP_WB5, MLP_D5, MLP_D6, MLP_B5, h5, u5, h6, u6)
#endif
#if MLP_LAYERS > 7
    vec4 h7[SCORE_BATCH][MLP_N(MLP_D7)], u7[SCORE_BATCH][MLP_N(MLP_D7)];
    MLP_HIDDEN_T1(MLP_W6, MLP_WB6, MLP_D6, MLP_D7, MLP_B6, h6, u6, h7, u7)
#endif
#if MLP_LAYERS > 8
    vec4 h8[SCORE_BATCH][MLP_N(MLP_D8)], u8[SCORE_BATCH][MLP_N(MLP_D8)];
    MLP_HIDDEN_T1(MLP_W7, MLP_WB7, MLP_D7, MLP_D8, MLP_B7, h7, u7, h8, u8)
#endif
    vec4 bias = mlp_head[MLP_BLAST];
    float y0[SCORE_BATCH], y1[SCORE_BATCH], u_0[SCORE_BATCH], u_1[SCORE_BATCH];
    MLP_OUT_ROW(MLP_HLAST, 0, y0)
    MLP_OUT_ROW(MLP_ULAST, 0, u_0)
#if MLP_ENERGY
    for (int p = 0; p < SCORE_BATCH; ++p) {
      y1[p] = 0.0;  // y = (E, 0): bias.y is the zero padding
      u_1[p] = 0.0;
    }
#else
    MLP_OUT_ROW(MLP_HLAST, 1, y1)
    MLP_OUT_ROW(MLP_ULAST, 1, u_1)
#endif
    for (int p = 0; p < SCORE_BATCH; ++p) {
      y[p] = vec2(y0[p] + bias.x, y1[p] + bias.y);
      jac[p][k] = vec2(u_0[p], u_1[p]);
    }
  }
}

// The score (core/nn/score_network.cpp): net/s for score nets, −∇ₓE/s for energy nets, with the
// level's out_scale (core's output_scale: 1/max(s, 1e-6), and 1 at s = 0 exactly).
void mlp_score(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH]) {
  float scale = level_out_scale(level);
#if MLP_ENERGY
  vec2 y[SCORE_BATCH];
  mat2 jac[SCORE_BATCH];
  mlp_forward_jac(x, level, y, jac);
  for (int p = 0; p < SCORE_BATCH; ++p) s[p] = vec2(jac[p][0][0], jac[p][1][0]) * -scale;
#else
  mlp_forward(x, level, s);
  for (int p = 0; p < SCORE_BATCH; ++p) s[p] = s[p] * scale;
#endif
}

// Score and its exact divergence (∂y₀/∂x₁ + ∂y₁/∂x₂)/s. Energy nets would need second-order
// forward mode (not in this kernel): the host refuses them for the divergence.
void mlp_score_div(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH], out float div[SCORE_BATCH]) {
  float scale = level_out_scale(level);
  mat2 jac[SCORE_BATCH];
  mlp_forward_jac(x, level, s, jac);
  for (int p = 0; p < SCORE_BATCH; ++p) {
    div[p] = (jac[p][0][0] + jac[p][1][1]) * scale;
    s[p] = s[p] * scale;
  }
}

#endif  // SCORELAB_MLP_GLSL
