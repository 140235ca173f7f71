#include "app/gui/schedule_drag.hpp"

#include <algorithm>
#include <cmath>

namespace scorelab {

namespace {

constexpr double kMinSigmaRatio = 1.01;  // σ_max / σ_min at the closest a drag brings them

bool sigma_kind(NoiseKind kind) { return kind != NoiseKind::vp && kind != NoiseKind::subvp; }

double log10_snr(const NoiseConfig& config, double t) {
  const Sde sde(config);
  const double m = sde.mean_coef(t), s = sde.std_dev(t);
  return std::log10(m * m / std::max(s * s, 1e-300));
}

double edm_log_sigma(const NoiseConfig& c, double u) {
  const double a = std::pow(c.sigma_max, 1.0 / c.rho), b = std::pow(c.sigma_min, 1.0 / c.rho);
  return c.rho * std::log10(a + u * (b - a));
}

}  // namespace

std::vector<ScheduleHandle> schedule_handles(const NoiseConfig& c) {
  std::vector<ScheduleHandle> out;
  const bool sigmas = sigma_kind(c.kind);
  for (ScheduleParam p : sigmas ? std::vector{ScheduleParam::sigma_min, ScheduleParam::sigma_max}
                                : std::vector{ScheduleParam::beta_min, ScheduleParam::beta_max}) {
    const bool low = p == ScheduleParam::sigma_min || p == ScheduleParam::beta_min;
    out.push_back({p, ScheduleCurve::log_snr, low ? 0.0 : 1.0, handle_value(c, p)});
  }
  if (c.kind == NoiseKind::edm) out.push_back({ScheduleParam::rho, ScheduleCurve::edm_levels, 0.5, handle_value(c, ScheduleParam::rho)});
  return out;
}

double param_value(const NoiseConfig& c, ScheduleParam p) {
  switch (p) {
    case ScheduleParam::sigma_min: return c.sigma_min;
    case ScheduleParam::sigma_max: return c.sigma_max;
    case ScheduleParam::beta_min: return c.beta_min;
    case ScheduleParam::beta_max: return c.beta_max;
    case ScheduleParam::rho: return c.rho;
  }
  return 0;
}

void set_param(NoiseConfig& c, ScheduleParam p, double v) {
  switch (p) {
    case ScheduleParam::sigma_min: c.sigma_min = v; break;
    case ScheduleParam::sigma_max: c.sigma_max = v; break;
    case ScheduleParam::beta_min: c.beta_min = v; break;
    case ScheduleParam::beta_max: c.beta_max = v; break;
    case ScheduleParam::rho: c.rho = v; break;
  }
}

const char* param_name(ScheduleParam p) {
  switch (p) {
    case ScheduleParam::sigma_min: return "σ_min";
    case ScheduleParam::sigma_max: return "σ_max";
    case ScheduleParam::beta_min: return "β_min";
    case ScheduleParam::beta_max: return "β_max";
    case ScheduleParam::rho: return "ρ";
  }
  return "?";
}

const char* param_formula(ScheduleParam p) {
  switch (p) {
    case ScheduleParam::sigma_min:
      return "The smallest noise, where sampling ends: s(ε) ≈ σ_min, so log₁₀ SNR(ε) ≈ −2 log₁₀ σ_min.\n"
             "σ(t) = σ_min (σ_max/σ_min)^t";
    case ScheduleParam::sigma_max:
      return "The largest noise, where sampling starts from N(0, σ_max² I): s(1) = σ_max, log₁₀ SNR(1) = −2 log₁₀ "
             "σ_max. It should be about the largest distance in the data (watch the prior-mismatch gauge).\n"
             "σ(t) = σ_min (σ_max/σ_min)^t";
    case ScheduleParam::beta_min:
      return "How fast noise starts: near t = 0, B(t) ≈ β_min·t, so SNR(ε) ≈ 1/(β_min·ε).\n"
             "β(t) = β_min + t(β_max − β_min),  m = e^(−B/2)";
    case ScheduleParam::beta_max:
      return "How much signal is left at t = 1: B(1) = ½(β_min + β_max), m(1) = e^(−B(1)/2); too small and p₁ is not "
             "the N(0, I) prior (watch the gauge).\nβ(t) = β_min + t(β_max − β_min),  m = e^(−B/2)";
    case ScheduleParam::rho:
      return "EDM's spacing exponent: larger ρ puts more levels near σ_min (the middle level drops).\n"
             "σᵢ = (σ_max^(1/ρ) + i/(N−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ";
  }
  return "";
}

double handle_value(const NoiseConfig& c, ScheduleParam p) {
  switch (p) {
    case ScheduleParam::sigma_min:
    case ScheduleParam::beta_min: return log10_snr(c, Sde(c).sampling_eps());
    case ScheduleParam::sigma_max:
    case ScheduleParam::beta_max: return log10_snr(c, 1.0);
    case ScheduleParam::rho: return edm_log_sigma(c, 0.5);
  }
  return 0;
}

ParamRange drag_range(const NoiseConfig& c, ScheduleParam p) {
  // The Noise panel's slider ranges.
  ParamRange r{0, 0};
  switch (p) {
    case ScheduleParam::sigma_min: r = {1e-3, 10.0}; break;
    case ScheduleParam::sigma_max: r = {0.1, 200.0}; break;
    case ScheduleParam::beta_min: r = {1e-3, 10.0}; break;
    case ScheduleParam::beta_max: r = {0.1, 100.0}; break;
    case ScheduleParam::rho: r = {1.0, 20.0}; break;
  }
  const double now = param_value(c, p);
  r.lo = std::min(r.lo, now);
  r.hi = std::max(r.hi, now);
  if (p == ScheduleParam::sigma_min) r.hi = std::min(r.hi, c.sigma_max / kMinSigmaRatio);
  if (p == ScheduleParam::sigma_max) r.lo = std::max(r.lo, c.sigma_min * kMinSigmaRatio);
  if (p == ScheduleParam::beta_min) r.hi = std::min(r.hi, c.beta_max);
  if (p == ScheduleParam::beta_max) r.lo = std::max(r.lo, c.beta_min);
  r.hi = std::max(r.hi, r.lo);
  return r;
}

NoiseConfig drag_param(const NoiseConfig& c, ScheduleParam p, double target) {
  const ParamRange r = drag_range(c, p);
  NoiseConfig out = c;
  auto value_at = [&](double log_v) {
    set_param(out, p, std::exp(log_v));
    return handle_value(out, p);
  };
  double a = std::log(r.lo), b = std::log(r.hi);
  const double fa = value_at(a), fb = value_at(b);
  const bool increasing = fb > fa;
  double solution;
  if (!std::isfinite(target) || fa == fb || (increasing ? target <= fa : target >= fa)) {
    solution = !std::isfinite(target) || fa == fb ? param_value(c, p) : r.lo;
  } else if (increasing ? target >= fb : target <= fb) {
    solution = r.hi;
  } else {
    for (int i = 0; i < 60; ++i) {
      const double mid = 0.5 * (a + b);
      if ((value_at(mid) < target) == increasing) a = mid;
      else b = mid;
    }
    solution = std::clamp(std::exp(0.5 * (a + b)), r.lo, r.hi);
  }
  set_param(out, p, solution);
  return out;
}

double pixel_x(const PlotRect& r, double x) { return r.left + x * (r.right - r.left); }

double pixel_y(const PlotRect& r, double value) {
  return r.top + (r.hi - value) / (r.hi - r.lo) * (r.bottom - r.top);
}

double value_at_y(const PlotRect& r, double y) {
  return r.hi - (y - r.top) / (r.bottom - r.top) * (r.hi - r.lo);
}

std::vector<float> edm_level_curve(const NoiseConfig& c, int n) {
  n = std::max(n, 2);
  std::vector<float> out(n);
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(edm_log_sigma(c, double(i) / (n - 1)));
  return out;
}

}  // namespace scorelab
