#ifndef SCORELAB_MLP_COMMON_GLSL
#define SCORELAB_MLP_COMMON_GLSL
// What both network kernels share (mlp.glsl, the "lanes" kernel for software renderers, and
// mlp_fused.glsl, the workgroup-fused kernel for hardware GPUs): the head block (header, dims,
// Fourier frequencies, biases), each level's time features, and the activations with their first
// derivatives, as core/nn/activation.hpp. See mlp.glsl for the MLP_* defines.
#ifndef MLP_LAYERS
#error "mlp_common.glsl needs the MLP_* defines of app/gpu/gpu_score.cpp"
#endif

#define MLP_N(d) (((d) + 3) / 4)

// Never set, so always 0: a loop bound the compiler cannot see through (see MLP_HIDDEN).
uniform int mlp_opaque_zero;

layout(std140, binding = 0) uniform MlpHead { vec4 mlp_head[MLP_HEAD_VEC4]; };
layout(std430, binding = 9) readonly buffer MlpTime { vec4 mlp_time[]; };
// Activations and their first derivatives, as core/nn/activation.hpp.
vec4 mlp_logistic(vec4 a) { return 1.0 / (1.0 + exp(-a)); }
// log1p without cancellation (Goldberg's trick); `precise` keeps (1 + u) − 1 from being folded.
vec4 mlp_log1p(vec4 u) {
  precise vec4 w = 1.0 + u;
  precise vec4 wm1 = w - 1.0;
  return mix(u, log(w) * u / wm1, notEqual(wm1, vec4(0.0)));
}
#if MLP_ACT == 0
// silu: φ = a·σ(a), φ' = σ(1 + a(1 − σ))
vec4 mlp_act(vec4 a) { return a * mlp_logistic(a); }
vec4 mlp_act_d1(vec4 a, out vec4 d1) {
  vec4 s = mlp_logistic(a);
  d1 = s * (1.0 + a * (1.0 - s));
  return a * s;
}
#elif MLP_ACT == 1
// softplus: φ = max(a, 0) + log1p(e^(−|a|)), φ' = σ(a)
vec4 mlp_act(vec4 a) { return max(a, 0.0) + mlp_log1p(exp(-abs(a))); }
vec4 mlp_act_d1(vec4 a, out vec4 d1) {
  d1 = mlp_logistic(a);
  return mlp_act(a);
}
#else
// tanh: φ' = 1 − φ²
vec4 mlp_act(vec4 a) { return tanh(a); }
vec4 mlp_act_d1(vec4 a, out vec4 d1) {
  vec4 f = tanh(a);
  d1 = 1.0 - f * f;
  return f;
}
#endif

#endif  // SCORELAB_MLP_COMMON_GLSL
