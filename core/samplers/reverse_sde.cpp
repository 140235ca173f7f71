// Reverse-time SDE samplers: Euler–Maruyama and predictor–corrector.
#include <cmath>

#include "core/parallel.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

TimeGridSampler::TimeGridSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s)
    : Sampler(c, n, s), grid_(n, c.steps) {}

namespace {
// x ← x + a(x)·h + noise·z, a(x) = −(drift·x − 2·half_g2·s) the reverse drift at p, z from the
// particle's stream at `counter`.
void reverse_sde_update(const FlowPoint& p, double h, double noise, Points& x, const Points& s, uint32_t seed,
                        uint32_t first, uint32_t counter, const StepTracer& trace = {}) {
  const double f = p.drift, g2 = 2.0 * p.half_g2;
  if (trace.on()) {
    const Eigen::Index j = trace.column();
    trace.add("−f·x·h", -f * x.col(j) * h);
    trace.add("g²·s·h", g2 * s.col(j) * h);
    trace.add("g√h·z", noise * normal2(seed, first + uint32_t(j), counter));
  }
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j) {
      Vec2 drift = f * x.col(j) - g2 * s.col(j);
      x.col(j) += -drift * h + noise * normal2(seed, first + uint32_t(j), counter);
    }
  });
}
}  // namespace

int EulerMaruyamaSampler::step(int k, Points& x, uint32_t first_particle) {
  if (is_denoise_step(k)) {
    tweedie(k, x, level_at(k));
    return 1;
  }
  const bool heun = config_.solver == OdeSolver::heun;
  const StepTracer trace = begin_trace(k, heun ? "x ← x + ½h·[a(x) + a(x̃)] + g√h·z,  a = g²s − f·x"
                                              : "x ← x − [f·x − g²·s]·h + g√h·z", x);
  const ReverseSdeStep st = reverse_sde_step(sde_, grid_, k);
  score_.score(x, st.start.level, s_);
  if (!heun) {
    reverse_sde_update(st.start, st.h, st.noise_start, x, s_, config_.seed, first_particle, uint32_t(k), trace);
    return 1;
  }
  // Stochastic Heun: the predictor x̃ with noise z, then the trapezoid of the two drifts with the same z.
  Points x_tilde = x, s_tilde;
  reverse_sde_update(st.start, st.h, st.noise_start, x_tilde, s_, config_.seed, first_particle, uint32_t(k));
  score_.score(x_tilde, st.end.level, s_tilde);
  const double f0 = st.start.drift, g0 = 2.0 * st.start.half_g2, f1 = st.end.drift, g1 = 2.0 * st.end.half_g2;
  const double h = st.h, noise = st.noise_mean;
  const uint32_t seed = config_.seed;
  if (trace.on()) {
    const Eigen::Index j = trace.column();
    trace.add("½h·a(x)", 0.5 * h * (g0 * s_.col(j) - f0 * x.col(j)));
    trace.add("½h·a(x̃)", 0.5 * h * (g1 * s_tilde.col(j) - f1 * x_tilde.col(j)));
    trace.add("g√h·z", noise * normal2(seed, first_particle + uint32_t(j), uint32_t(k)));
  }
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j) {
      Vec2 a0 = g0 * s_.col(j) - f0 * x.col(j), a1 = g1 * s_tilde.col(j) - f1 * x_tilde.col(j);
      x.col(j) += 0.5 * h * (a0 + a1) + noise * normal2(seed, first_particle + uint32_t(j), uint32_t(k));
    }
  });
  return 2;
}

int PredictorCorrectorSampler::step(int k, Points& x, uint32_t first_particle) {
  if (is_denoise_step(k)) {
    tweedie(k, x, level_at(k));
    return 1;
  }
  const StepTracer trace = begin_trace(k, "corrector: x ← x + ε·s + √(2ε)·z;  predictor: x ← x − [f·x − g²·s]·h + g√h·z", x);
  const ReverseSdeStep st = reverse_sde_step(sde_, grid_, k);
  const NoiseLevel level = st.start.level;
  int m = config_.corrector_steps;
  uint32_t base = uint32_t(k) * uint32_t(m + 1);
  const double alpha = corrector_alpha(sde_, grid_, k);  // 1 (VE) or the step's discrete αᵢ
  for (int c = 0; c < m; ++c) {
    score_.score(x, level, s_);
    // Song et al.'s corrector uses population-averaged norms; with d = 2, ‖z‖ is replaced by √d.
    double mean_norm = s_.colwise().norm().mean();
    if (!(mean_norm > 0) || !std::isfinite(mean_norm)) continue;  // a zero field: nothing to correct
    double r = config_.snr * std::sqrt(2.0) / mean_norm;
    double e = 2.0 * alpha * r * r;
    double noise_scale = std::sqrt(2.0 * e);
    if (trace.on()) {
      const Eigen::Index j = trace.column();
      trace.add("ε·s (corrector)", e * s_.col(j));
      trace.add("√(2ε)·z (corrector)", noise_scale * noise(first_particle + uint32_t(j), base + uint32_t(c)));
    }
    parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
      for (Eigen::Index j = begin; j < end; ++j)
        x.col(j) += e * s_.col(j) + noise_scale * noise(first_particle + uint32_t(j), base + uint32_t(c));
    });
  }
  score_.score(x, level, s_);
  reverse_sde_update(st.start, st.h, st.noise_start, x, s_, config_.seed, first_particle, base + uint32_t(m), trace);
  return m + 1;
}

}  // namespace scorelab
