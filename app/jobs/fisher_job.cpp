#include "app/jobs/fisher_job.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/rng.hpp"

namespace scorelab {
namespace {

std::string label(const char* name, double v, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%s=%.*g", name, digits, v);
  return text;
}

}  // namespace

std::vector<FisherLevel> fisher_levels(const NoiseConfig& noise) {
  std::vector<FisherLevel> out;
  if (noise.kind == NoiseKind::geometric || noise.kind == NoiseKind::edm) {
    for (const NoiseLevel& level : discrete_levels(noise)) out.push_back({label("σ", level.s, 3), level, 0.0});
    return out;
  }
  const Sde sde(noise);
  constexpr int kTimes = 8;
  for (int i = 0; i < kTimes; ++i) {
    const double t = 0.01 * std::pow(100.0, double(i) / (kTimes - 1));  // 0.01 … 1
    out.push_back({label("t", t, 2), sde.level(t), 0.0});
  }
  return out;
}

FisherReport compute_fisher_levels(const FisherInputs& in, JobControl& control) {
  if (in.data.cols() < 1) throw InputError("relative Fisher: no data points");
  if (!in.model || !in.truth) throw InputError("relative Fisher: no model or no exact score");
  FisherReport report;
  report.levels = fisher_levels(in.noise);
  report.n = std::max(1, in.n);
  // Fixed picks and noise: stream 1 picks data columns, stream 2 gives z (two normals per counter).
  Points x0(2, report.n), z(2, report.n);
  for (int j = 0; j < report.n; ++j) {
    const double u = uniform01(in.seed, 1, uint32_t(j));
    x0.col(j) = in.data.col(std::min<Eigen::Index>(in.data.cols() - 1, Eigen::Index(u * double(in.data.cols()))));
    z.col(j) = normal2(in.seed, 2, uint32_t(j));
  }
  for (size_t i = 0; i < report.levels.size(); ++i) {
    if (control.cancelled()) {
      report.cancelled = true;
      return report;
    }
    FisherLevel& l = report.levels[i];
    const Points x = l.level.m * x0 + l.level.s * z;
    try {
      l.value = relative_fisher(*in.model, *in.truth, x, l.level);
    } catch (const InputError&) {  // Σ‖∇log p‖² = 0: undefined there
      l.value = std::numeric_limits<double>::quiet_NaN();
    }
    control.set_progress(double(i + 1) / double(report.levels.size()));
  }
  return report;
}

}  // namespace scorelab
