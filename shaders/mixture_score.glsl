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

// Overwrites the logits with the responsibilities rₖ = exp(logitₖ − max)/Σⱼ exp(logitⱼ − max), normalised
// by the sum itself as core's GaussianMixture::responsibilities (exp(logitₖ − log p) sums to the number of
// tied components once |logit| ≫ 1/ulp); returns ḡ = Σₖ rₖ gₖ, the score.
vec2 mixture_responsibilities(inout float logits[MIX_K], vec2 g[MIX_K]) {
  float max_logit = logits[0];
  for (int k = 1; k < MIX_K; ++k) max_logit = max(max_logit, logits[k]);
  float sum = 0.0;
  for (int k = 0; k < MIX_K; ++k) {
    logits[k] = exp(logits[k] - max_logit);
    sum += logits[k];
  }
  vec2 mean_g = vec2(0.0);
  for (int k = 0; k < MIX_K; ++k) {
    logits[k] /= sum;
    mean_g += logits[k] * g[k];
  }
  return mean_g;
}

// ∇ log p = Σₖ rₖ gₖ.
vec2 mixture_score(vec2 x, uint level) {
  float logits[MIX_K];
  vec2 g[MIX_K];
  mixture_log_terms(x, level, logits, g);
  return mixture_responsibilities(logits, g);
}

// Score and its divergence tr ∇² log p = Σₖ rₖ(‖gₖ − ḡ‖² − tr Pₖ), ḡ = Σₖ rₖ gₖ: the responsibilities'
// variance of g in two passes, as core (the one-pass Σ rₖ‖gₖ‖² − ‖ḡ‖² cancels far from the data).
vec2 mixture_score_div(vec2 x, uint level, out float div) {
  float logits[MIX_K];
  vec2 g[MIX_K];
  mixture_log_terms(x, level, logits, g);
  uint base = 2u * level * uint(MIX_K);
  vec2 mean_g = mixture_responsibilities(logits, g);  // logits now hold rₖ
  float tr = 0.0;
  for (int k = 0; k < MIX_K; ++k) {
    vec2 d = g[k] - mean_g;
    tr += logits[k] * (dot(d, d) - mix_comp[base + 2u * uint(k)].w);
  }
  div = tr;
  return mean_g;
}

#endif  // SCORELAB_MIXTURE_SCORE_GLSL
