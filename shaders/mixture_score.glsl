#ifndef SCORELAB_MIXTURE_SCORE_GLSL
#define SCORELAB_MIXTURE_SCORE_GLSL
// The exact score of a Gaussian mixture at a noise level: the GLSL twin of core/mixture.cpp
// (GaussianMixture::log_terms, score, score_and_divergence, log_prob), in float.
//
// MIX_K (compile-time) components per level. The host (app/gpu/gpu_score.cpp) prepares each level's
// noised mixture with core's GaussianMixture::noised(m, s) in double — the law of m·x₀ + s·z,
// Σₖ πₖ N(m μₖ, m²Σₖ + s²I) — and stores component k of level i as two vec4:
//   mix_comp[2(i·K + k)]     = (m μₖ, log_norm = log πₖ − ½ log det Σ'ₖ − log 2π, tr Pₖ)
//   mix_comp[2(i·K + k) + 1] = (P₀₀, P₀₁, P₁₁, 0) with Pₖ = Σ'ₖ⁻¹ (symmetric)
#ifndef MIX_K
#error "mixture_score.glsl needs MIX_K"
#endif

// Kernels that read at most 3 levels per dispatch get the table as a uniform block (MIX_UBO_VEC4
// defined by the host): the component loop is unrolled, so its offsets are constants, which
// llvmpipe loads once per SIMD row instead of once per lane (storage buffer).
#ifdef MIX_UBO_VEC4
layout(std140, binding = 10) uniform MixtureLevels { vec4 mix_comp[MIX_UBO_VEC4]; };
#else
layout(std430, binding = 4) readonly buffer MixtureLevels { vec4 mix_comp[]; };
#endif

// Writes the component logits and scores gₖ = −Pₖ(x − μₖ); returns log p(x) by log-sum-exp.
float mixture_log_terms(vec2 x, uint level, out float logits[MIX_K], out vec2 g[MIX_K]) {
  uint base = 2u * level * uint(MIX_K);
  float max_logit = -3.402823466e38;
  for (int k = 0; k < MIX_K; ++k) {
    vec4 a = mix_comp[base + 2u * uint(k)];
    vec4 p = mix_comp[base + 2u * uint(k) + 1u];
    vec2 d = x - a.xy;
    vec2 pd = vec2(p.x * d.x + p.y * d.y, p.y * d.x + p.z * d.y);
    g[k] = -pd;
    logits[k] = a.z - 0.5 * dot(d, pd);
    max_logit = max(max_logit, logits[k]);
  }
  float sum = 0.0;
  for (int k = 0; k < MIX_K; ++k) sum += exp(logits[k] - max_logit);
  return max_logit + log(sum);
}

float mixture_log_prob(vec2 x, uint level) {
  float logits[MIX_K];
  vec2 g[MIX_K];
  return mixture_log_terms(x, level, logits, g);
}

// ∇ log p = Σₖ rₖ gₖ with rₖ = exp(logitₖ − log p).
vec2 mixture_score(vec2 x, uint level) {
  float logits[MIX_K];
  vec2 g[MIX_K];
  float lp = mixture_log_terms(x, level, logits, g);
  vec2 acc = vec2(0.0);
  for (int k = 0; k < MIX_K; ++k) acc += exp(logits[k] - lp) * g[k];
  return acc;
}

// Score and its divergence tr ∇² log p = Σₖ rₖ(‖gₖ‖² − tr Pₖ) − ‖Σₖ rₖ gₖ‖².
vec2 mixture_score_div(vec2 x, uint level, out float div) {
  float logits[MIX_K];
  vec2 g[MIX_K];
  float lp = mixture_log_terms(x, level, logits, g);
  uint base = 2u * level * uint(MIX_K);
  vec2 mean_g = vec2(0.0);
  float tr = 0.0;
  for (int k = 0; k < MIX_K; ++k) {
    float r = exp(logits[k] - lp);
    mean_g += r * g[k];
    tr += r * (dot(g[k], g[k]) - mix_comp[base + 2u * uint(k)].w);
  }
  div = tr - dot(mean_g, mean_g);
  return mean_g;
}

#endif  // SCORELAB_MIXTURE_SCORE_GLSL
