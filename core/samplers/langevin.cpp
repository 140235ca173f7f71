// Plain and annealed Langevin dynamics.
#include <cmath>

#include "core/parallel.hpp"
#include "core/samplers/samplers.hpp"

namespace scorelab {

namespace {
constexpr const char* kLangevinFormula = "x ← x + ε·∇log p(x) + √(2ε)·z";

// x ← x + a·s + b·z for every particle, z from the particle's stream at `counter`.
void langevin_update(Points& x, const Points& s, double a, double b, uint32_t seed, uint32_t first,
                     uint32_t counter, const StepTracer& trace) {
  if (trace.on()) {
    const Eigen::Index j = trace.column();
    trace.add("ε·s", a * s.col(j));
    trace.add("√(2ε)·z", b * normal2(seed, first + uint32_t(j), counter));
  }
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j)
      x.col(j) += a * s.col(j) + b * normal2(seed, first + uint32_t(j), counter);
  });
}
}  // namespace

LangevinSampler::LangevinSampler(const SamplerConfig& c, const NoiseConfig& n, const ScoreFunction& s)
    : Sampler(c, n, s) {
  const NoiseLevel smallest = discrete_levels(n).back();
  const double lowest = s.lowest_noise(smallest.s);
  if (c.langevin_sigma < 0) {
    level_ = smallest;
  } else if (c.langevin_sigma < lowest) {
    // A network asked below its smallest level divides its output by a tiny s: scores 10⁴–10⁶ too
    // large, and the particles explode. Run at the smallest level it learned instead, and say so.
    level_ = lowest == smallest.s ? smallest : sigma_level(n, lowest);
    note_ = "Langevin ran at sigma = " + format_number(lowest) + ", the smallest level the network learned, not " +
            format_number(c.langevin_sigma);
  } else {
    level_ = sigma_level(n, c.langevin_sigma);  // a σ-level on the data, as single-level training uses
  }
}

int LangevinSampler::step(int k, Points& x, uint32_t first_particle) {
  const StepTracer trace = begin_trace(k, kLangevinFormula, x);
  const LangevinStep st = plain_langevin_step(config_, level_);
  score_.score(x, st.level, s_);
  langevin_update(x, s_, st.a, st.b, config_.seed, first_particle, uint32_t(k), trace);
  return 1;
}

AnnealedLangevinSampler::AnnealedLangevinSampler(const SamplerConfig& c, const NoiseConfig& n,
                                                 const ScoreFunction& s)
    : Sampler(c, n, s), levels_(discrete_levels(n)), eps_(annealed_eps(c, levels_)) {
  const double bound = annealed_stability_bound(levels_.back().s);
  if (eps_ >= bound)
    note_ = "annealed Langevin: eps = " + format_number(eps_) + " is at or above the stability bound 4*sigma_L^2 = " +
            format_number(bound) + " (sigma_L = " + format_number(levels_.back().s) + "): particles will diverge";
}

int AnnealedLangevinSampler::num_steps() const {
  return int(levels_.size()) * config_.steps_per_level + (config_.denoise ? 1 : 0);
}

NoiseLevel AnnealedLangevinSampler::level_at(int k) const {
  return annealed_langevin_step(config_, levels_, eps_, k).level;
}

int AnnealedLangevinSampler::step(int k, Points& x, uint32_t first_particle) {
  const NoiseLevel& last = levels_.back();
  if (k >= int(levels_.size()) * config_.steps_per_level) {  // the optional Tweedie denoise
    tweedie(k, x, last);
    return 1;
  }
  const StepTracer trace = begin_trace(k, "x ← x + εᵢ·∇log p_σᵢ(x) + √(2εᵢ)·z", x);
  const LangevinStep st = annealed_langevin_step(config_, levels_, eps_, k);
  score_.score(x, st.level, s_);
  langevin_update(x, s_, st.a, st.b, config_.seed, first_particle, uint32_t(k), trace);
  return 1;
}

}  // namespace scorelab
