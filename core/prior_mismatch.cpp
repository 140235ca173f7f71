#include "core/prior_mismatch.hpp"

#include <cmath>

#include "core/rng.hpp"

namespace scorelab {
namespace {

Estimate mean_and_error(const Scalars& v) {
  const double n = double(v.size());
  const double mean = v.mean();
  const double var = n > 1 ? (v.array() - mean).square().sum() / (n - 1) : 0.0;
  return {mean, std::sqrt(var / n)};
}

}  // namespace

Estimate prior_kl(const DataConfig& data, const NoiseConfig& noise, int n, uint32_t seed) {
  const Sde sde(noise);
  const NoiseLevel end = sde.level(1.0);
  // x = m·x₀ + s·z with x₀ fresh draws of the data. log p₁ is exact for a mixture; for a toy set it is
  // that of the noised training points (exact_score's ideal score), which at t = 1, where the noise
  // is as wide as the prior, differs from the toy set's own p₁ far less than the gauge's scale.
  Points x = fresh_samples(data, n, seed) * end.m;
  for (Eigen::Index j = 0; j < x.cols(); ++j) x.col(j) += end.s * normal2(seed, uint32_t(j), 1u << 20);
  Scalars log_p1;
  exact_score(data)->log_prob(x, end, log_p1);
  Scalars diff(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) diff[j] = log_p1[j] - sde.prior_log_prob(x.col(j));
  return mean_and_error(diff);
}

Estimate score_norm_constant(const GaussianMixture& p, int n, uint32_t seed) {
  const Points x = p.sample(n, seed);
  Points s;
  p.score(x, s);
  return mean_and_error(0.5 * s.colwise().squaredNorm().transpose());
}

}  // namespace scorelab
