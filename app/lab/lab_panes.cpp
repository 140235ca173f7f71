#include "app/lab/lab_panes.hpp"

#include <algorithm>

#include "core/objective_comparison.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

PaneSettings pane_settings_of(const Scene& scene, ScoreSource score) {
  PaneSettings p;
  p.sampler = scene.sampler.kind;
  p.steps = scene.sampler.kind == SamplerKind::annealed ? scene.sampler.steps_per_level : scene.sampler.steps;
  p.schedule = scene.noise.kind;
  p.score = score;
  return p;
}

LoadedScene pane_scene(const LoadedScene& base, const PaneSettings& pane) {
  LoadedScene s = base;
  s.scene.sampler.kind = pane.sampler;
  if (pane.sampler == SamplerKind::annealed)
    s.scene.sampler.steps_per_level = pane.steps;
  else
    s.scene.sampler.steps = pane.steps;
  s.scene.noise.kind = pane.schedule;
  return s;
}

LoadedScene pane_scene_from(const LoadedScene& base, const Scene& other) {
  LoadedScene s = base;
  SamplerConfig sampler = other.sampler;
  sampler.seed = base.scene.sampler.seed;
  sampler.particles = base.scene.sampler.particles;
  s.scene.sampler = sampler;
  s.scene.noise = other.noise;
  return s;
}

LabPanes::Pane LabPanes::make_pane(const Lab& a, LoadedScene scene, const PaneSettings& settings, bool own_trainer) {
  Pane p;
  p.lab = std::make_unique<Lab>();
  p.scene = std::move(scene);
  p.settings = settings;
  ParticleSettings particles = a.particles();  // A's backend and looks; the pane's own score
  particles.source = settings.score;
  particles.playing = false;  // lockstep() advances it to A's step
  p.lab->set_particles(particles);
  p.lab->set_field(a.field());
  p.lab->set_heatmap(a.heatmap());
  p.lab->load(p.scene);
  if (!own_trainer) p.lab->stop_training();  // split: A's network is the only one
  return p;
}

void LabPanes::open_split(const Lab& a, const LoadedScene& a_scene, const PaneSettings& b) {
  close();
  mode_ = PaneMode::split;
  base_ = a_scene;
  panes_.push_back(make_pane(a, pane_scene(a_scene, b), b, false));
}

std::string LabPanes::open_objectives(Lab& a, const LoadedScene& a_scene, const std::vector<Objective>& objectives) {
  if (objectives.size() < 2 || static_cast<int>(objectives.size()) > kMaxComparedObjectives)
    return "choose 2 to " + std::to_string(kMaxComparedObjectives) + " objectives";
  if (!a.trainer()) return "no network to train: " + a.trainer_error();
  const TrainConfig base = a.trainer()->train_config();
  const ModelConfig model = a.trainer()->model_config();
  const PaneSettings settings = pane_settings_of(a_scene.scene, a.particles().source);
  std::vector<Pane> panes;
  for (size_t k = 1; k < objectives.size(); ++k) {
    LoadedScene s = a_scene;
    s.scene.train = to_json(with_objective(base, objectives[k]));  // A's seed and batch: the same batches
    s.scene.model = to_json(model);
    panes.push_back(make_pane(a, std::move(s), settings, true));
    if (!panes.back().lab->trainer_error().empty())
      return std::string(to_string(objectives[k])) + ": " + panes.back().lab->trainer_error();
  }
  if (!a.reconfigure_training(with_objective(base, objectives[0])))
    return std::string(to_string(objectives[0])) + ": " + a.trainer_error();
  close();
  mode_ = PaneMode::objectives;
  base_ = a_scene;
  objectives_ = objectives;
  panes_ = std::move(panes);
  a_generation_ = a.trainer()->status().generation;
  return {};
}

void LabPanes::close() {
  panes_.clear();
  objectives_.clear();
}

void LabPanes::rebase(Lab& a, const LoadedScene& a_scene) {
  if (!is_open()) return;
  if (mode_ == PaneMode::split) {
    const PaneSettings b = settings(0);
    open_split(a, a_scene, b);
  } else if (const std::vector<Objective> chosen = objectives_; !open_objectives(a, a_scene, chosen).empty()) {
    close();  // the new scene cannot train them (e.g. an energy network and ism)
  }
}

void LabPanes::set_settings(const Lab& a, int k, const PaneSettings& settings) {
  Pane& pane = panes_.at(static_cast<size_t>(k));
  if (pane.settings == settings) return;
  pane = make_pane(a, pane_scene(base_, settings), settings, false);
}

void LabPanes::share_network(const Lab& a, Pane& pane) {
  if (pane.a_change == a.network_change()) return;
  pane.a_change = a.network_change();
  Lab& b = *pane.lab;
  pane.note.clear();
  if (!a.learned()) {
    if (b.learned()) b.drop_network();
    return;
  }
  // A network is conditioned on the levels of the schedule it learned: another schedule's are not its.
  if (pane.scene.scene.noise.kind != base_.scene.noise.kind) {
    if (b.learned()) b.drop_network();
    if (pane.settings.score == ScoreSource::learned)
      pane.note = std::string("A's network learned the ") + to_string(base_.scene.noise.kind) +
                  " schedule, not this pane's: it follows the exact score";
    return;
  }
  b.adopt_network(a.learned(), a.snapshot());
}

void LabPanes::mirror_training(const Lab& a, Pane& pane) {
  Trainer* t = pane.lab->trainer();
  if (!t || !a.trainer()) return;
  const TrainerStatus as = a.trainer()->status();
  const TrainerState state = t->status().state;
  if (as.state == TrainerState::running && (state == TrainerState::idle || state == TrainerState::paused)) t->start();
  // Paused with A (T, the Pause button); when A has finished its steps, a slower objective goes on to its own.
  if ((as.state == TrainerState::paused || as.state == TrainerState::idle) && state == TrainerState::running) t->pause();
}

namespace {

// The switches of how a pane looks follow A's (the View, Field and Particles panels edit A's).
void follow_looks(const Lab& a, Lab& b, bool follow_score) {
  ParticleSettings p = b.particles();
  const ParticleSettings& ap = a.particles();
  p.show = ap.show;
  p.show_trails = ap.show_trails;
  p.trail_length = ap.trail_length;
  p.max_trails = ap.max_trails;
  p.fade_long_trails = ap.fade_long_trails;
  p.size = ap.size;
  p.pin_mode_weights = ap.pin_mode_weights;
  p.steps_per_frame = ap.steps_per_frame;
  p.budget_ms = ap.budget_ms;
  p.frames_per_step = ap.frames_per_step;
  if (follow_score) p.source = ap.source;
  b.set_particles(p);  // looks and score only: nothing restarts
  b.set_field(a.field());
  b.set_heatmap(a.heatmap());
}

// The last recorded frame of `run` at or before `step` (0 when none is).
int frame_at_or_before(const ParticleRun& run, int step) {
  int lo = 0, hi = run.frames() - 1;
  while (lo < hi) {  // frames are recorded in step order
    const int mid = (lo + hi + 1) / 2;
    if (run.step_of(mid) <= step) lo = mid;
    else hi = mid - 1;
  }
  return std::max(lo, 0);
}

}  // namespace

void LabPanes::lockstep(const Lab& a, Pane& pane) {
  Lab& b = *pane.lab;
  const ParticleRun& ar = a.run();
  const ParticleRun& br = b.run();
  // A's scrubber moves the panes too: each shows its own frame at A's shown step, and goes live
  // again with A (a "continue from here" in A rewinds A, and the restart below catches the pane up).
  if (a.scrub_frame() >= 0 && br.started() && br.frames() > 0) {
    b.scrub_to(frame_at_or_before(br, ar.step_of(a.scrub_frame())));
    pane.scrubbed = true;
    return;
  }
  if (pane.scrubbed) {
    pane.scrubbed = false;
    if (b.scrub_frame() >= 0) b.scrub_to(br.frames() - 1);  // the last frame: live
  }
  const int a_step = ar.started() ? ar.step() : 0;
  // A restarted or went back (R, a rewind from the scrubber): the pane starts over and catches up.
  if (ar.started() && br.started() && (a_step < pane.a_step || a_step < br.step()) && !ar.finished()) b.restart();
  pane.a_step = a_step;
  // While A runs, the pane only follows A's step; once A is at its end it waits there and the pane
  // goes on at its own pace (a pane with more steps finishes its run).
  const bool a_done = ar.started() && ar.finished();
  ParticleSettings p = b.particles();
  const bool play = a_done && br.started() && !br.finished();
  if (p.playing != play) {
    p.playing = play;
    b.set_particles(p);
  }
  b.update();
  if (!a_done && ar.started() && br.started()) {
    const int target = std::min(a_step, br.num_steps());
    if (target > br.step()) b.advance(target - br.step());
  }
}

void LabPanes::update(const Lab& a) {
  if (mode_ == PaneMode::objectives && a.trainer()) {
    const uint64_t generation = a.trainer()->status().generation;
    if (generation != a_generation_) {  // A's training was reset or reconfigured: so are the panes'
      a_generation_ = generation;
      // A's new settings (learning rate, batch, steps, ...) with each pane's own objective, so the
      // panes still train on A's batches; a failed reconfigure shows in the pane's training error.
      const TrainConfig a_config = a.trainer()->train_config();
      for (size_t k = 0; k < panes_.size() && k + 1 < objectives_.size(); ++k)
        if (panes_[k].lab->trainer()) panes_[k].lab->reconfigure_training(with_objective(a_config, objectives_[k + 1]));
    }
  }
  for (Pane& pane : panes_) {
    follow_looks(a, *pane.lab, mode_ == PaneMode::objectives);
    if (mode_ == PaneMode::split) share_network(a, pane);
    else mirror_training(a, pane);
    // A's condition (class guidance, an observation) holds in every pane: learned classifier-free
    // guidance in A beside the exact guided score in B is the comparison issue 15 asks for.
    if (!same_condition(pane.lab->condition(), a.condition())) pane.lab->set_condition(a.condition());
    lockstep(a, pane);
    if (mode_ == PaneMode::objectives) pane.lab->update_fisher();
  }
}

}  // namespace scorelab
