// Objectives side by side (issue 15): up to four training runs, one per objective, on the same data
// and the SAME batches. No threads: the GUI runs one Trainer per objective on its worker threads, and
// this class is what says (and tests/core/test_objective_comparison.cpp checks) why that is a fair
// comparison: a run's batch indices and noise draws are pure functions of (train.seed, step, column)
// (core/training/objectives.hpp, "Randomness"), so runs with the same seed, batch size and data draw
// the same data points and the same z at every step; each has its own network (initialised from the
// same seed, so they also start from the same weights where the architectures agree).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/training/training_run.hpp"

namespace scorelab {

inline constexpr int kMaxComparedObjectives = 4;

// `base` with its objective replaced by `objective`, and what the new objective cannot take dropped:
// a σ only the single-level objectives train at (ncsn and continuous refuse one).
TrainConfig with_objective(const TrainConfig& base, Objective objective);

class ObjectiveComparison {
 public:
  // One run per objective (1 … kMaxComparedObjectives of them, no repeats), each with `base` but its
  // own objective. Throws InputError naming the objective when a run cannot train (e.g. ism with an
  // energy network).
  ObjectiveComparison(const Points& data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& base,
                      const std::vector<Objective>& objectives,
                      std::shared_ptr<const ScoreFunction> true_score = nullptr);

  // One step of every run, in order; the reports in the order of objectives().
  std::vector<StepReport> step();

  int size() const { return static_cast<int>(runs_.size()); }
  const std::vector<Objective>& objectives() const { return objectives_; }
  const TrainingRun& run(int k) const { return *runs_[static_cast<size_t>(k)]; }

 private:
  std::vector<Objective> objectives_;
  std::vector<std::unique_ptr<TrainingRun>> runs_;
};

}  // namespace scorelab
