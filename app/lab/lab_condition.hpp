// Floor 4, app/lab/: what the particles are conditioned on (THEORY.md §6), set with
// Lab::set_condition (lab_condition.cpp). Plain values; the lab wraps the score the particles follow.
#pragma once

#include "core/conditional.hpp"

namespace scorelab {

enum class ConditionKind { none, class_guidance, observation };

struct ConditionSettings {
  ConditionKind kind = ConditionKind::none;
  // Class guidance (mixture data, exact score): ∇log pₜ + w·∇log rₖ.
  ClassCondition guidance;
  // An inverse problem y = aᵀx₀ + n, over the score the particles follow (exact or learned).
  Observation observation;
};

inline bool same_condition(const ConditionSettings& a, const ConditionSettings& b) {
  return a.kind == b.kind && a.guidance.component == b.guidance.component &&
         a.guidance.weight == b.guidance.weight && a.observation.a == b.observation.a &&
         a.observation.y == b.observation.y && a.observation.sigma == b.observation.sigma;
}

}  // namespace scorelab
