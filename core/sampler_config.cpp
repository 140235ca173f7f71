#include "core/sampler_config.hpp"

#include "core/particle_budget.hpp"

#include <cmath>
#include <sstream>
#include <string>

namespace scorelab {

SamplerKind parse_sampler_kind(std::string_view name) {
  if (name == "langevin") return SamplerKind::langevin;
  if (name == "annealed") return SamplerKind::annealed;
  if (name == "em") return SamplerKind::em;
  if (name == "pc") return SamplerKind::pc;
  if (name == "ode") return SamplerKind::ode;
  if (name == "ddpm") return SamplerKind::ddpm;
  throw InputError("unknown sampler '" + std::string(name) +
                   "' (expected langevin, annealed, em, pc, ode or ddpm)");
}

const char* to_string(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::langevin: return "langevin";
    case SamplerKind::annealed: return "annealed";
    case SamplerKind::em: return "em";
    case SamplerKind::pc: return "pc";
    case SamplerKind::ode: return "ode";
    case SamplerKind::ddpm: return "ddpm";
  }
  return "?";
}

const char* divergence_hint(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::langevin:
    case SamplerKind::annealed: return "try a smaller step (sampler.eps) or more steps";
    case SamplerKind::pc: return "try more steps or a smaller corrector snr (sampler.snr)";
    default: return "try more steps, or the ODE sampler";
  }
}

OdeSolver parse_ode_solver(std::string_view name) {
  if (name == "euler") return OdeSolver::euler;
  if (name == "heun") return OdeSolver::heun;
  if (name == "rk4") return OdeSolver::rk4;
  throw InputError("unknown ODE solver '" + std::string(name) + "' (expected euler, heun or rk4)");
}

const char* to_string(OdeSolver solver) {
  switch (solver) {
    case OdeSolver::euler: return "euler";
    case OdeSolver::heun: return "heun";
    case OdeSolver::rk4: return "rk4";
  }
  return "?";
}

namespace {

void require(bool ok, std::string_view prefix, std::string_view key, const std::string& problem) {
  if (!ok) throw InputError(std::string(prefix) + "." + std::string(key) + ": " + problem);
}

// NaN fails every comparison, so `in_open_closed(nan, ...)` is false: NaN and ±Inf are refused here.
bool in_open_closed(double v, double lo, double hi) { return std::isfinite(v) && v > lo && v <= hi; }

void require_int(int v, int lo, int hi, std::string_view prefix, std::string_view key) {
  require(v >= lo && v <= hi, prefix, key,
          "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " +
              std::to_string(v) + ")");
}

}  // namespace

void validate(const SamplerConfig& c, std::string_view prefix) {
  require(in_open_closed(c.eps, 0, 10), prefix, "eps", "must be in (0, 10] (got " + format_number(c.eps) + ")");
  require_int(c.steps, 1, 100000, prefix, "steps");
  require_int(c.steps_per_level, 1, 100000, prefix, "steps_per_level");
  require(in_open_closed(c.snr, 0, 10), prefix, "snr", "must be in (0, 10] (got " + format_number(c.snr) + ")");
  require_int(c.corrector_steps, 0, 100, prefix, "corrector_steps");
  require_int(c.particles, 1, kMaxParticles, prefix, "particles");
  require(std::isfinite(c.s_churn) && c.s_churn >= 0 && c.s_churn <= 1000, prefix, "s_churn",
          "must be in [0, 1000] (got " + format_number(c.s_churn) + ")");
  require(std::isfinite(c.s_tmin) && c.s_tmin >= 0, prefix, "s_tmin",
          "must be finite and at least 0 (got " + format_number(c.s_tmin) + ")");
  require(std::isfinite(c.s_tmax) && c.s_tmax >= c.s_tmin, prefix, "s_tmax",
          "must be finite and at least s_tmin (got " + format_number(c.s_tmax) + ")");
  require(std::isfinite(c.s_noise) && c.s_noise >= 0 && c.s_noise <= 10, prefix, "s_noise",
          "must be in [0, 10] (got " + format_number(c.s_noise) + ")");
  // Negative means "the schedule's smallest level", so only the upper end and finiteness matter.
  require(std::isfinite(c.langevin_sigma) && c.langevin_sigma <= 1e4, prefix, "sigma",
          "must be finite and at most 10000 (got " + format_number(c.langevin_sigma) + ")");
  // The box is checked whatever the init kind: a saved scene keeps it, and switching to uniform in
  // the GUI must not produce an empty box.
  for (int d = 0; d < 2; ++d) {
    const char* axis = d == 0 ? "x" : "y";
    require(std::isfinite(c.init.low[d]) && std::abs(c.init.low[d]) <= 1e6, prefix, "init.low",
            std::string("must be finite, |value| <= 1e6 (got ") + format_number(c.init.low[d]) + " for " + axis + ")");
    require(std::isfinite(c.init.high[d]) && std::abs(c.init.high[d]) <= 1e6, prefix, "init.high",
            std::string("must be finite, |value| <= 1e6 (got ") + format_number(c.init.high[d]) + " for " + axis + ")");
    require(c.init.low[d] < c.init.high[d], prefix, "init",
            std::string("low must be below high in ") + axis + " (got low " + format_number(c.init.low[d]) +
                ", high " + format_number(c.init.high[d]) + ")");
  }
}

}  // namespace scorelab
