// Measures of sample quality (THEORY.md §7): MMD², sliced Wasserstein-2 and their two-sample noise
// floors, mode weights, the relative Fisher divergence, and small summary helpers.
//
// A sample-quality number means little alone: two independent samples of the TRUE distribution
// already differ by sampling noise. Each two-sample measure therefore comes with its noise floor, the
// distribution of the same measure between two independent true samples of the same size.
#pragma once

#include <functional>
#include <vector>

#include "core/mixture.hpp"
#include "core/score_function.hpp"
#include "core/types.hpp"

namespace scorelab {

// {0.1, 0.5, 1, 2, 5} × scale, scale = sqrt of the mean per-coordinate variance of `reference`
// (unbiased variances). reference: (2, N), N ≥ 2, not all points equal.
std::vector<double> default_bandwidths(const Points& reference);

// Unbiased MMD² (Gretton et al. 2012, Lemma 6, U-statistic): within-a and within-b sums exclude
// i = j. Kernel k(x, y) = mean_h exp(−‖x − y‖²/(2h²)) over `bandwidths`. a: (2, M), b: (2, N),
// M, N ≥ 2, sizes may differ. Can be slightly negative when the distributions match.
// Blockwise and split over 2 threads; the result does not depend on thread timing.
double mmd2_unbiased(const Points& a, const Points& b, const std::vector<double>& bandwidths);

// The null distribution of a two-sample measure at sample size n, summarised.
//
// bound = mean + 4·sd. A sampler whose output is indistinguishable from the truth at sample size n
// lands below it except with small probability: for the unbiased MMD² the null law is a weighted sum
// of centred χ²₁ terms (Gretton et al. 2012, Thm 12), right-skewed; its heaviest tail is a single
// term, where P(X > mean + 4·sd) = P(χ²₁ > 1 + 4√2) = P(|Z| > 2.58) ≈ 1%; with many terms the law
// approaches a Gaussian (≈ 3e-5). Cantelli's inequality caps it at 1/17 for any law. mean and sd are
// themselves estimated from `reps` repetitions, so use reps ≥ 20. Sliced W2 uses the same rule.
struct NoiseFloor {
  double mean = 0;
  double sd = 0;     // sample standard deviation over the reps (n − 1 denominator)
  double bound = 0;  // mean + 4·sd
  int n = 0;         // sample size of each side
  int reps = 0;
};

// Draws n points of the true distribution from a seed; different seeds must give independent draws.
using TruthSampler = std::function<Points(int n, uint32_t seed)>;

// The raw null draws: value r is the measure between draw_truth(n, sₐ) and draw_truth(n, s_b) with
// seeds derived from (seed, r). (reps)
std::vector<double> mmd2_null_samples(const TruthSampler& draw_truth, int n, int reps,
                                      const std::vector<double>& bandwidths, uint32_t seed);
std::vector<double> sliced_w2_null_samples(const TruthSampler& draw_truth, int n, int reps,
                                           int projections, uint32_t seed);

// Mean, sd and bound of null draws taken at sample size n. values: ≥ 2 entries.
NoiseFloor summarize_null(const std::vector<double>& values, int n);

NoiseFloor mmd2_noise_floor(const TruthSampler& draw_truth, int n, int reps,
                            const std::vector<double>& bandwidths, uint32_t seed);
NoiseFloor sliced_w2_noise_floor(const TruthSampler& draw_truth, int n, int reps, int projections,
                                 uint32_t seed);

// Sliced Wasserstein-2: sqrt of the mean over unit directions θ of W2²(θᵀa, θᵀb), the 1D distance
// between the projected samples. 1D W2² is exact for any sizes: the integral over u ∈ (0, 1) of the
// squared difference of the two empirical quantile functions, on the merged grid of their jumps.
// Directions: in 2D, θ and −θ give the same distance, so the `projections` angles are evenly spaced
// over [0, π) with one uniform random offset from `seed`. Each angle is still uniform (an unbiased
// estimate), and the stratification removes most of the direction noise: for P ≥ 2 the average of
// (θ·v)² is exactly ‖v‖²/2 for every v. a: (2, M), b: (2, N), M, N ≥ 1, projections ≥ 1.
double sliced_w2(const Points& a, const Points& b, int projections, uint32_t seed);

// (K): share of the points x (2, N) whose most responsible component is k; compare with πₖ.
Eigen::VectorXd mode_weights(const GaussianMixture& mixture, const Points& x);

// Σᵢ‖s_θ(xᵢ) − s(xᵢ)‖² / Σᵢ‖s(xᵢ)‖², the Monte-Carlo relative Fisher divergence at `level`.
// The caller draws x (2, N) from p_level. Throws InputError when Σ‖s‖² is zero.
double relative_fisher(const ScoreFunction& model, const ScoreFunction& truth, const Points& x,
                       const NoiseLevel& level);

double mean_nll(const Scalars& nll);          // mean of per-point NLL (nats); N ≥ 1
double standard_error(const Scalars& values);  // sd/√N with the n − 1 sd; N ≥ 2

}  // namespace scorelab
