#include "core/objective_comparison.hpp"

#include <algorithm>

namespace scorelab {

TrainConfig with_objective(const TrainConfig& base, Objective objective) {
  TrainConfig c = base;
  c.objective = objective;
  if (!is_single_level(objective)) c.sigma.reset();
  return c;
}

ObjectiveComparison::ObjectiveComparison(const Points& data, const NoiseConfig& noise, const ModelConfig& model,
                                         const TrainConfig& base, const std::vector<Objective>& objectives,
                                         std::shared_ptr<const ScoreFunction> true_score)
    : objectives_(objectives) {
  if (objectives.empty() || static_cast<int>(objectives.size()) > kMaxComparedObjectives)
    throw InputError("compare objectives: choose 1 to " + std::to_string(kMaxComparedObjectives) + " objectives");
  for (size_t k = 0; k < objectives.size(); ++k) {
    if (std::count(objectives.begin(), objectives.end(), objectives[k]) > 1)
      throw InputError(std::string("compare objectives: ") + to_string(objectives[k]) + " is chosen twice");
    try {
      runs_.push_back(std::make_unique<TrainingRun>(data, noise, model, with_objective(base, objectives[k]), true_score));
    } catch (const InputError& e) {
      throw InputError(std::string("compare objectives: ") + to_string(objectives[k]) + ": " + e.what());
    }
  }
}

std::vector<StepReport> ObjectiveComparison::step() {
  std::vector<StepReport> reports;
  reports.reserve(runs_.size());
  for (auto& run : runs_) reports.push_back(run->step());
  return reports;
}

}  // namespace scorelab
