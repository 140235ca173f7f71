// Conditional sampling in the lab (THEORY.md §6): the score the particles follow, wrapped by the
// condition (class guidance on a mixture, or guidance by an observation over any score), and the
// exact law it aims at for the Condition panel's comparison.
#include "app/lab/lab_state.hpp"
#include "core/data_source.hpp"

namespace scorelab {

std::shared_ptr<const ScoreFunction> conditioned_target(const LabState& lab, std::shared_ptr<const ScoreFunction> base) {
  if (lab.condition.kind == ConditionKind::none || !lab.condition_note.empty() || !base) return base;
  LabState::ConditionCache& cache = lab.condition_cache;
  // Class guidance is exact and its own score (the mixture's, guided): it does not depend on base.
  const bool class_guided = lab.condition.kind == ConditionKind::class_guidance;
  if (cache.wrapped && (class_guided || cache.base == base.get())) return cache.wrapped;
  if (class_guided) {
    const std::optional<GaussianMixture> mixture = exact_mixture(lab.scene.scene.data);
    if (!mixture) return base;
    cache.wrapped = std::make_shared<ClassGuidedScore>(*mixture, lab.condition.guidance);
  } else {
    cache.wrapped = std::make_shared<ObservationGuidedScore>(base, lab.condition.observation);
  }
  cache.base = base.get();
  cache.base_alive = std::move(base);
  return cache.wrapped;
}

void forget_close_ups(LabState& lab) {
  lab.condition = ConditionSettings{};
  lab.condition_cache = LabState::ConditionCache{};
  lab.condition_note.clear();
  lab.followed.reset();
  lab.followed_path.clear();
  lab.followed_path_step = -1;
}

const ConditionSettings& Lab::condition() const { return s_->condition; }
const std::string& Lab::condition_note() const { return s_->condition_note; }

void Lab::set_condition(const ConditionSettings& condition) {
  LabState& lab = *s_;
  if (same_condition(condition, lab.condition)) return;
  lab.condition = condition;
  lab.condition_cache = LabState::ConditionCache{};
  lab.condition_note.clear();
  const std::optional<GaussianMixture> mixture = exact_mixture(lab.scene.scene.data);
  if (condition.kind == ConditionKind::class_guidance) {
    if (!mixture)
      lab.condition_note = "class guidance needs a Gaussian mixture (its components are the classes)";
    else if (condition.guidance.component < 0 || condition.guidance.component >= mixture->size())
      lab.condition_note = "no such component";
    else if (lab.particles.source == ScoreSource::learned)
      lab.condition_note = "class guidance uses the exact mixture score: switch the particles to the exact score";
  }
  if (condition.kind == ConditionKind::observation && (condition.observation.a.norm() == 0.0 || condition.observation.sigma <= 0.0))
    lab.condition_note = "the observation needs a direction a ≠ 0 and σ_y > 0";
  keep_traceable(lab);
  if (lab.loaded) restart();
}

std::optional<GaussianMixture> Lab::condition_truth() const {
  const LabState& lab = *s_;
  const std::optional<GaussianMixture> mixture = exact_mixture(lab.scene.scene.data);
  if (!mixture || !lab.condition_note.empty()) return std::nullopt;
  switch (lab.condition.kind) {
    case ConditionKind::class_guidance: return class_conditional(*mixture, lab.condition.guidance.component);
    case ConditionKind::observation: return exact_posterior(*mixture, lab.condition.observation);
    case ConditionKind::none: break;
  }
  return std::nullopt;
}

}  // namespace scorelab
