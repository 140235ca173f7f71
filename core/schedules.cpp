#include "core/schedules.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

namespace scorelab {

NoiseKind parse_noise_kind(std::string_view name) {
  if (name == "geometric") return NoiseKind::geometric;
  if (name == "edm") return NoiseKind::edm;
  if (name == "ve") return NoiseKind::ve;
  if (name == "vp") return NoiseKind::vp;
  if (name == "subvp") return NoiseKind::subvp;
  throw InputError("unknown noise kind '" + std::string(name) +
                   "' (expected geometric, edm, ve, vp or subvp)");
}

const char* to_string(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::geometric: return "geometric";
    case NoiseKind::edm: return "edm";
    case NoiseKind::ve: return "ve";
    case NoiseKind::vp: return "vp";
    case NoiseKind::subvp: return "subvp";
  }
  return "?";
}

namespace {
void require(bool ok, std::string_view prefix, std::string_view key, const std::string& problem) {
  if (!ok) throw InputError(std::string(prefix) + "." + std::string(key) + ": " + problem);
}
}  // namespace

void validate(const NoiseConfig& c, std::string_view prefix) {
  bool sigma_kind = c.kind == NoiseKind::geometric || c.kind == NoiseKind::edm || c.kind == NoiseKind::ve;
  if (sigma_kind) {
    require(std::isfinite(c.sigma_min) && c.sigma_min > 0 && c.sigma_min <= 1e3, prefix, "sigma_min",
            "must be in (0, 1000] (got " + format_number(c.sigma_min) + ")");
    require(std::isfinite(c.sigma_max) && c.sigma_max > c.sigma_min && c.sigma_max <= 1e4, prefix,
            "sigma_max", "must be above sigma_min and at most 10000 (got " + format_number(c.sigma_max) + ")");
  } else {
    require(std::isfinite(c.beta_min) && c.beta_min > 0 && c.beta_min <= 100, prefix, "beta_min",
            "must be in (0, 100] (got " + format_number(c.beta_min) + ")");
    require(std::isfinite(c.beta_max) && c.beta_max >= c.beta_min && c.beta_max <= 1000, prefix,
            "beta_max", "must be in [beta_min, 1000] (got " + format_number(c.beta_max) + ")");
  }
  require(c.levels >= 2 && c.levels <= 10000, prefix, "levels",
          "must be an integer in [2, 10000] (got " + std::to_string(c.levels) + ")");
  require(std::isfinite(c.rho) && c.rho >= 1 && c.rho <= 100, prefix, "rho",
          "must be in [1, 100] (got " + format_number(c.rho) + ")");
}

std::vector<double> geometric_sigmas(double sigma_max, double sigma_min, int levels) {
  std::vector<double> out(levels);
  for (int i = 0; i < levels; ++i)
    out[i] = sigma_max * std::pow(sigma_min / sigma_max, double(i) / double(levels - 1));
  return out;
}

std::vector<double> edm_sigmas(double sigma_max, double sigma_min, int levels, double rho) {
  std::vector<double> out(levels);
  double a = std::pow(sigma_max, 1.0 / rho), b = std::pow(sigma_min, 1.0 / rho);
  for (int i = 0; i < levels; ++i) out[i] = std::pow(a + double(i) / double(levels - 1) * (b - a), rho);
  return out;
}

double ve_time_of_sigma(double sigma, double sigma_min, double sigma_max) {
  return std::log(sigma / sigma_min) / std::log(sigma_max / sigma_min);
}

NoiseLevel sigma_level(const NoiseConfig& c, double sigma) {
  const bool ve_type = c.kind != NoiseKind::vp && c.kind != NoiseKind::subvp;
  const double t = sigma > 0 && ve_type ? std::clamp(ve_time_of_sigma(sigma, c.sigma_min, c.sigma_max), 0.0, 1.0) : 0.0;
  return {t, 1.0, sigma};
}

Sde::Sde(const NoiseConfig& c)
    : kind_(c.kind == NoiseKind::geometric || c.kind == NoiseKind::edm ? NoiseKind::ve : c.kind),
      sigma_min_(c.sigma_min), sigma_max_(c.sigma_max), beta_min_(c.beta_min), beta_max_(c.beta_max) {}

double Sde::beta(double t) const {
  return kind_ == NoiseKind::ve ? 0.0 : beta_min_ + t * (beta_max_ - beta_min_);
}

double Sde::integrated_beta(double t) const {
  return kind_ == NoiseKind::ve ? 0.0 : beta_min_ * t + 0.5 * t * t * (beta_max_ - beta_min_);
}

double Sde::drift_coef(double t) const { return -0.5 * beta(t); }

double Sde::diffusion(double t) const {
  switch (kind_) {
    case NoiseKind::vp: return std::sqrt(beta(t));
    case NoiseKind::subvp: return std::sqrt(beta(t) * -std::expm1(-2.0 * integrated_beta(t)));
    default: return std_dev(t) * std::sqrt(2.0 * std::log(sigma_max_ / sigma_min_));
  }
}

double Sde::mean_coef(double t) const {
  return kind_ == NoiseKind::ve ? 1.0 : std::exp(-0.5 * integrated_beta(t));
}

double Sde::std_dev(double t) const {
  switch (kind_) {
    // 1 − m² = 1 − e^(−B), computed with expm1 so that small t keeps its digits.
    case NoiseKind::vp: return std::sqrt(-std::expm1(-integrated_beta(t)));
    case NoiseKind::subvp: return -std::expm1(-integrated_beta(t));  // s = 1 − m², a std, not a variance
    default: return sigma_min_ * std::pow(sigma_max_ / sigma_min_, t);
  }
}

double Sde::prior_std() const { return kind_ == NoiseKind::ve ? sigma_max_ : 1.0; }

double Sde::prior_log_prob(const Vec2& x) const {
  double var = prior_std() * prior_std();
  return -x.squaredNorm() / (2.0 * var) - std::log(2.0 * std::numbers::pi * var);
}

double Sde::sampling_eps() const { return kind_ == NoiseKind::ve ? 1e-5 : 1e-3; }

double Sde::time_of_std(double std) const {
  if (kind_ == NoiseKind::ve) return ve_time_of_sigma(std, sigma_min_, sigma_max_);
  // B from s: VP s² = 1 − e^(−B), sub-VP s = 1 − e^(−B); then t from B(t) = β_min·t + ½(β_max − β_min)·t².
  const double b = kind_ == NoiseKind::vp ? -std::log1p(-std * std) : -std::log1p(-std);
  const double a = 0.5 * (beta_max_ - beta_min_);
  // The positive root, in the form without cancellation: t = 2B / (β_min + √(β_min² + 4aB)).
  return 2.0 * b / (beta_min_ + std::sqrt(beta_min_ * beta_min_ + 4.0 * a * b));
}

std::vector<NoiseLevel> discrete_levels(const NoiseConfig& c) {
  std::vector<NoiseLevel> out;
  if (c.kind == NoiseKind::vp || c.kind == NoiseKind::subvp) {
    Sde sde(c);
    const double t_end = sde.sampling_eps();
    const std::vector<double> stds = geometric_sigmas(sde.std_dev(1.0), sde.std_dev(t_end), c.levels);
    for (int i = 0; i < c.levels; ++i) {
      // The ends exactly at t = 1 and ε (the inverse would round them).
      const double t = i == 0 ? 1.0 : i == c.levels - 1 ? t_end : sde.time_of_std(stds[i]);
      out.push_back(sde.level(t));
    }
    return out;
  }
  std::vector<double> sigmas = c.kind == NoiseKind::edm
                                   ? edm_sigmas(c.sigma_max, c.sigma_min, c.levels, c.rho)
                                   : geometric_sigmas(c.sigma_max, c.sigma_min, c.levels);
  for (double s : sigmas) out.push_back({ve_time_of_sigma(s, c.sigma_min, c.sigma_max), 1.0, s});
  return out;
}

}  // namespace scorelab
