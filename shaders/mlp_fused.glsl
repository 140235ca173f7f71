#ifndef SCORELAB_MLP_FUSED_GLSL
#define SCORELAB_MLP_FUSED_GLSL
// The score network as a workgroup-fused MLP, for hardware GPUs (in the style of tiny-cuda-nn's
// fully fused MLPs): the same functions and arithmetic as mlp.glsl (mlp_score, mlp_score_div), but
// the 64 invocations of a workgroup evaluate their particles together instead of each on its own.
//
// Why: on a real GPU, mlp.glsl's 8 particles × 64–128 activations per invocation do not fit the
// registers (they spill to local memory) and every invocation reads every weight itself. Here
//   - a pass takes FUSED_T of the workgroup's particles (one per invocation, SCORE_BATCH 1); their
//     activations live in shared memory, feature-major (fused_act[row·T + particle]);
//   - each layer's weights are staged into shared memory (fused_w, column-major) by the whole
//     workgroup, FUSED_KT input columns at a time when the layer is bigger than the shared memory
//     the driver reports (GL_MAX_COMPUTE_SHARED_MEMORY_SIZE; app/gpu/fused_mlp_shape.cpp sizes it);
//   - invocation i computes a register block: rows rg, rg + 8, … of the layer's outputs for
//     particles pg, pg + 8, … of the pass (rg = i / 8, pg = i % 8), every staged weight and
//     activation read once from shared memory and reused across the block;
//   - barriers between the tiles and the layers; the outputs overwrite the inputs in place once
//     every invocation has read them (the activation buffer is one layer wide, not two).
// The Jacobian pass (divergence, energy nets) carries one tangent beside the activations
// (fused_tan), one direction per pass as mlp.glsl does, with FUSED_TJ ≤ FUSED_T particles so that
// the doubled register block still fits.
//
// Every invocation of the workgroup must call these functions the same number of times, in the
// same order (barriers): kernels return early only when the whole workgroup is past the end
// (score_may_skip in score.glsl) and score dummy points otherwise.
//
// Defines (app/gpu/gpu_score.cpp, fused_mlp_shape.cpp), besides those of mlp.glsl:
//   MLP_FUSED 1, MLP_WF<l> float offset of W_l in the packed weights, MLP_RS<l> its row stride,
//   FUSED_T, FUSED_TJ particles per pass (multiples of 8 dividing 64), FUSED_KT input columns per
//   weight tile (a multiple of 4), FUSED_ACT_ROWS rows of the activation buffer (the widest layer),
//   FUSED_W_FLOATS floats of the weight tile.
#if SCORE_BATCH != 1
#error "mlp_fused.glsl: the fused kernel takes one particle per invocation (SCORE_BATCH 1)"
#endif

#include "mlp_common.glsl"

layout(std430, binding = 8) readonly buffer MlpWeightsFused { float mlp_wf[]; };

shared float fused_act[FUSED_ACT_ROWS * FUSED_T];
shared float fused_tan[FUSED_ACT_ROWS * FUSED_TJ];
shared float fused_w[FUSED_W_FLOATS];

const int kFusedGroup = 64;  // invocations per workgroup (particles.glsl, density.comp, score_field.comp)

// Every invocation of the workgroup here, and their shared-memory writes visible to all. (GLSL's
// barrier() orders shared variables in compute shaders already; the explicit memory barrier costs
// nothing and spares a driver that reads the rule narrowly.)
void fused_sync() {
  memoryBarrierShared();
  barrier();
}

float fused_bias(int b, int row) { return mlp_head[b + row / 4][row % 4]; }

// Columns [k0, k0 + kt) of W (rows [0, dout)) into fused_w, column-major (fused_w[c·dout + r]):
// consecutive invocations read consecutive floats of a row (coalesced), and in the product the
// eight row groups read eight neighbouring floats of a column.
void fused_stage_weights(int wf, int rs, int dout, int k0, int kt) {
  for (int idx = int(gl_LocalInvocationID.x); idx < dout * kt; idx += kFusedGroup) {
    int r = idx / kt, c = idx - r * kt;
    fused_w[c * dout + r] = mlp_wf[wf + r * rs + k0 + c];
  }
}

// The network input of this invocation's particle into column p of the pass (rows [0, D0)): the
// level's time features, c_in·x in rows 0 and 1; with a tangent, c_in·e_dir there.
void fused_input(vec2 x, uint level, int p, int t) {
  float c_in = level_c_in(level);
  for (int r = 0; r < MLP_D0; ++r) {
    float f = mlp_time[level * uint(MLP_N(MLP_D0)) + uint(r / 4)][r % 4];
    fused_act[r * t + p] = r == 0 ? c_in * x.x : r == 1 ? c_in * x.y : f;
  }
}
void fused_tangent_input(uint level, int p, int dir) {
  float c_in = level_c_in(level);
  for (int r = 0; r < MLP_D0; ++r) fused_tan[r * FUSED_TJ + p] = r == dir ? c_in : 0.0;
}

// One affine layer for the pass's T particles, rows [0, DIN) of fused_act → rows [0, DOUT), in
// place; LAST: no activation (core adds the bias after the product, then stops).
#define FUSED_LAYER(WF, RS, DIN, DOUT, B, T, LAST)                                                 \
  {                                                                                                \
    const int RPI = ((DOUT) + 7) / 8, PB = (T) / 8;                                                \
    int rg = int(gl_LocalInvocationID.x) / 8, pg = int(gl_LocalInvocationID.x) % 8;                \
    float acc[RPI][PB];                                                                            \
    for (int i = 0; i < RPI; ++i)                                                                  \
      for (int k = 0; k < PB; ++k) acc[i][k] = 0.0;                                                \
    for (int k0 = 0; k0 < (DIN); k0 += FUSED_KT) {                                                 \
      int kt = min(FUSED_KT, (DIN) - k0);                                                          \
      fused_sync();                                                                                   \
      fused_stage_weights(WF, RS, DOUT, k0, kt);                                                   \
      fused_sync();                                                                                   \
      for (int c = 0; c < kt + mlp_opaque_zero; ++c) {                                             \
        float h[PB];                                                                               \
        for (int k = 0; k < PB; ++k) h[k] = fused_act[(k0 + c) * (T) + pg + 8 * k];                \
        for (int i = 0; i < RPI; ++i) {                                                            \
          int row = rg + 8 * i;                                                                    \
          float w = fused_w[c * (DOUT) + min(row, (DOUT) - 1)]; /* rows past DOUT: never stored */ \
          for (int k = 0; k < PB; ++k) acc[i][k] += w * h[k];                                      \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
    fused_sync(); /* every invocation has read the layer's input: it may be overwritten */            \
    for (int i = 0; i < RPI; ++i) {                                                                \
      int row = rg + 8 * i;                                                                        \
      if (row >= (DOUT)) continue;                                                                 \
      float b = fused_bias(B, row);                                                                \
      for (int k = 0; k < PB; ++k)                                                                 \
        fused_act[row * (T) + pg + 8 * k] = (LAST) ? acc[i][k] + b : mlp_act(vec4(acc[i][k] + b)).x; \
    }                                                                                              \
    fused_sync();                                                                                     \
  }

// The same layer with a tangent: ȧ = W ḣ (no bias), ḣ' = φ'(a)⊙ȧ, in fused_tan beside fused_act.
#define FUSED_LAYER_T(WF, RS, DIN, DOUT, B, LAST)                                                  \
  {                                                                                                \
    const int RPI = ((DOUT) + 7) / 8, PB = FUSED_TJ / 8;                                           \
    int rg = int(gl_LocalInvocationID.x) / 8, pg = int(gl_LocalInvocationID.x) % 8;                \
    float acc[RPI][PB], accu[RPI][PB];                                                             \
    for (int i = 0; i < RPI; ++i)                                                                  \
      for (int k = 0; k < PB; ++k) {                                                               \
        acc[i][k] = 0.0;                                                                           \
        accu[i][k] = 0.0;                                                                          \
      }                                                                                            \
    for (int k0 = 0; k0 < (DIN); k0 += FUSED_KT) {                                                 \
      int kt = min(FUSED_KT, (DIN) - k0);                                                          \
      fused_sync();                                                                                   \
      fused_stage_weights(WF, RS, DOUT, k0, kt);                                                   \
      fused_sync();                                                                                   \
      for (int c = 0; c < kt + mlp_opaque_zero; ++c) {                                             \
        float h[PB], u[PB];                                                                        \
        for (int k = 0; k < PB; ++k) {                                                             \
          h[k] = fused_act[(k0 + c) * FUSED_TJ + pg + 8 * k];                                      \
          u[k] = fused_tan[(k0 + c) * FUSED_TJ + pg + 8 * k];                                      \
        }                                                                                          \
        for (int i = 0; i < RPI; ++i) {                                                            \
          int row = rg + 8 * i;                                                                    \
          float w = fused_w[c * (DOUT) + min(row, (DOUT) - 1)]; /* rows past DOUT: never stored */ \
          for (int k = 0; k < PB; ++k) {                                                           \
            acc[i][k] += w * h[k];                                                                 \
            accu[i][k] += w * u[k];                                                                \
          }                                                                                        \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
    fused_sync();                                                                                     \
    for (int i = 0; i < RPI; ++i) {                                                                \
      int row = rg + 8 * i;                                                                        \
      if (row >= (DOUT)) continue;                                                                 \
      float b = fused_bias(B, row);                                                                \
      for (int k = 0; k < PB; ++k) {                                                               \
        int o = row * FUSED_TJ + pg + 8 * k;                                                       \
        if (LAST) {                                                                                \
          fused_act[o] = acc[i][k] + b;                                                            \
          fused_tan[o] = accu[i][k];                                                               \
        } else {                                                                                   \
          vec4 d1;                                                                                 \
          fused_act[o] = mlp_act_d1(vec4(acc[i][k] + b), d1).x;                                    \
          fused_tan[o] = d1.x * accu[i][k];                                                        \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
    fused_sync();                                                                                     \
  }

// y = net(c_in·x, t) for this invocation's particle: (y₀, y₁), or (E, 0) for an energy net.
vec2 fused_forward(vec2 x, uint level) {
  int lid = int(gl_LocalInvocationID.x);
  vec2 y = vec2(0.0);
  for (int pass = 0; pass < kFusedGroup / FUSED_T; ++pass) {
    int p = lid - pass * FUSED_T;
    bool mine = p >= 0 && p < FUSED_T;
    fused_sync();  // the previous pass's outputs have been read
    if (mine) fused_input(x, level, p, FUSED_T);
    fused_sync();
    FUSED_LAYER(MLP_WF0, MLP_RS0, MLP_D0, MLP_D1, MLP_B0, FUSED_T, MLP_LAYERS == 1)
#if MLP_LAYERS > 1
    FUSED_LAYER(MLP_WF1, MLP_RS1, MLP_D1, MLP_D2, MLP_B1, FUSED_T, MLP_LAYERS == 2)
#endif
#if MLP_LAYERS > 2
    FUSED_LAYER(MLP_WF2, MLP_RS2, MLP_D2, MLP_D3, MLP_B2, FUSED_T, MLP_LAYERS == 3)
#endif
#if MLP_LAYERS > 3
    FUSED_LAYER(MLP_WF3, MLP_RS3, MLP_D3, MLP_D4, MLP_B3, FUSED_T, MLP_LAYERS == 4)
#endif
#if MLP_LAYERS > 4
    FUSED_LAYER(MLP_WF4, MLP_RS4, MLP_D4, MLP_D5, MLP_B4, FUSED_T, MLP_LAYERS == 5)
#endif
#if MLP_LAYERS > 5
    FUSED_LAYER(MLP_WF5, MLP_RS5, MLP_D5, MLP_D6, MLP_B5, FUSED_T, MLP_LAYERS == 6)
#endif
#if MLP_LAYERS > 6
    FUSED_LAYER(MLP_WF6, MLP_RS6, MLP_D6, MLP_D7, MLP_B6, FUSED_T, MLP_LAYERS == 7)
#endif
#if MLP_LAYERS > 7
    FUSED_LAYER(MLP_WF7, MLP_RS7, MLP_D7, MLP_D8, MLP_B7, FUSED_T, MLP_LAYERS == 8)
#endif
#if MLP_LAYERS > 8
    FUSED_LAYER(MLP_WF8, MLP_RS8, MLP_D8, MLP_D9, MLP_B8, FUSED_T, MLP_LAYERS == 9)
#endif
#if MLP_ENERGY
    if (mine) y = vec2(fused_act[p], 0.0);
#else
    if (mine) y = vec2(fused_act[p], fused_act[FUSED_T + p]);
#endif
  }
  return y;
}

// y and J = ∂y/∂x (column k: ∂y/∂x_k; energy nets: only row 0 is meaningful), as mlp_forward_jac.
vec2 fused_forward_jac(vec2 x, uint level, out mat2 jac) {
  int lid = int(gl_LocalInvocationID.x);
  vec2 y = vec2(0.0);
  jac = mat2(0.0);
  for (int pass = 0; pass < kFusedGroup / FUSED_TJ; ++pass) {
    int p = lid - pass * FUSED_TJ;
    bool mine = p >= 0 && p < FUSED_TJ;
    for (int dir = 0; dir < 2; ++dir) {
      fused_sync();
      if (mine) {
        fused_input(x, level, p, FUSED_TJ);
        fused_tangent_input(level, p, dir);
      }
      fused_sync();
      FUSED_LAYER_T(MLP_WF0, MLP_RS0, MLP_D0, MLP_D1, MLP_B0, MLP_LAYERS == 1)
#if MLP_LAYERS > 1
      FUSED_LAYER_T(MLP_WF1, MLP_RS1, MLP_D1, MLP_D2, MLP_B1, MLP_LAYERS == 2)
#endif
#if MLP_LAYERS > 2
      FUSED_LAYER_T(MLP_WF2, MLP_RS2, MLP_D2, MLP_D3, MLP_B2, MLP_LAYERS == 3)
#endif
#if MLP_LAYERS > 3
      FUSED_LAYER_T(MLP_WF3, MLP_RS3, MLP_D3, MLP_D4, MLP_B3, MLP_LAYERS == 4)
#endif
#if MLP_LAYERS > 4
      FUSED_LAYER_T(MLP_WF4, MLP_RS4, MLP_D4, MLP_D5, MLP_B4, MLP_LAYERS == 5)
#endif
#if MLP_LAYERS > 5
      FUSED_LAYER_T(MLP_WF5, MLP_RS5, MLP_D5, MLP_D6, MLP_B5, MLP_LAYERS == 6)
#endif
#if MLP_LAYERS > 6
      FUSED_LAYER_T(MLP_WF6, MLP_RS6, MLP_D6, MLP_D7, MLP_B6, MLP_LAYERS == 7)
#endif
#if MLP_LAYERS > 7
      FUSED_LAYER_T(MLP_WF7, MLP_RS7, MLP_D7, MLP_D8, MLP_B7, MLP_LAYERS == 8)
#endif
#if MLP_LAYERS > 8
      FUSED_LAYER_T(MLP_WF8, MLP_RS8, MLP_D8, MLP_D9, MLP_B8, MLP_LAYERS == 9)
#endif
      if (mine) {
#if MLP_ENERGY
        y = vec2(fused_act[p], 0.0);  // (E, 0): an energy net has one output row
        jac[dir] = vec2(fused_tan[p], 0.0);
#else
        y = vec2(fused_act[p], fused_act[FUSED_TJ + p]);
        jac[dir] = vec2(fused_tan[p], fused_tan[FUSED_TJ + p]);
#endif
      }
    }
  }
  return y;
}

// The score and its divergence with the level's out_scale, as mlp.glsl's (see there).
void mlp_score(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH]) {
  float scale = level_out_scale(level);
#if MLP_ENERGY
  mat2 jac;
  fused_forward_jac(x[0], level, jac);
  s[0] = vec2(jac[0][0], jac[1][0]) * -scale;
#else
  s[0] = fused_forward(x[0], level) * scale;
#endif
}

void mlp_score_div(vec2 x[SCORE_BATCH], uint level, out vec2 s[SCORE_BATCH], out float div[SCORE_BATCH]) {
  float scale = level_out_scale(level);
  mat2 jac;
  s[0] = fused_forward_jac(x[0], level, jac) * scale;
  div[0] = (jac[0][0] + jac[1][1]) * scale;
}

#endif  // SCORELAB_MLP_FUSED_GLSL
