#include "app/jobs/metrics_job.hpp"

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"

namespace scorelab {

Points finite_columns(const Points& x, int limit, int* non_finite) {
  Points out(2, std::min<Eigen::Index>(x.cols(), std::max(limit, 0)));
  Eigen::Index kept = 0;
  int bad = 0;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (!x.col(j).allFinite()) {
      ++bad;
      continue;
    }
    if (kept < out.cols()) out.col(kept++) = x.col(j);
  }
  out.conservativeResize(Eigen::NoChange, kept);
  if (non_finite) *non_finite = bad;
  return out;
}

uint32_t held_out_seed(uint32_t training_seed, uint32_t purpose) {
  uint32_t s = hash3(training_seed, 0x6d657472u /* "metr" */, purpose);
  return s == training_seed ? s + 1u : s;
}

bool blur_is_visible(const NoiseLevel& level, const Points& truth) {
  if (truth.cols() < 2 || !(level.m > 0.0) || !(level.s > 0.0)) return false;
  const Vec2 mean = truth.rowwise().mean();
  const double spread = std::sqrt((truth.colwise() - mean).colwise().squaredNorm().mean());
  return level.s / level.m > 0.02 * spread;
}

namespace {

struct Cancelled {};

// MMD² of x against fresh draws from `draw` and its noise floor; progress runs from `from` to `to`,
// and a cancel stops the floor by throwing Cancelled.
LawComparison compare_to_law(const Points& x, const TruthSampler& draw, const std::vector<double>& bandwidths,
                             int reps, uint32_t seed, JobControl& control, double from, double to) {
  LawComparison c;
  c.mmd2 = mmd2_unbiased(x, draw(static_cast<int>(x.cols()), hash3(seed, 1u, 0u)), bandwidths);
  int draws = 0;
  const TruthSampler counted = [&](int n, uint32_t s) {
    if (control.cancelled()) throw Cancelled{};
    control.set_progress(from + (to - from) * (1.0 + 0.5 * draws++) / (reps + 1));
    return draw(n, s);
  };
  c.floor = mmd2_noise_floor(counted, static_cast<int>(x.cols()), reps, bandwidths, hash3(seed, 2u, 0u));
  control.set_progress(to);
  return c;
}

}  // namespace

SampleQuality compute_sample_quality(const SampleQualityInputs& in, JobControl& control) {
  SampleQuality q;
  const Points x = finite_columns(in.particles, in.n, &q.non_finite);
  if (x.cols() < 2)
    throw InputError("metrics: need at least 2 finite particles (got " + std::to_string(x.cols()) + ")");
  q.n = static_cast<int>(x.cols());
  q.end = in.end;
  // Particles are i.i.d. from their start, so the first n are a fair subsample.
  const Points truth = fresh_samples(in.data, q.n, held_out_seed(in.data.seed, 1));
  const std::vector<double> bandwidths = default_bandwidths(truth);
  q.mmd2 = mmd2_unbiased(x, truth, bandwidths);
  if (const std::optional<GaussianMixture> mixture = exact_mixture(in.data)) {
    q.mode_weights = mode_weights(*mixture, x);
    q.pi.resize(mixture->size());
    for (int k = 0; k < mixture->size(); ++k) q.pi[k] = mixture->components()[static_cast<size_t>(k)].weight;
  }
  const DataConfig& data = in.data;
  const bool blurred = blur_is_visible(in.end, truth);
  const double share = blurred ? 0.5 : 1.0;  // of the progress bar for the p₀ floor
  try {
    control.set_progress(share / (in.reps + 1));
    // The core floor, with a sampler that reports progress (2 draws per repetition) and stops the
    // loop by throwing once cancelled.
    int draws = 0;
    const TruthSampler draw = [&](int n, uint32_t seed) {
      if (control.cancelled()) throw Cancelled{};
      control.set_progress(share * (1.0 + 0.5 * draws++) / (in.reps + 1));
      return fresh_samples(data, n, seed);
    };
    q.floor = mmd2_noise_floor(draw, q.n, in.reps, bandwidths, held_out_seed(in.data.seed, 2));
    if (blurred) {
      // The end law m·x₀ + s·z: fresh data draws, scaled and noised with an independent stream.
      const NoiseLevel end = in.end;
      const TruthSampler draw_end = [&data, end](int n, uint32_t seed) {
        Points p = end.m * fresh_samples(data, n, seed);
        for (int j = 0; j < n; ++j) p.col(j) += end.s * normal2(hash3(seed, 0x626c7572u /* "blur" */, 0u), static_cast<uint32_t>(j), 0u);
        return p;
      };
      q.at_end = compare_to_law(x, draw_end, bandwidths, in.reps, held_out_seed(in.data.seed, 5), control, 0.5, 1.0);
    }
    control.set_progress(1.0);
  } catch (const Cancelled&) {
    q.cancelled = true;
  }
  return q;
}

NllReport compute_nll(const NllInputs& in, JobControl& control) {
  NllReport r;
  r.total = static_cast<int>(in.x.cols());
  r.nll.resize(r.total);
  const int chunk = std::max(1, in.chunk);
  while (r.done < r.total) {
    if (control.cancelled()) {
      r.cancelled = true;
      break;
    }
    const int m = std::min(chunk, r.total - r.done);
    const Scalars log_p = ode_log_likelihood(*in.model, in.noise, in.x.middleCols(r.done, m), in.config);
    r.nll.segment(r.done, m) = -log_p;
    r.done += m;
    control.set_progress(static_cast<double>(r.done) / std::max(r.total, 1));
  }
  r.nll.conservativeResize(r.done);
  if (r.done >= 1) r.mean = mean_nll(r.nll);
  if (r.done >= 2) r.se = standard_error(r.nll);
  if (in.truth && r.done >= 2) {
    Scalars log_p;
    in.truth->log_prob(in.x.leftCols(r.done), log_p);
    const Scalars neg = -log_p;
    r.entropy = mean_nll(neg);
    r.entropy_se = standard_error(neg);
    const Scalars gap = r.nll - neg;
    r.kl = mean_nll(gap);
    r.kl_se = standard_error(gap);
  }
  return r;
}

}  // namespace scorelab
