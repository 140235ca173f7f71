// The probability-flow ODE (deterministic sampler) and the DDPM ancestral sampler.
#include <cmath>

#include "core/parallel.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

void flow_rhs(const FlowPoint& p, const ScoreFunction& score, const Points& x, Points& out) {
  score.score(x, p.level, out);
  out = p.drift * x - p.half_g2 * out;
}

void probability_flow_rhs(const Sde& sde, const ScoreFunction& score, double t, const Points& x, Points& out) {
  flow_rhs(sde_flow_point(sde, t), score, x, out);
}

int ProbabilityFlowSampler::step(int k, Points& x, uint32_t first_particle) {
  if (k >= config_.steps) {  // the optional Tweedie step after the last (EDM's last step is an Euler one)
    tweedie(k, x, level_at(k));
    return 1;
  }
  const StepTracer trace = begin_trace(k, "x ← x + h·v(x, t),  v = f·x − ½g²·s  (averaged over the solver's stages)", x);
  const OdeStep st = ode_step(sde_, grid_, config_, k);
  if (st.churn_std > 0) {  // EDM's churn: back up to σ̂ with fresh noise (counter k)
    const uint32_t seed = config_.seed;
    if (trace.on())
      trace.add("churn noise", st.churn_std * normal2(seed, first_particle + uint32_t(trace.column()), uint32_t(k)));
    parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
      for (Eigen::Index j = begin; j < end; ++j)
        x.col(j) += st.churn_std * normal2(seed, first_particle + uint32_t(j), uint32_t(k));
    });
  }
  const double h = st.h;
  const FlowPoint* p = st.points;  // t, t + h/2, t + h
  switch (st.solver) {
    case OdeSolver::euler: {
      flow_rhs(p[0], score_, x, s_);
      if (trace.on()) trace.add("h·v(x, t)", h * s_.col(trace.column()));
      x += h * s_;
      return 1;
    }
    case OdeSolver::heun: {  // EDM's second-order step: trapezoid on an Euler predictor
      Points k1, k2;
      flow_rhs(p[0], score_, x, k1);
      flow_rhs(p[2], score_, x + h * k1, k2);
      if (trace.on()) {
        trace.add("½h·v₁", 0.5 * h * k1.col(trace.column()));
        trace.add("½h·v₂", 0.5 * h * k2.col(trace.column()));
      }
      x += 0.5 * h * (k1 + k2);
      return 2;
    }
    case OdeSolver::rk4: {
      Points k1, k2, k3, k4;
      flow_rhs(p[0], score_, x, k1);
      flow_rhs(p[1], score_, x + 0.5 * h * k1, k2);
      flow_rhs(p[1], score_, x + 0.5 * h * k2, k3);
      flow_rhs(p[2], score_, x + h * k3, k4);
      if (trace.on()) {
        const Eigen::Index j = trace.column();
        trace.add("h/6·v₁", h / 6.0 * k1.col(j));
        trace.add("h/3·v₂", h / 3.0 * k2.col(j));
        trace.add("h/3·v₃", h / 3.0 * k3.col(j));
        trace.add("h/6·v₄", h / 6.0 * k4.col(j));
      }
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
    tweedie(k, x, level_at(k));
    return 1;
  }
  const StepTracer trace = begin_trace(k, "x ← (x + βᵢ·s)/√αᵢ + √βᵢ·z", x);
  score_.score(x, grid_.level(k), s_);
  const AncestralStep st = ancestral_step(sde_, grid_, k);  // x ← a·x + b·s + c·z
  const double a = st.a, b = st.b, c = st.c;
  uint32_t seed = config_.seed;
  if (trace.on()) {
    const Eigen::Index j = trace.column();
    trace.add("(1/√αᵢ − 1)·x", (a - 1.0) * x.col(j));
    trace.add("βᵢ/√αᵢ·s", b * s_.col(j));
    trace.add("√βᵢ·z", c * normal2(seed, first_particle + uint32_t(j), uint32_t(k)));
  }
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j)
      x.col(j) = a * x.col(j) + b * s_.col(j) + c * normal2(seed, first_particle + uint32_t(j), uint32_t(k));
  });
  return 1;
}

}  // namespace scorelab
