// The Metrics panel's computations, GL-free (tested in tests/app/test_metrics_job.cpp): sample
// quality of the particles (MMD² against fresh true samples with its noise floor, mode weights) and
// the held-out NLL through the ODE likelihood, each run on a worker thread (AsyncJob, async_job.hpp)
// with progress and cancel so the UI never waits for them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/jobs/async_job.hpp"
#include "core/data_source.hpp"
#include "core/likelihood.hpp"
#include "core/metrics.hpp"

namespace scorelab {

// ---- sample quality --------------------------------------------------------------------------------

struct SampleQualityInputs {
  Points particles;  // (2, N) the sampler's output
  DataConfig data;   // the truth: fresh draws come from fresh_samples(data, n, seed)
  int n = 1000;      // points per side: the first n finite particles against n fresh true draws
  int reps = 20;     // repetitions of the noise floor
  uint32_t seed = 1;  // of the fresh draws and the floor; must differ from data.seed
  // Where the sampler stops: its particles aim at the law of m·x₀ + s·z there, not at p₀ itself
  // (annealed Langevin stops at σ_min, plain Langevin runs at one σ). When that blur is visible
  // (blur_is_visible), the particles are also compared against it.
  NoiseLevel end;
};

// One comparison of the particles against fresh draws of a law: MMD² and its noise floor.
struct LawComparison {
  double mmd2 = 0.0;
  NoiseFloor floor;
  bool within() const { return mmd2 <= floor.bound; }
};

struct SampleQuality {
  int n = 0;           // points per side actually used
  int non_finite = 0;  // particles left out because a coordinate is NaN or ±Inf
  double mmd2 = 0.0;  // against the data law p₀
  NoiseFloor floor;
  // Against the law the sampler aims at where it stops (m·x₀ + s·z at `end`), when that differs
  // visibly from p₀: a sampler that stops at σ = 1 is judged against p₁ as well, so its "above
  // noise" against p₀ says what it compares against.
  std::optional<LawComparison> at_end;
  NoiseLevel end;
  Eigen::VectorXd mode_weights;  // (K) share of particles per most responsible component; empty: no mixture
  Eigen::VectorXd pi;            // (K) the mixture weights
  bool cancelled = false;
};

// The particles' finite columns, at most `limit` of them, in order.
Points finite_columns(const Points& x, int limit, int* non_finite = nullptr);

// A seed for held-out draws that differs from the training seed (so the draws are independent of
// the training set): a hash of (training seed, purpose).
uint32_t held_out_seed(uint32_t training_seed, uint32_t purpose);

// True when stopping at `level` blurs the data visibly: s/m above 2 % of the data's spread (the
// rms distance of `truth` from its mean); a reverse SDE that ends at σ = 0.01 is not blurred.
bool blur_is_visible(const NoiseLevel& level, const Points& truth);

// MMD² (unbiased, bandwidths from the fresh sample) and its noise floor at the same n, plus the mode
// weights when the truth is a mixture, and the same against the sampler's end law when it blurs. Throws InputError when fewer than 2 finite particles remain.
SampleQuality compute_sample_quality(const SampleQualityInputs& in, JobControl& control);

// ---- held-out NLL ----------------------------------------------------------------------------------

struct NllInputs {
  std::shared_ptr<const ScoreFunction> model;  // whose likelihood: the learned network (or the exact score)
  NoiseConfig noise;
  Points x;                 // (2, n) held-out true samples
  LikelihoodConfig config;  // ODE steps and solver
  int chunk = 50;           // points per ode_likelihood call: the unit of progress and of cancel
  // The truth's density, for the entropy estimate −mean log p(x) of the same samples (nullopt: none).
  std::optional<GaussianMixture> truth;
};

struct NllReport {
  Scalars nll;        // (done) per-point −log p_model(x) in nats
  int done = 0;       // points evaluated (== x.cols() unless cancelled)
  int total = 0;
  double mean = 0.0, se = 0.0;  // over the evaluated points (se = 0 below 2 points)
  std::optional<double> entropy, entropy_se;  // −mean log p_truth(x) and its standard error
  // NLL − H on the same samples: mean of −log p_model(xᵢ) + log p_truth(xᵢ), a Monte-Carlo estimate
  // of KL(p ‖ p_model) ≥ 0, with the standard error of the paired differences (far smaller than
  // the two separate errors, which share the samples' spread).
  std::optional<double> kl, kl_se;
  bool cancelled = false;
};

// Chunked ode_likelihood over in.x; checks for cancel and reports progress after every chunk.
NllReport compute_nll(const NllInputs& in, JobControl& control);

// ---- the Metrics panel's state (a field of App) -----------------------------------------------------

struct MetricsState {
  AsyncJob<SampleQuality> quality_job;
  AsyncJob<NllReport> nll_job;
  std::optional<SampleQuality> quality;
  std::optional<NllReport> nll;
  std::string quality_error, nll_error;
  std::string quality_source, nll_source;  // what the numbers describe, e.g. "step 1000 / 1000, exact score"
  bool auto_quality = true;  // compute the sample quality when a run reaches its end
  bool was_finished = false;  // the run's state last frame (to see it finish)
  bool nll_learned = true;    // NLL under the learned score; false: under the exact score (checks the ODE)
  int n = 1000;               // sample size of every metric
};

}  // namespace scorelab
