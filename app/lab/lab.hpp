// Floor 4, app/lab/: the model behind a plane: this Lab (its API here and in lab_api.cpp, its state
// in lab_state.hpp, which only app/lab/ includes), the loaded scene (loaded_scene.hpp), the
// particle run and its pacing (particle_run.hpp), the layer/heatmap/field builders (lab_layers.cpp,
// lab_heatmap, lab_field.cpp) and the adapters that plug GPU engines into it (gpu_particle_engine,
// gpu_density_backend). No ImGui, no window. Below: gpu, render, jobs, plane, gl, core.
//
// The live lab behind the plane view: the exact score, the trainer on its worker thread, the
// sampler's particles, and the settings of the field, heatmap and particle layers. Updated once a
// frame (Lab::update), turned into GL layers by Lab::build_layers (lab_layers.cpp). Neither needs
// ImGui or a window: the GUI and the headless exporter drive the same Lab through the same API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/jobs/fisher_job.hpp"
#include "app/lab/gpu_particle_engine.hpp"
#include "app/lab/lab_condition.hpp"
#include "app/lab/lab_layer_state.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/lab/particle_run.hpp"
#include "app/lab/run_failure.hpp"
#include "app/plane/layer_settings.hpp"
#include "app/plane/mode_weight_bars.hpp"
#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"
#include "app/render/plane_renderer.hpp"
#include "core/nn/score_network.hpp"
#include "core/particle_budget.hpp"
#include "core/training/trainer.hpp"

namespace scorelab {

namespace gl {
class Worker;  // app/gl/gl_worker.hpp
}
class GpuScore;      // app/gpu/gpu_score.hpp
struct TrainConfig;  // core/training/train_config.hpp

enum class ScoreSource { exact, learned };
enum class ParticleBackend { cpu, gpu };  // where the live particles are stepped

struct ParticleSettings {
  ScoreSource source = ScoreSource::exact;
  ParticleBackend backend = ParticleBackend::gpu;  // falls back to the CPU when the GPU cannot run the scene
  bool forward = false;      // play the forward process (data → noise) instead of the sampler
  bool playing = true;
  int steps_per_frame = 2;
  // Slow motion: one step every this many frames (1: steps_per_frame steps every frame; up to 120,
  // about a step a second at 60 fps), so a class sees the uniform start before it collapses.
  int frames_per_step = 1;
  float budget_ms = 8.0f;    // sampler work per frame: fewer steps when they cost more (large N)
  int trail_length = 6;      // segments behind each particle (0: none)
  int max_trails = 300;      // particles with a trail (the first ones)
  bool fade_long_trails = true;  // segments longer than a twelfth of the plane fade (high-noise jumps)
  bool show = true;
  bool show_trails = true;
  float size = 3.0f;         // logical pixels
  // Pins the mode-weight bars on the plane (mixture data): the particles' share per component beside
  // πₖ (pinned_mode_weights), recounted a few times a second. Set by a preset's "pin": "mode_weights".
  bool pin_mode_weights = false;
};

struct LabState;  // lab_state.hpp: what the lab keeps behind this API (app/lab/ only)

// How often each view of the learned score took a new network: one per change of the network
// (lab.network_change()) for each view that showed it. Counted for the tests: a snapshot that
// reached a view twice, or not at all, is a bug.
struct SnapshotDeliveries {
  long particles = 0;  // the sampler's score (CPU handle and GPU engine)
  long arrows = 0;     // the score field (GPU arrows or CPU arrows/streamlines)
  long heatmap = 0;    // the heatmap (score error or the model's log-density)
  long fisher = 0;     // the Training panel's Fisher divergence
};

// What Lab::build_layers needs besides the lab: the scene, this frame's view, and the sizes that
// depend on the screen (framebuffer pixels).
struct LabLayerFrame {
  const LoadedScene& scene;
  const ViewTransform& view;
  PlaneRenderer& renderer;
  float font_px = 16.0f;      // arrow spacing is given in font heights
  float pixel_scale = 1.0f;   // logical → framebuffer pixels (HiDPI)
};

class Lab {
 public:
  Lab();
  ~Lab();
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;
  // Movable (a session may hold its lab by value); a moved-from Lab may only be destroyed or assigned.
  Lab(Lab&&) noexcept;
  Lab& operator=(Lab&&) noexcept;

  // ---- set-up ---------------------------------------------------------------------------------
  // Compiles GPU kernels and runs the speed probe off the UI thread, in a context sharing objects
  // with the window's. Without one (the exporter, the tests) that is done inline.
  void set_gl_worker(std::shared_ptr<gl::Worker> worker);
  // A window's lab (the default) steps within frames, so its CPU path takes at most
  // kCpuInteractiveParticles; the exporter's is not (a frame waits for its steps): memory only.
  void set_interactive(bool interactive);
  // Builds the exact score, the trainer and the sampler for `scene` (after a scene load). The lab
  // keeps a copy of the scene: restarts and the views of it read that copy.
  void load(const LoadedScene& scene);
  // Starts the particles over with the scene's sampler settings and the chosen score.
  void restart(const LoadedScene& scene);
  void restart();  // the same scene
  // Recreates the trainer from the scene's noise, train and model sections (a reset).
  void rebuild_trainer(const LoadedScene& scene);
  // Without a training thread, each layer complete in the call that builds it (export frames).
  void run_synchronously();

  // ---- once a frame ---------------------------------------------------------------------------
  // Picks up the trainer's newest snapshot (one network change, see network_change()), lets the
  // run follow its score (restarting plain Langevin when the score's lowest level moved) and
  // advances playing particles.
  void update();
  // Sets the lab-layer switches of `style` and fills the renderer's field, trail, particle and
  // heatmap layers for this frame's view (lab_layers.cpp).
  void build_layers(const LabLayerFrame& frame, PlaneStyle& style);
  // The Training panel's Fisher divergence: collects a finished job, starts one for a new network.
  void update_fisher();

  // ---- layer settings: plain values; a setter reacts to what changed --------------------------
  const ParticleSettings& particles() const;
  // A new backend or direction restarts the run; a new score source is followed from the next
  // update() (plain Langevin restarts there when the score's lowest level differs).
  void set_particles(const ParticleSettings& settings);
  const FieldSettings& field() const;
  void set_field(const FieldSettings& settings);
  const HeatmapSettings& heatmap() const;
  void set_heatmap(const HeatmapSettings& settings);
  // The heatmap is recomputed at the next frame (a new noise schedule: the old image is wrong).
  void invalidate_heatmap();

  // ---- playback -------------------------------------------------------------------------------
  const ParticleRun& run() const;
  int scrub_frame() const;  // -1: live; else the recorded frame shown
  // Shows recorded frame `frame` (the last one or beyond: live again) and pauses.
  void scrub_to(int frame);
  // Space and Play: continue from a scrubbed frame, play the run again at its end, else play/pause.
  void toggle_playback();
  void restart_and_play();  // R and Restart
  // Step: a frame's worth of steps (within the time budget) from the shown frame, then paused.
  void step_once();
  // Runs `steps` steps now (the exporter's frames). Returns the steps run.
  int advance(int steps);
  // Records why the scene's sampler settings were refused (shown in the Particles panel).
  void report_sampler_error(std::string message);

  // ---- scores and training --------------------------------------------------------------------
  const std::shared_ptr<const ScoreFunction>& exact() const;
  // The newest network and the snapshot it came from; null before the first snapshot.
  const std::shared_ptr<const NetworkScore>& learned() const;
  const std::shared_ptr<const Snapshot>& snapshot() const;
  // Counts changes of the learned network (a new snapshot, a model loaded, a reset): the one event
  // particles, arrows, heatmap and the Fisher job key on.
  uint64_t network_change() const;
  const SnapshotDeliveries& deliveries() const;
  // Shows `net` as the learned score (a model loaded from file, an export frame's network); the
  // snapshot says its step and version. A trainer keeps running and replaces it with its next one.
  void adopt_network(std::shared_ptr<const NetworkScore> net, std::shared_ptr<const Snapshot> snapshot);
  void drop_network();  // no learned score until the next snapshot
  // The score the particles follow; the exact one until a learned snapshot exists.
  std::shared_ptr<const ScoreFunction> sampler_target() const;
  Trainer* trainer();
  const Trainer* trainer() const;
  // New training settings for the running trainer (the error, if any, is kept: trainer_error()).
  // Returns false when they were refused.
  bool reconfigure_training(const TrainConfig& config);
  void stop_training();  // the worker stops and the trainer goes (before the window does)
  const std::string& trainer_error() const;

  // ---- status and views -----------------------------------------------------------------------
  const std::string& sampler_error() const;
  // What failed, for the plane's banner and a --frames run's exit: a refused run, diverged particles
  // (counted at most twice a second while they move), diverged or refused training. None: all runs.
  std::optional<RunFailure> run_failure() const;
  void check_particles_now();  // counts the diverged particles now (the last frame of a --frames run)
  const std::string& backend_note() const;  // why the run is on the CPU although the GPU was asked for
  // Function evaluations per particle so far (the run's score evaluations × what one costs: two
  // networks under classifier-free guidance), the NFE the panel and the caption show.
  long nfe() const;
  // The most particles the run's path holds (the GPU's memory, or the CPU's interactive ceiling) and
  // why: the Particles panel's slider ends there; a restart with more is refused with that line.
  ParticleBudget particle_budget() const;
  bool preparing_gpu() const;  // the particles step on the CPU until the GPU kernel is ready
  const StepPace& pace() const;
  // CPU and GPU particle-steps/s of the scene's sampler and score; measured once per `key` (on the
  // GL worker when there is one: the figures arrive frames later).
  void request_speed(const std::string& key);
  const std::optional<ParticleSpeed>& speed() const;
  // The level the field and heatmap show.
  NoiseLevel field_level() const;
  // The particles on screen (2, N): the live ones or the scrubbed frame, downloaded when on the GPU
  // (for metrics and export, not per frame).
  Points shown_particles() const;
  int shown_frame_index() const;
  const FieldState& field_state() const;
  const std::string& heatmap_note() const;  // e.g. "no learned score yet"
  std::string heatmap_status() const;       // the model-density job's line for the field panel
  double heatmap_progress() const;          // its progress in [0, 1); -1 when none runs
  const HeatmapLegend* shown_heatmap_legend() const;
  std::string density_gpu_note() const;     // why the model density is not on the GPU, or ""
  const FisherState& fisher() const;
  // The pinned mode-weight bars of the shown particles (ParticleSettings::pin_mode_weights); null
  // when not pinned, for data without a mixture, or before a run. Counted in build_layers at most a
  // few times a second (every moved frame in an export).
  const ModeWeightBars* pinned_mode_weights() const;
  // The GPU weights of the current network, uploaded on first use and shared by every kernel in
  // this context (null without a network or when it has no GPU twin). A GL context must be current.
  std::shared_ptr<const GpuScore> uploaded_network();

  // ---- one particle up close (lab_follow.cpp) -------------------------------------------------
  // Follows particle `index` (nullopt: none): each step records the terms of its update. Only the
  // CPU path traces a step, so a run on the GPU continues on the CPU (backend_note() says why).
  void follow_particle(std::optional<int> index);
  std::optional<int> followed_particle() const;
  // The last traced step of the followed particle (formula, position before, terms); null when
  // nothing is followed or no step ran since following began.
  const StepTrace* followed_step() const;
  std::optional<Vec2> followed_position() const;  // on the shown frame
  const std::vector<Vec2>& followed_path() const;  // its live positions since following began

  // ---- conditional sampling (lab_condition.cpp) -----------------------------------------------
  const ConditionSettings& condition() const;
  // Wraps the score the particles follow (on the CPU path) and restarts the run. A condition the
  // data cannot take (class guidance without a mixture) is kept but not applied: condition_note().
  void set_condition(const ConditionSettings& condition);
  const std::string& condition_note() const;
  // The learned model takes class labels: class guidance with the learned score is then
  // classifier-free guidance, (1 − w)·s(x, t, ∅) + w·s(x, t, k), on the CPU path.
  bool learned_is_conditional() const;
  // The exact law the conditioned particles aim at, for mixture data: p(x | k) for class guidance
  // (exact at w = 1; larger w sharpens it), the posterior p₀(x | y) for an observation.
  std::optional<GaussianMixture> condition_truth() const;

 private:
  std::unique_ptr<LabState> s_;
};

// True when the GL renderer is Mesa's software rasteriser (llvmpipe).
bool software_gl();


}  // namespace scorelab
