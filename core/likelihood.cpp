#include "core/likelihood.hpp"

namespace scorelab {

namespace {
// The augmented ODE state (x, ℓ) with dx/dt = f·x − ½g²·s and dℓ/dt = ∇·f − ½g²·∇·s.
struct Derivative {
  Points dx;    // (2, N)
  Scalars dl;   // (N)
};

void augmented_rhs(const Sde& sde, const ScoreFunction& score, double t, const Points& x, Derivative& out) {
  Points s;
  Scalars div;
  score.score_and_divergence(x, sde.level(t), s, div);
  double f = sde.drift_coef(t), half_g2 = 0.5 * sde.diffusion(t) * sde.diffusion(t);
  out.dx = f * x - half_g2 * s;
  out.dl = Scalars::Constant(x.cols(), sde.drift_divergence(t)) - half_g2 * div;
}
}  // namespace

OdeLikelihoodResult ode_likelihood(const ScoreFunction& score, const NoiseConfig& noise, const Points& x0,
                                   const LikelihoodConfig& config) {
  if (config.steps < 1) throw InputError("likelihood steps must be at least 1");
  Sde sde(noise);
  OdeLikelihoodResult r;
  Points x = x0;
  Scalars l = Scalars::Zero(x0.cols());
  double h = (1.0 - config.eps) / config.steps;
  Derivative k1, k2, k3, k4;
  for (int i = 0; i < config.steps; ++i) {
    double t = config.eps + i * h;
    switch (config.solver) {
      case OdeSolver::euler:
        augmented_rhs(sde, score, t, x, k1);
        x += h * k1.dx;
        l += h * k1.dl;
        r.nfe += 1;
        break;
      case OdeSolver::heun:
        augmented_rhs(sde, score, t, x, k1);
        augmented_rhs(sde, score, t + h, x + h * k1.dx, k2);
        x += 0.5 * h * (k1.dx + k2.dx);
        l += 0.5 * h * (k1.dl + k2.dl);
        r.nfe += 2;
        break;
      case OdeSolver::rk4:
        augmented_rhs(sde, score, t, x, k1);
        augmented_rhs(sde, score, t + 0.5 * h, x + 0.5 * h * k1.dx, k2);
        augmented_rhs(sde, score, t + 0.5 * h, x + 0.5 * h * k2.dx, k3);
        augmented_rhs(sde, score, t + h, x + h * k3.dx, k4);
        x += h / 6.0 * (k1.dx + 2.0 * k2.dx + 2.0 * k3.dx + k4.dx);
        l += h / 6.0 * (k1.dl + 2.0 * k2.dl + 2.0 * k3.dl + k4.dl);
        r.nfe += 4;
        break;
    }
  }
  Scalars prior(x.cols());
  if (config.exact_prior && score.has_log_prob()) {
    score.log_prob(x, sde.level(1.0), prior);
  } else {
    for (Eigen::Index j = 0; j < x.cols(); ++j) prior[j] = sde.prior_log_prob(x.col(j));
  }
  r.log_p0 = prior + l;
  r.x1 = std::move(x);
  r.delta_log_p = std::move(l);
  return r;
}

Scalars ode_log_likelihood(const ScoreFunction& score, const NoiseConfig& noise, const Points& x0,
                           const LikelihoodConfig& config) {
  return ode_likelihood(score, noise, x0, config).log_p0;
}

}  // namespace scorelab
