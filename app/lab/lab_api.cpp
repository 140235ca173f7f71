// Lab's public API (lab.hpp) over its state (lab_state.hpp): the setters that react to what changed,
// playback, the network-change event and the views the panels, the exporter and the CLI read.
#include <chrono>
#include <mutex>

#include "app/gpu/network_kernel_probe.hpp"
#include "app/lab/lab_gpu.hpp"
#include "app/lab/lab_heatmap.hpp"
#include "app/lab/lab_state.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

Lab::Lab() : s_(std::make_unique<LabState>()) {}
Lab::~Lab() = default;
Lab::Lab(Lab&&) noexcept = default;
Lab& Lab::operator=(Lab&&) noexcept = default;

// ---- set-up ---------------------------------------------------------------------------------------

void Lab::set_interactive(bool interactive) { s_->interactive = interactive; }

void Lab::set_gl_worker(std::shared_ptr<gl::Worker> worker) {
  s_->gl_worker = std::move(worker);
  // Once per process, on the worker (it compiles both network kernels): which one this GPU runs
  // faster (network_kernel_probe.hpp; nothing on software renderers). Later uploads follow it.
  static std::once_flag kernel_probe;
  if (s_->gl_worker)
    std::call_once(kernel_probe, [&] { s_->gl_worker->submit([] { return probe_network_kernels().has_value(); }); });
}

void Lab::load(const LoadedScene& scene) {
  s_->scene = scene;
  s_->loaded = true;
  forget_close_ups(*s_);  // a condition and a followed particle belong to the old data
  init_lab(*s_, s_->scene);
}

void Lab::restart(const LoadedScene& scene) {
  s_->scene = scene;
  restart();
}

void Lab::restart() {
  keep_traceable(*s_);  // a followed particle or a condition: the run starts on the CPU path
  restart_sampler(*s_, s_->scene);
  keep_traceable(*s_);
}

void Lab::rebuild_trainer(const LoadedScene& scene) {
  s_->scene = scene;
  scorelab::rebuild_trainer(*s_, s_->scene);
}

void Lab::run_synchronously() {
  s_->trainer.reset();  // training, when shown, runs in the caller's order, not on a thread
  s_->heatmap_sync = true;  // every layer complete in the call that builds it: no clock in a frame
}

// ---- once a frame -----------------------------------------------------------------------------------

void Lab::update() {
  LabState& lab = *s_;
  // Plain Langevin picked its level for the score it started with: a score whose lowest level
  // differs (exact ↔ learned) restarts the run instead of being asked at a level it never learned.
  if (lab.run.started() && lab.run.config().kind == SamplerKind::langevin && !lab.particles.forward) {
    lab.sampler_score.set(scorelab::sampler_target(lab));
    const double smallest = discrete_levels(lab.scene.scene.noise).back().s;
    if (lab.sampler_score.lowest_noise(smallest) != lab.run_score_lowest) restart();
  }
  keep_traceable(lab);
  update_lab(lab);
  track_followed(lab);
  check_particles_finite(lab, false);
}

void Lab::build_layers(const LabLayerFrame& frame, PlaneStyle& style) { build_lab_layers(*s_, frame, style); }

namespace {
double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
}  // namespace

void Lab::update_fisher() {
  LabState& lab = *s_;
  FisherState& f = lab.fisher;
  if (f.job.finished()) {
    if (std::optional<FisherReport> r = f.job.take(); r && !r->cancelled) {
      f.report = std::move(r);
      f.report_step = f.job_step;
      f.error.clear();
    } else if (!f.job.error().empty()) {
      f.error = f.job.error();
    }
  }
  // Keyed on the network-change event: one job per new network (the newest when jobs are slower).
  if (!lab.learned || !lab.snapshot || f.job.running() || lab.network_change == lab.fisher_change) return;
  if (now_s() - f.started_s < f.min_interval_s) return;
  FisherInputs in;
  in.model = lab.learned;
  in.truth = lab.exact;
  in.noise = lab.scene.scene.noise;
  in.data = lab.scene.points;
  f.job_model = lab.learned;
  lab.fisher_change = lab.network_change;
  f.job_step = lab.snapshot->step;
  f.started_s = now_s();
  ++lab.deliveries.fisher;
  f.job.start([in = std::move(in)](JobControl& control) { return compute_fisher_levels(in, control); });
}

// ---- settings ---------------------------------------------------------------------------------------

const ParticleSettings& Lab::particles() const { return s_->particles; }

void Lab::set_particles(const ParticleSettings& settings) {
  const bool restart_needed = settings.backend != s_->particles.backend || settings.forward != s_->particles.forward;
  s_->particles = settings;
  if (restart_needed && s_->loaded) restart();
}

const FieldSettings& Lab::field() const { return s_->field; }
void Lab::set_field(const FieldSettings& settings) { s_->field = settings; }
const HeatmapSettings& Lab::heatmap() const { return s_->heatmap; }
void Lab::set_heatmap(const HeatmapSettings& settings) { s_->heatmap = settings; }
void Lab::invalidate_heatmap() { s_->heatmap_key.clear(); }

// ---- playback ---------------------------------------------------------------------------------------

const ParticleRun& Lab::run() const { return s_->run; }
int Lab::scrub_frame() const { return s_->scrub; }

void Lab::scrub_to(int frame) {
  s_->scrub = frame >= s_->run.frames() - 1 ? -1 : frame;
  s_->particles.playing = false;
}

void Lab::toggle_playback() {
  LabState& lab = *s_;
  if (lab.scrub >= 0) {  // continue from the scrubbed frame
    lab.run.rewind_to(lab.scrub);
    lab.scrub = -1;
    lab.particles.playing = true;
  } else if (lab.run.started() && lab.run.finished()) {
    restart_and_play();  // the end of a run is no dead end
  } else {
    lab.particles.playing = !lab.particles.playing;
  }
}

void Lab::restart_and_play() {
  restart();
  s_->particles.playing = true;
}

void Lab::step_once() {
  LabState& lab = *s_;
  if (lab.scrub >= 0) lab.run.rewind_to(lab.scrub);
  lab.scrub = -1;
  lab.particles.playing = false;
  lab.run.advance(budgeted_steps(lab.particles.steps_per_frame, lab.pace.seconds_per_step, 1e-3 * lab.particles.budget_ms));
}

int Lab::advance(int steps) { return s_->run.advance(steps); }
void Lab::report_sampler_error(std::string message) { s_->sampler_error = std::move(message); }

// ---- scores and training ----------------------------------------------------------------------------

const std::shared_ptr<const ScoreFunction>& Lab::exact() const { return s_->exact; }
const std::shared_ptr<const NetworkScore>& Lab::learned() const { return s_->learned; }
const std::shared_ptr<const Snapshot>& Lab::snapshot() const { return s_->snapshot; }
uint64_t Lab::network_change() const { return s_->network_change; }
const SnapshotDeliveries& Lab::deliveries() const { return s_->deliveries; }

void Lab::adopt_network(std::shared_ptr<const NetworkScore> net, std::shared_ptr<const Snapshot> snapshot) {
  set_learned(*s_, std::move(net), std::move(snapshot));
}

void Lab::drop_network() { set_learned(*s_, nullptr, nullptr); }

std::shared_ptr<const ScoreFunction> Lab::sampler_target() const { return scorelab::sampler_target(*s_); }
Trainer* Lab::trainer() { return s_->trainer.get(); }
const Trainer* Lab::trainer() const { return s_->trainer.get(); }

bool Lab::reconfigure_training(const TrainConfig& config) {
  LabState& lab = *s_;
  if (!lab.trainer) return false;
  try {
    validate(config);
    check_train_data(config, lab.scene.scene.data);
    const LabelledTraining labelled =
        labelled_training(config, lab.trainer->model_config(), lab.scene.scene.data, lab.scene.points);
    lab.trainer->reconfigure(lab.scene.points, lab.scene.scene.noise, labelled.model, config, lab.exact, labelled.labels);
    lab.scene.scene.train = to_json(config);
    lab.trainer_error.clear();
    return true;
  } catch (const InputError& e) {
    lab.trainer_error = e.what();
    return false;
  }
}

void Lab::stop_training() { s_->trainer.reset(); }
const std::string& Lab::trainer_error() const { return s_->trainer_error; }

// ---- status and views -------------------------------------------------------------------------------

const std::string& Lab::sampler_error() const { return s_->sampler_error; }
std::optional<RunFailure> Lab::run_failure() const { return scorelab::run_failure(run_health(*s_)); }
void Lab::check_particles_now() { check_particles_finite(*s_, true); }
const std::string& Lab::backend_note() const { return s_->backend_note; }
ParticleBudget Lab::particle_budget() const { return lab_particle_budget(*s_); }
long Lab::nfe() const { return s_->run.nfe() * s_->sampler_score.evaluations_per_score(); }
bool Lab::preparing_gpu() const { return s_->gpu_build.pending(); }
const StepPace& Lab::pace() const { return s_->pace; }

void Lab::request_speed(const std::string& key) {
  LabState& lab = *s_;
  if (lab.speed_key == key && (lab.speed || lab.speed_job.valid())) return;
  measure_particle_paths(lab, lab.scene);
  lab.speed_key = key;
}

const std::optional<ParticleSpeed>& Lab::speed() const { return s_->speed; }
NoiseLevel Lab::field_level() const { return scorelab::field_level(*s_, s_->scene.scene.noise); }
Points Lab::shown_particles() const { return scorelab::shown_particles(*s_); }
int Lab::shown_frame_index() const { return scorelab::shown_frame_index(*s_); }
const FieldState& Lab::field_state() const { return s_->field_state; }
const std::string& Lab::heatmap_note() const { return s_->heatmap_note; }
std::string Lab::heatmap_status() const { return scorelab::heatmap_status(*s_); }
double Lab::heatmap_progress() const { return scorelab::heatmap_progress(*s_); }
const HeatmapLegend* Lab::shown_heatmap_legend() const { return scorelab::shown_heatmap_legend(*s_); }

std::string Lab::density_gpu_note() const {
  return s_->heatmap_state.worker ? s_->heatmap_state.worker->gpu_note() : std::string();
}

const FisherState& Lab::fisher() const { return s_->fisher; }
const ModeWeightBars* Lab::pinned_mode_weights() const { return s_->mode_bars ? &*s_->mode_bars : nullptr; }

std::shared_ptr<const GpuScore> Lab::uploaded_network() { return uploaded_network_of(*s_); }

}  // namespace scorelab
