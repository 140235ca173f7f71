// What an export shows at each of its frames (ExportWhat), over a Lab of its own: the sampler (or
// the lab's forward process, data → noise) advanced to the frame's step, the field swept over the
// noise levels, or a network trained to the frame's step. Deterministic: a frame depends only on
// the scene, its seeds and the frame plan (the lab's layers are built synchronously: heatmap_sync).
#pragma once

#include <memory>
#include <string>

#include "app/export/export_options.hpp"
#include "app/export/exporter.hpp"
#include "app/render/plane_overlay.hpp"
#include "core/csv.hpp"
#include "core/training/training_run.hpp"

namespace scorelab {

// The sampler's particles went non-finite: a render of one scene fails with it; a deck's video keeps
// the frames before it and goes on with the next slide.
struct DivergedRun : InputError {
  using InputError::InputError;
};

class ExportScenario {
 public:
  // Throws InputError when the scene's sampler (sampler) or training sections (training) are invalid.
  ExportScenario(const LoadedScene& scene, ExportWhat what, const ExportLook& look,
                 std::shared_ptr<const NetworkScore> learned, std::string score_label, FramePlan plan);

  // Works towards frame i (frames come in order). Returns false when more calls are needed first
  // (training: at most kStepsPerCall steps per call, so the GUI stays live), true when frame i is
  // ready to draw. Throws InputError when the run diverges.
  bool prepare(int i);
  // A number in [0, 1] for the progress bar's share of frame i's work done so far.
  double frame_work_done() const { return work_done_; }

  Lab& lab() { return lab_; }
  Caption caption(int i) const;
  // Split view: frame i shows step min(frame_step(plan, i, steps), own steps), `steps` the longest
  // pane's run, so the panes show the same step index and the shorter one waits at its end.
  void set_lockstep_steps(int steps) { lockstep_steps_ = steps; }
  const std::string& score_label() const { return score_label_; }

  // Particle positions at each motion frame, at the frame's step of the sampler (or of the forward
  // process). Empty for sigma_sweep and training.
  const Trajectory& trajectories() const { return trajectories_; }

  static constexpr int kStepsPerCall = 25;

 private:
  void prepare_particles(int i);
  bool prepare_training(int i);
  std::string state_line(int i) const;

  const LoadedScene& scene_;
  ExportWhat what_;
  FramePlan plan_;
  std::string score_label_;
  Lab lab_;
  Trajectory trajectories_;
  double work_done_ = 0.0;
  // training: the run and the step the current frame shows.
  std::unique_ptr<TrainingRun> training_;
  int training_target_ = 0;
  int lockstep_steps_ = 0;  // 0: the run spans the frames on its own
  double training_loss_ = 0.0;
};

}  // namespace scorelab
