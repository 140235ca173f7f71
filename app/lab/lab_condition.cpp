// Conditional sampling in the lab (THEORY.md §6): the score the particles follow, wrapped by the
// condition (class guidance on a mixture, or guidance by an observation over any score), and the
// exact law it aims at for the Condition panel's comparison.
#include "app/lab/lab_state.hpp"
#include "core/data_source.hpp"
#include "core/nn/guided_network.hpp"

namespace scorelab {

namespace {

// The class-conditional network behind `base` when base is one (learned class guidance), else null.
const NetworkScore* conditional_network(const ScoreFunction* base) {
  const auto* net = dynamic_cast<const NetworkScore*>(base);
  return net && net->net().classes() > 0 ? net : nullptr;
}

}  // namespace

std::shared_ptr<const ScoreFunction> conditioned_target(const LabState& lab, std::shared_ptr<const ScoreFunction> base) {
  if (lab.condition.kind == ConditionKind::none || !lab.condition_note.empty() || !base) return base;
  LabState::ConditionCache& cache = lab.condition_cache;
  // Exact class guidance is its own score (the mixture's, guided): it does not depend on base. With a
  // class-conditional network it is classifier-free guidance of that network (each snapshot anew).
  const bool class_guided = lab.condition.kind == ConditionKind::class_guidance;
  const NetworkScore* learned = class_guided ? conditional_network(base.get()) : nullptr;
  const bool reusable = class_guided && !learned ? !conditional_network(cache.base) : cache.base == base.get();
  if (cache.wrapped && reusable) return cache.wrapped;
  if (learned) {
    auto cfg = std::make_shared<ClassifierFreeScore>(learned->shared_net(), lab.condition.guidance.component,
                                                     lab.condition.guidance.weight);
    cfg->set_trained_sigma(learned->trained_sigma());
    cache.wrapped = std::move(cfg);
  } else if (class_guided) {
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

bool learned_is_conditional(const LabState& lab) {
  if (lab.learned) return lab.learned->net().classes() > 0;
  return lab.trainer && lab.trainer->model_config().classes > 0;
}

bool Lab::learned_is_conditional() const { return scorelab::learned_is_conditional(*s_); }

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
    else if (lab.particles.source == ScoreSource::learned && !scorelab::learned_is_conditional(lab))
      lab.condition_note = "the learned model is not class-conditional (train it with \"conditional\": true), so "
                           "class guidance uses the exact mixture score: switch the particles to the exact score";
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
