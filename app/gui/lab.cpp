#include "app/gui/lab.hpp"

#include <algorithm>

#include "core/data_source.hpp"
#include "core/train_config.hpp"

namespace scorelab {

void rebuild_trainer(Lab& lab, const LoadedScene& loaded) {
  const Scene& scene = loaded.scene;
  lab.trainer.reset();
  lab.snapshot.reset();
  lab.learned.reset();
  lab.trainer_error.clear();
  try {
    const TrainConfig train = parse_train_config(scene.train, scene.noise.kind);
    const ModelConfig model = parse_model_config(scene.model);
    lab.trainer = std::make_unique<Trainer>(loaded.points, scene.noise, model, train, lab.exact);
    lab.trainer->set_threads(1);  // the other core draws the frames
  } catch (const std::exception& e) {
    lab.trainer_error = e.what();
  }
}

void init_lab(Lab& lab, const LoadedScene& scene) {
  lab.exact = std::shared_ptr<const ScoreFunction>(exact_score(scene.scene.data));
  lab.heatmap_key.clear();
  rebuild_trainer(lab, scene);
  restart_sampler(lab, scene);
}

namespace {

// The score the particles follow; falls back to the exact one until a learned snapshot exists.
std::shared_ptr<const ScoreFunction> sampler_target(const Lab& lab) {
  if (lab.particles.source == ScoreSource::learned && lab.learned) return lab.learned;
  return lab.exact;
}

}  // namespace

void restart_sampler(Lab& lab, const LoadedScene& scene) {
  lab.sampler_score.set(sampler_target(lab));
  lab.scrub = -1;
  try {
    lab.run.restart(scene.scene.sampler, scene.scene.noise, lab.sampler_score);
    lab.sampler_error.clear();
  } catch (const std::exception& e) {
    lab.sampler_error = e.what();
  }
}

void update_lab(Lab& lab) {
  if (lab.trainer) {
    std::shared_ptr<const Snapshot> snap = lab.trainer->snapshot();
    if (snap && (!lab.snapshot || snap->version != lab.snapshot->version)) {
      lab.snapshot = snap;
      lab.learned = std::make_shared<const NetworkScore>(snap->net);
    }
  }
  lab.sampler_score.set(sampler_target(lab));  // between steps: the run continues with the new score
  if (lab.particles.playing && lab.scrub < 0 && lab.run.started() && !lab.run.finished())
    lab.run.advance(std::max(1, lab.particles.steps_per_frame));
}

NoiseLevel field_level(const Lab& lab, const NoiseConfig& noise) {
  if (lab.field.follow_sampler && lab.run.started()) {
    const int i = shown_frame_index(lab);
    return lab.run.level_at_step(lab.run.history().step_of(i));
  }
  const Sde sde(noise);
  return sde.level(std::clamp(static_cast<double>(lab.field.t), sde.sampling_eps(), 1.0));
}

int shown_frame_index(const Lab& lab) {
  const FrameHistory& h = lab.run.history();
  if (lab.scrub >= 0 && lab.scrub < h.size()) return lab.scrub;
  return h.size() - 1;
}

const FramePoints& shown_frame(const Lab& lab) { return lab.run.history().frame(shown_frame_index(lab)); }

}  // namespace scorelab
