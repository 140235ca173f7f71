#include "core/samplers/step_coefficients.hpp"

#include <algorithm>
#include <cmath>

namespace scorelab {

FlowPoint sde_flow_point(const Sde& sde, double t) {
  const double g = sde.diffusion(t);
  return {sde.level(t), sde.drift_coef(t), 0.5 * g * g, sde.drift_divergence(t)};
}

FlowPoint edm_flow_point(const NoiseConfig& noise, double sigma) {
  // σ = 0 (the ladder's end) has no VE time; it is only ever an end point, never scored.
  const double t = sigma > 0 ? ve_time_of_sigma(sigma, noise.sigma_min, noise.sigma_max) : 0.0;
  return {NoiseLevel{t, 1.0, sigma}, 0.0, sigma, 0.0};
}

SamplerGrid::SamplerGrid(const NoiseConfig& noise, int steps)
    : noise_(noise), sde_(noise), steps_(steps), edm_(noise.kind == NoiseKind::edm), eps_(sde_.sampling_eps()) {
  if (edm_) {
    // N ladder values (one step: σ_max alone), then 0.
    sigmas_ = steps > 1 ? edm_sigmas(noise.sigma_max, noise.sigma_min, steps, noise.rho)
                        : std::vector<double>{noise.sigma_max};
    sigmas_.push_back(0.0);
  }
}

double SamplerGrid::time(int k) const {
  k = std::clamp(k, 0, steps_);
  if (!edm_) return 1.0 - k * ((1.0 - eps_) / steps_);
  return sigmas_[k] > 0 ? ve_time_of_sigma(sigmas_[k], noise_.sigma_min, noise_.sigma_max) : 0.0;
}

NoiseLevel SamplerGrid::level(int k) const {
  k = std::clamp(k, 0, steps_);
  return edm_ ? edm_flow_point(noise_, sigmas_[k]).level : sde_.level(time(k));
}

ReverseSdeStep reverse_sde_step(const Sde& sde, const SamplerGrid& grid, int k) {
  ReverseSdeStep out;
  const double t = grid.time(k), t_next = grid.time(k + 1);
  out.start = sde_flow_point(sde, t);
  out.end = sde_flow_point(sde, t_next);
  out.h = t - t_next;
  const double root_h = std::sqrt(out.h);
  const double g = sde.diffusion(t), g_next = sde.diffusion(t_next);
  out.noise_start = g * root_h;
  out.noise_mean = 0.5 * (g + g_next) * root_h;
  return out;
}

namespace {
// B(t_k) − B(t_{k+1}) ≥ 0: the integrated β of the step.
double step_integrated_beta(const Sde& sde, const SamplerGrid& grid, int k) {
  return sde.integrated_beta(grid.time(k)) - sde.integrated_beta(grid.time(k + 1));
}
}  // namespace

AncestralStep ancestral_step(const Sde& sde, const SamplerGrid& grid, int k) {
  AncestralStep out;
  if (sde.kind() == NoiseKind::vp) {
    const double delta_b = step_integrated_beta(sde, grid, k);
    const double beta = -std::expm1(-delta_b);           // βᵢ = 1 − αᵢ, in (0, 1)
    const double inv_root_alpha = std::exp(0.5 * delta_b);  // 1/√αᵢ
    out.a = inv_root_alpha;
    out.b = beta * inv_root_alpha;
    out.c = std::sqrt(beta);
  } else {
    const double s2 = std::pow(grid.level(k).s, 2), s2_next = std::pow(grid.level(k + 1).s, 2);
    out.a = 1.0;
    out.b = s2 - s2_next;
    out.c = std::sqrt(s2_next * (s2 - s2_next) / s2);
  }
  return out;
}

double corrector_alpha(const Sde& sde, const SamplerGrid& grid, int k) {
  if (sde.kind() == NoiseKind::ve) return 1.0;
  return std::exp(-step_integrated_beta(sde, grid, k));
}

namespace {
// Karras et al. 2022, Alg. 2: γ = min(S_churn/N, √2 − 1) for σ ∈ [S_tmin, S_tmax]. σ̂ = σ(1 + γ) is
// also kept at most σ_max: a network never learned a level above it.
double churn_gamma(const SamplerConfig& c, const NoiseConfig& noise, double sigma, int steps) {
  if (!(c.s_churn > 0) || sigma < c.s_tmin || sigma > c.s_tmax) return 0.0;
  const double gamma = std::min(c.s_churn / steps, std::sqrt(2.0) - 1.0);
  return std::clamp(noise.sigma_max / sigma - 1.0, 0.0, gamma);
}
}  // namespace

OdeStep ode_step(const Sde& sde, const SamplerGrid& grid, const SamplerConfig& config, int k) {
  OdeStep out;
  out.solver = config.solver;
  if (!grid.edm()) {
    const double t = grid.time(k), t_next = grid.time(k + 1);
    out.h = t_next - t;  // negative: backwards in time
    out.points[0] = sde_flow_point(sde, t);
    out.points[1] = sde_flow_point(sde, t + 0.5 * out.h);
    out.points[2] = sde_flow_point(sde, t_next);
    return out;
  }
  const NoiseConfig& noise = grid.noise();
  const double sigma = grid.sigma(k), sigma_next = grid.sigma(k + 1);
  const double sigma_hat = sigma * (1.0 + churn_gamma(config, noise, sigma, grid.steps()));
  out.churn_std = std::sqrt(std::max(0.0, sigma_hat * sigma_hat - sigma * sigma)) * config.s_noise;
  out.h = sigma_next - sigma_hat;
  out.points[0] = edm_flow_point(noise, sigma_hat);
  out.points[1] = edm_flow_point(noise, sigma_hat + 0.5 * out.h);
  out.points[2] = edm_flow_point(noise, sigma_next);
  if (sigma_next == 0.0) out.solver = OdeSolver::euler;  // σ = 0 is never scored (EDM's last step)
  return out;
}

LangevinStep plain_langevin_step(const SamplerConfig& config, const NoiseLevel& level) {
  return {level, config.eps, std::sqrt(2.0 * config.eps)};
}

LangevinStep annealed_langevin_step(const SamplerConfig& config, const std::vector<NoiseLevel>& levels, double eps,
                                    int k) {
  const NoiseLevel& level = levels[std::min<size_t>(k / config.steps_per_level, levels.size() - 1)];
  const double ratio = level.s / levels.back().s;
  const double alpha = eps * ratio * ratio;
  return {level, 0.5 * alpha, std::sqrt(alpha)};
}

double song_ermon_variance_ratio(double eps, double gamma, int steps_per_level, double smallest_s) {
  const double e = eps / (2.0 * smallest_s * smallest_s);
  const double c = 2.0 / (2.0 - e);
  return std::pow(1.0 - e, 2.0 * steps_per_level) * (gamma * gamma - c) + c;
}

double song_ermon_eps(double gamma, int steps_per_level, double smallest_s) {
  // v(e) is smooth with one minimum on (0, 1): golden-section search on e, in log space below
  // (e spans decades: 1e-6 for γ ≈ 1 and few steps, 0.5 for large γ and T).
  auto v = [&](double log_e) {
    return song_ermon_variance_ratio(2.0 * smallest_s * smallest_s * std::exp(log_e), gamma, steps_per_level,
                                     smallest_s);
  };
  double lo = std::log(1e-9), hi = std::log(0.999);
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  double va = v(a), vb = v(b);
  for (int i = 0; i < 200 && hi - lo > 1e-10; ++i) {
    if (va < vb) {
      hi = b, b = a, vb = va;
      a = hi - phi * (hi - lo), va = v(a);
    } else {
      lo = a, a = b, va = vb;
      b = lo + phi * (hi - lo), vb = v(b);
    }
  }
  return 2.0 * smallest_s * smallest_s * std::exp(0.5 * (lo + hi));
}

double annealed_eps(const SamplerConfig& config, const std::vector<NoiseLevel>& levels) {
  if (!config.eps_auto || levels.size() < 2) return config.eps;
  double gamma = 1.0;
  for (size_t i = 1; i < levels.size(); ++i) gamma = std::max(gamma, levels[i - 1].s / levels[i].s);
  return song_ermon_eps(gamma, config.steps_per_level, levels.back().s);
}

}  // namespace scorelab
