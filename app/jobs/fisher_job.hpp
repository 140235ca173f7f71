// Relative Fisher divergence per noise level, for the Training panel (THEORY.md §7):
//   D(σ) = E_{p_σ}‖s_θ − ∇log p_σ‖² / E_{p_σ}‖∇log p_σ‖²,
// estimated on a small fixed sample per level (the same data points and noise for every snapshot,
// so the curve moves only because the network does). Run on a worker thread (AsyncJob of
// async_job.hpp). GL-free: tested in tests/app/test_density_job.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/jobs/async_job.hpp"
#include "core/likelihood.hpp"
#include "core/metrics.hpp"

namespace scorelab {

struct FisherLevel {
  std::string label;   // "σ=2.5" (discrete levels) or "t=0.01" (SDE times)
  NoiseLevel level;
  double value = 0.0;  // the relative Fisher divergence there (NaN when the truth's score is 0)
};

// The levels the panel shows: the schedule's discrete levels for geometric/EDM noise (largest σ
// first, as the sampler walks them), else 8 times log-spaced over [0.01, 1].
std::vector<FisherLevel> fisher_levels(const NoiseConfig& noise);

struct FisherInputs {
  std::shared_ptr<const ScoreFunction> model;  // s_θ (a snapshot's network)
  std::shared_ptr<const ScoreFunction> truth;  // ∇log p_σ (exact: mixture or the ideal score of the points)
  NoiseConfig noise;
  Points data;         // (2, M) clean samples; n of them (fixed picks) are noised per level
  int n = 512;
  uint32_t seed = 7;
};

struct FisherReport {
  std::vector<FisherLevel> levels;
  int n = 0;  // samples per level actually used
  bool cancelled = false;
};

// The Training panel's state (a member of Lab): one job at a time, for the newest snapshot, at
// most once per min_interval_s.
struct FisherState {
  AsyncJob<FisherReport> job;
  std::optional<FisherReport> report;  // the newest finished one
  int64_t report_step = 0;             // the snapshot's step it describes
  // The score the running (or last started) job describes, held so that a new snapshot (or a new
  // trainer, whose versions start again) is told apart by identity.
  std::shared_ptr<const ScoreFunction> job_model;
  int64_t job_step = 0;
  double started_s = -1e9;             // when the last job started (seconds on a steady clock)
  std::string error;
  double min_interval_s = 2.0;
};

// x = m·x₀ + s·z per level with fixed picks of x₀ and fixed z (seeded), then relative_fisher.
// Checks the control between levels. Throws InputError when data has no column.
FisherReport compute_fisher_levels(const FisherInputs& in, JobControl& control);

}  // namespace scorelab
