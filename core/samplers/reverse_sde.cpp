// Reverse-time SDE samplers: Euler–Maruyama and predictor–corrector.
#include <cmath>

#include "core/parallel.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

TimeGridSampler::TimeGridSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s)
    : Sampler(c, n, s), eps_(sde_.sampling_eps()), h_((1.0 - eps_) / c.steps) {}

namespace {
// One Euler–Maruyama step of the reverse SDE from t to t − h, given s = score(x, t):
// x ← x − [f(t)·x − g²·s]·h + g·√h·z.
void reverse_em_update(const Sde& sde, double t, double h, Points& x, const Points& s, uint32_t seed,
                       uint32_t first, uint32_t counter) {
  double f = sde.drift_coef(t), g = sde.diffusion(t);
  double g2 = g * g, noise_scale = g * std::sqrt(h);
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j) {
      Vec2 drift = f * x.col(j) - g2 * s.col(j);
      x.col(j) += -drift * h + noise_scale * normal2(seed, first + uint32_t(j), counter);
    }
  });
}
}  // namespace

int EulerMaruyamaSampler::step(int k, Points& x, uint32_t first_particle) {
  if (is_denoise_step(k)) {
    tweedie(x, level_at(k));
    return 1;
  }
  double t = time_at(k);
  score_.score(x, sde_.level(t), s_);
  reverse_em_update(sde_, t, h_, x, s_, config_.seed, first_particle, uint32_t(k));
  return 1;
}

int PredictorCorrectorSampler::step(int k, Points& x, uint32_t first_particle) {
  if (is_denoise_step(k)) {
    tweedie(x, level_at(k));
    return 1;
  }
  double t = time_at(k);
  NoiseLevel level = sde_.level(t);
  int m = config_.corrector_steps;
  uint32_t base = uint32_t(k) * uint32_t(m + 1);
  // α = 1 − βᵢ with βᵢ = β(t)·h the discrete-chain β (VP, sub-VP); 1 for VE.
  double alpha = sde_.kind() == NoiseKind::ve ? 1.0 : 1.0 - sde_.beta(t) * h_;
  for (int c = 0; c < m; ++c) {
    score_.score(x, level, s_);
    // Song et al.'s corrector uses population-averaged norms; with d = 2, ‖z‖ is replaced by √d.
    double mean_norm = s_.colwise().norm().mean();
    if (!(mean_norm > 0) || !std::isfinite(mean_norm)) continue;  // a zero field: nothing to correct
    double r = config_.snr * std::sqrt(2.0) / mean_norm;
    double e = 2.0 * alpha * r * r;
    double noise_scale = std::sqrt(2.0 * e);
    parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
      for (Eigen::Index j = begin; j < end; ++j)
        x.col(j) += e * s_.col(j) + noise_scale * noise(first_particle + uint32_t(j), base + uint32_t(c));
    });
  }
  score_.score(x, level, s_);
  reverse_em_update(sde_, t, h_, x, s_, config_.seed, first_particle, base + uint32_t(m));
  return m + 1;
}

}  // namespace scorelab
