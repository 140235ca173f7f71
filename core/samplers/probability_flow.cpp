// The probability-flow ODE (deterministic sampler) and the DDPM ancestral sampler.
#include <cmath>

#include "core/parallel.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

void probability_flow_rhs(const Sde& sde, const ScoreFunction& score, double t, const Points& x, Points& out) {
  score.score(x, sde.level(t), out);
  double f = sde.drift_coef(t), g = sde.diffusion(t);
  out = f * x - 0.5 * g * g * out;
}

int ProbabilityFlowSampler::step(int k, Points& x, uint32_t) {
  if (is_denoise_step(k)) {
    tweedie(x, level_at(k));
    return 1;
  }
  double t = time_at(k), h = -h_;  // integrating backwards in time
  switch (config_.solver) {
    case OdeSolver::euler: {
      probability_flow_rhs(sde_, score_, t, x, s_);
      x += h * s_;
      return 1;
    }
    case OdeSolver::heun: {  // EDM's second-order step: trapezoid on an Euler predictor
      Points k1, k2;
      probability_flow_rhs(sde_, score_, t, x, k1);
      probability_flow_rhs(sde_, score_, t + h, x + h * k1, k2);
      x += 0.5 * h * (k1 + k2);
      return 2;
    }
    case OdeSolver::rk4: {
      Points k1, k2, k3, k4;
      probability_flow_rhs(sde_, score_, t, x, k1);
      probability_flow_rhs(sde_, score_, t + 0.5 * h, x + 0.5 * h * k1, k2);
      probability_flow_rhs(sde_, score_, t + 0.5 * h, x + 0.5 * h * k2, k3);
      probability_flow_rhs(sde_, score_, t + h, x + h * k3, k4);
      x += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
      return 4;
    }
  }
  return 0;
}

DdpmSampler::DdpmSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s)
    : TimeGridSampler(c, n, s) {
  if (sde_.kind() == NoiseKind::subvp)
    throw InputError("sampler.kind: ddpm runs on a vp or ve-type schedule (geometric, edm, ve), not subvp");
}

int DdpmSampler::step(int k, Points& x, uint32_t first_particle) {
  if (is_denoise_step(k)) {
    tweedie(x, level_at(k));
    return 1;
  }
  double t = time_at(k);
  score_.score(x, sde_.level(t), s_);
  double a, b, c;  // x ← a·x + b·s + c·z
  if (sde_.kind() == NoiseKind::vp) {
    double beta = sde_.beta(t) * h_;
    a = 1.0 / std::sqrt(1.0 - beta);
    b = beta * a;
    c = std::sqrt(beta);
  } else {
    double s2 = std::pow(sde_.std_dev(t), 2), s2_next = std::pow(sde_.std_dev(t - h_), 2);
    a = 1.0;
    b = s2 - s2_next;
    c = std::sqrt(s2_next * (s2 - s2_next) / s2);
  }
  uint32_t seed = config_.seed;
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j)
      x.col(j) = a * x.col(j) + b * s_.col(j) + c * normal2(seed, first_particle + uint32_t(j), uint32_t(k));
  });
  return 1;
}

}  // namespace scorelab
