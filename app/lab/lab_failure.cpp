// The live run's health for the failure banner (run_failure.hpp): the particles' non-finite count,
// kept fresh without downloading a GPU run every frame.
#include "app/lab/lab_state.hpp"

namespace scorelab {

void check_particles_finite(LabState& lab, bool now) {
  if (!lab.run.started() || lab.run.generation() == lab.finite.generation) return;
  const auto clock = std::chrono::steady_clock::now();
  // Twice a second is soon enough for a person; the GPU's positions cost a download each time.
  if (!now && lab.finite.generation >= 0 && clock - lab.finite.at < std::chrono::milliseconds(500)) return;
  lab.finite.non_finite = count_non_finite(lab.run.particles());
  lab.finite.generation = lab.run.generation();
  lab.finite.at = clock;
}

RunHealth run_health(const LabState& lab) {
  RunHealth h;
  h.sampler_error = lab.sampler_error;
  h.sampler = lab.run.started() ? lab.run.config().kind : lab.scene.scene.sampler.kind;
  h.non_finite = lab.finite.non_finite;
  h.particles = lab.run.count();
  if (lab.trainer) h.training = lab.trainer->status();
  h.trainer_error = lab.trainer_error;
  return h;
}

}  // namespace scorelab
