#include "app/lab/lab_show.hpp"

namespace scorelab {

ParticleSettings preset_particles(const SceneShow& show) {
  ParticleSettings p;
  if (show.learned_score) p.source = *show.learned_score ? ScoreSource::learned : ScoreSource::exact;
  if (show.gpu_backend) p.backend = *show.gpu_backend ? ParticleBackend::gpu : ParticleBackend::cpu;
  p.forward = show.forward;
  p.show = show.particles;
  p.steps_per_frame = show.steps_per_frame;
  p.frames_per_step = show.frames_per_step;
  p.pin_mode_weights = show.pin == PinnedFigure::mode_weights;
  return p;
}

void apply_show(Lab& lab, const SceneShow& show) {
  lab.set_particles(preset_particles(show));
  lab.set_field(show.field);
  lab.set_heatmap(show.heatmap);
}

}  // namespace scorelab
