#include "app/export/export_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/export/plane_caption.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

ExportScenario::ExportScenario(const LoadedScene& scene, ExportWhat what, const ExportLook& look,
                               std::shared_ptr<const NetworkScore> learned, std::string score_label, FramePlan plan)
    : scene_(scene), what_(what), plan_(plan), score_label_(std::move(score_label)) {
  lab_.set_interactive(false);  // a frame waits for its steps: the CPU path takes what memory allows
  lab_.load(scene);
  lab_.run_synchronously();  // training, when shown, runs here in order (prepare_training), not on a thread
  ParticleSettings particles = look.particles;
  FieldSettings field = look.field;
  HeatmapSettings heatmap = look.heatmap;
  particles.playing = false;  // frames set the step, not the clock
  particles.forward = what == ExportWhat::forward;
  if (learned) lab_.adopt_network(learned, std::make_shared<const Snapshot>(Snapshot{1, 0, 0, nullptr, 0, 0.0}));
  else lab_.drop_network();
  particles.source = learned ? ScoreSource::learned : ScoreSource::exact;
  switch (what) {
    case ExportWhat::sampler:
    case ExportWhat::forward:
      particles.show = true;
      break;
    case ExportWhat::sigma_sweep:
      particles.show = false;
      field.follow_sampler = false;
      field.show = true;
      if (lab_.exact()->has_log_prob() && !heatmap.show) {
        heatmap.show = true;  // the log-density beside the field, unless another heatmap was chosen
        heatmap.kind = HeatmapKind::log_density;
      }
      break;
    case ExportWhat::training: {
      const TrainConfig train = parse_train_config(scene.scene.train, scene.scene.noise.kind);
      check_train_data(train, scene.scene.data);
      const LabelledTraining labelled =
          labelled_training(train, parse_model_config(scene.scene.model), scene.scene.data, scene.points);
      training_ = std::make_unique<TrainingRun>(scene.points, scene.scene.noise, labelled.model, train, lab_.exact(),
                                                labelled.labels);
      lab_.drop_network();  // the frames show this run's network, from its initial weights
      particles.show = false;
      field.follow_sampler = false;
      field.show = true;
      if (field.kind == FieldKind::true_score) field.kind = FieldKind::learned;
      break;
    }
  }
  lab_.set_field(field);
  lab_.set_heatmap(heatmap);
  lab_.set_particles(particles);  // a new direction restarts the run
  if (what == ExportWhat::sampler || what == ExportWhat::forward) {
    lab_.restart(scene);
    if (!lab_.sampler_error().empty()) throw InputError(lab_.sampler_error());
  }
}

bool ExportScenario::prepare(int i) {
  work_done_ = 1.0;
  switch (what_) {
    case ExportWhat::sampler:
    case ExportWhat::forward: prepare_particles(i); return true;
    case ExportWhat::sigma_sweep: {
      const double eps = Sde(scene_.scene.noise).sampling_eps();
      FieldSettings field = lab_.field();
      field.t = static_cast<float>(1.0 - (1.0 - eps) * frame_fraction(plan_, i));  // largest noise first
      lab_.set_field(field);
      return true;
    }
    case ExportWhat::training: return prepare_training(i);
  }
  return true;
}

// The run advanced to the frame's step (one recorded frame per export frame: trails span frames);
// the positions of each new step kept for the trajectories file.
void ExportScenario::prepare_particles(int i) {
  const ParticleRun& run = lab_.run();
  const int target = lockstep_steps_ > 0 ? std::min(frame_step(plan_, i, lockstep_steps_), run.num_steps())
                                         : frame_step(plan_, i, run.num_steps());
  if (target > run.step()) lab_.advance(target - run.step());
  if (i >= plan_.motion || (!trajectories_.steps.empty() && trajectories_.steps.back() == run.step())) return;
  Points x = run.particles();
  if (!x.allFinite())
    throw DivergedRun("the sampler diverged (non-finite particles) by step " + std::to_string(run.step()) +
                     "; try a smaller step (eps) or more steps");
  trajectories_.frames.push_back(std::move(x));
  trajectories_.steps.push_back(run.step());
}

bool ExportScenario::prepare_training(int i) {
  const int total = training_->train_config().steps;
  const int target = frame_step(plan_, i, total);
  for (int k = 0; k < kStepsPerCall && training_->steps_done() < target; ++k) {
    const StepReport report = training_->step();
    if (!report.ok())
      throw InputError("training stopped at step " + std::to_string(training_->steps_done() + 1) + ": " + report.problem);
    training_loss_ = report.loss;
  }
  const int64_t done = training_->steps_done();
  const int previous = frame_step(plan_, std::max(i - 1, 0), total);
  work_done_ = target > previous ? static_cast<double>(done - previous) / (target - previous) : 1.0;
  if (done < target) return false;
  if (!lab_.learned() || training_target_ != target) {
    auto net = std::make_shared<const Mlp<float>>(training_->ema_net());
    // A snapshot per frame: one network change, which the layers' caches (heatmap, streamlines) key on.
    const uint64_t version = lab_.snapshot() ? lab_.snapshot()->version + 1 : 1;
    lab_.adopt_network(std::make_shared<const NetworkScore>(net),
                       std::make_shared<const Snapshot>(Snapshot{version, 0, target, net, 0, training_loss_}));
    training_target_ = target;
  }
  return true;
}

std::string ExportScenario::state_line(int) const {
  const NoiseKind kind = scene_.scene.noise.kind;
  char text[200];
  switch (what_) {
    case ExportWhat::sampler:
    case ExportWhat::forward: {
      const int step = lab_.run().step();
      std::snprintf(text, sizeof text, "step %d / %d · ", step, lab_.run().num_steps());
      return text + level_text(lab_.run().level_at_step(step), kind);
    }
    case ExportWhat::sigma_sweep: return level_text(lab_.field_level(), kind);
    case ExportWhat::training: {
      const int total = training_->train_config().steps;
      if (training_target_ == 0)
        std::snprintf(text, sizeof text, "step 0 / %d · initial weights", total);
      else
        std::snprintf(text, sizeof text, "step %d / %d · loss %.4g", training_target_, total, training_loss_);
      return text;
    }
  }
  return "";
}

Caption ExportScenario::caption(int i) const {
  Caption c;
  const Scene& s = scene_.scene;
  c.title = plane_title(scene_);
  char line[240];
  switch (what_) {
    case ExportWhat::sampler:
      std::snprintf(line, sizeof line, "%s · %s · %ld particles", sampler_title(s.sampler.kind), score_label_.c_str(),
                    static_cast<long>(lab_.run().count()));
      break;
    case ExportWhat::forward:
      std::snprintf(line, sizeof line, "Forward process (%s) · %ld data points noised", noise_title(s.noise.kind),
                    static_cast<long>(lab_.run().count()));
      break;
    case ExportWhat::sigma_sweep:
      std::snprintf(line, sizeof line, "Score field from the largest noise to the smallest (%s) · %s%s",
                    noise_title(s.noise.kind), score_label_.c_str(), lab_.heatmap().show ? " · log-density" : "");
      break;
    case ExportWhat::training:
      std::snprintf(line, sizeof line, "Training (%s) · learned score field at t = %.3g (EMA weights)",
                    to_string(training_->train_config().objective), static_cast<double>(lab_.field().t));
      break;
  }
  c.lines = {line, state_line(i)};
  return c;
}

}  // namespace scorelab
