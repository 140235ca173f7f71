#ifndef SCORELAB_SDE_GLSL
#define SCORELAB_SDE_GLSL
// SDE coefficients and noise levels, one table row per level a kernel may ask for.
//
// Why a table and not the formulas: every particle of a dispatch shares t, so the host evaluates
// core's Sde (core/schedules.cpp) in double once per level — with expm1, which GLSL lacks and
// which VP's s(t) = √(1 − e^(−B)) needs at small t — and rounds to float once. The kernels then do
// the per-particle arithmetic of core's samplers on these numbers. Filled by app/gpu/gpu_score.cpp.
struct Level {
  vec4 noise;  // (t, m(t), s(t), c_in): the NoiseLevel, and the network's input scale there
  vec4 sde;    // (f(t) drift coefficient, ½g(t)², ∇·f = 2f(t), out_scale = core output_scale(s): 1/max(s, 1e-6), 1 at s = 0)
};
layout(std430, binding = 3) readonly buffer Levels { Level levels[]; };

float level_t(uint i) { return levels[i].noise.x; }
float level_m(uint i) { return levels[i].noise.y; }
float level_s(uint i) { return levels[i].noise.z; }
float level_c_in(uint i) { return levels[i].noise.w; }
float level_drift(uint i) { return levels[i].sde.x; }
float level_half_g2(uint i) { return levels[i].sde.y; }
float level_drift_div(uint i) { return levels[i].sde.z; }
float level_out_scale(uint i) { return levels[i].sde.w; }

// The probability-flow right-hand side f(t)·x − ½g(t)²·s (core: probability_flow_rhs).
vec2 probability_flow(uint i, vec2 x, vec2 s) { return level_drift(i) * x - level_half_g2(i) * s; }

#endif  // SCORELAB_SDE_GLSL
