// The lab's state (app/lab/ only): what class Lab (lab.hpp) keeps behind its API, and the helpers of
// lab.cpp, lab_gpu.cpp and the layer builders (lab_layers.cpp, lab_heatmap.cpp, lab_field.cpp) that
// work on it. Nothing outside app/lab/ includes this header: panels, dialogs, the exporter and the
// CLI go through Lab's member functions, so the lab's invariants (a run restarted when its score
// changes level, one network upload per snapshot) hold whoever drives it.
#pragma once

#include <chrono>
#include <future>

#include "app/gl/gl_worker.hpp"
#include "app/gpu/uploaded_network.hpp"
#include "app/lab/lab.hpp"
#include "app/lab/score_handle.hpp"
#include "core/particle_budget.hpp"

namespace scorelab {

// A GPU engine being built on the lab's GL worker (kernels compile off the UI thread); the particles
// step on the CPU meanwhile and move over at a step boundary when it is ready (lab_gpu.cpp).
struct GpuBuild {
  std::future<std::unique_ptr<GpuParticleEngine>> engine;  // invalid: none under way
  std::shared_ptr<const ScoreFunction> score;  // what its kernels are built for (kept alive for the worker)
  std::shared_ptr<const bool> wanted;  // a build dropped before it starts is skipped (the job holds a weak_ptr)
  bool pending() const { return engine.valid(); }
};

// The particles' health (lab_failure.cpp): how many were non-finite at the last count, which
// positions (ParticleRun::generation) and when it counted.
struct FiniteCheck {
  int non_finite = 0;
  long generation = -1;
  std::chrono::steady_clock::time_point at;
};

struct LabState {
  // Compiles GPU kernels (not on llvmpipe: compile_off_thread in lab_gpu.hpp) and runs the speed
  // probe off the UI thread, in a context sharing objects with the window's. Null: done inline, as
  // the exporter and the tests do (they have no frames to keep).
  std::shared_ptr<gl::Worker> gl_worker;
  GpuBuild gpu_build;
  NoiseConfig run_noise;     // the noise of the running sampler (a CPU stand-in for the GPU needs it)
  std::shared_ptr<const ScoreFunction> exact;  // exact_score(scene.data)
  std::unique_ptr<Trainer> trainer;
  std::string trainer_error;                   // why there is no trainer (bad train/model section)
  std::shared_ptr<const Snapshot> snapshot;    // the newest one seen
  std::shared_ptr<const NetworkScore> learned;  // built from `snapshot`
  ScoreHandle sampler_score;                   // what the particles follow (exact or learned)
  ParticleRun run;
  std::string sampler_error;
  // The lowest noise the score the run started with means something at (ScoreFunction::lowest_noise).
  // Plain Langevin picks its level when it starts (below a network's smallest level only for an exact
  // score), so an exact ↔ learned switch under it restarts the run instead of asking a network at a
  // level it never learned.
  double run_score_lowest = 0.0;
  std::string backend_note;  // why the run is on the CPU although the GPU was asked for
  std::optional<ParticleBudget> gpu_budget;  // lab_particle_budget's GPU figure, queried once
  bool interactive = true;   // a window's lab: the CPU path's interactive ceiling holds (Lab::set_interactive)
  const ScoreFunction* gpu_score_source = nullptr;  // what the GPU engine's kernels were built from
  uint64_t gpu_score_change = 0;  // and the network change it follows (lab.network_change)
  StepPace pace;             // measured cost of a step on the running path (the time budget)
  SlowMotion slow_motion;    // which playing frames step when particles.frames_per_step > 1
  std::chrono::steady_clock::time_point last_step_time;  // when the last playing step ended
  std::chrono::steady_clock::time_point frame_start;  // when the last playing update began
  bool frame_stepped = false;      // whether that frame ran a step (its length is taken next update)
  double stepping_frame_s = 0.0;   // how long the last frame with a step took, drawing included
  double idle_frame_s = 0.0;       // how long a frame without a step takes (running average)
  std::optional<ParticleSpeed> speed;  // CPU and GPU particle-steps/s of this scene (measured on request)
  std::future<ParticleSpeed> speed_job;  // the probe under way on gl_worker
  std::string speed_key;     // the sampler and score the speeds were measured for
  int scrub = -1;  // -1: live; else the recorded frame shown (the scrubber)
  FiniteCheck finite;  // diverged particles, for the failure banner (run_failure.hpp)

  ParticleSettings particles;
  FieldSettings field;      // layer_settings.hpp
  HeatmapSettings heatmap;

  // The heatmap's inputs when last computed; clear() forces a recomputation (new scene, schedule).
  std::string heatmap_key;
  std::string heatmap_note;  // shown in the panel (e.g. "no learned score yet")
  bool heatmap_sync = false;  // export: build_lab_layers finishes the model's log-density image in one call
  HeatmapState heatmap_state;  // jobs and caches of the heatmap and field layers (lab_layer_state.hpp)
  FieldState field_state;
  FisherState fisher;  // the Training panel's relative Fisher divergence per level (fisher_job.hpp)
  // The pinned mode-weight bars (lab_mode_bars.cpp): the last count, what it counted and its cost.
  std::optional<ModeWeightBars> mode_bars;
  std::string mode_bars_key;
  std::chrono::steady_clock::time_point mode_bars_time;
  double mode_bars_cost_s = 0.0;

  // What the lab was last loaded or restarted with: restarts from a settings change and the views
  // (field level, Fisher inputs) read it.
  LoadedScene scene;
  bool loaded = false;  // load() ran: settings changes may restart the run
  // The network-change event (Lab::network_change): raised once per new network, whichever way it
  // came (trainer snapshot, model file, export frame, reset). Each view remembers the change it
  // last took; `deliveries` counts how often each took one.
  uint64_t network_change = 0;
  SnapshotDeliveries deliveries;
  uint64_t particles_change = 0;  // the change the sampler's score last followed
  uint64_t fisher_change = 0;     // the change the last Fisher job was started for
  uint64_t field_state_change = 0;   // the change the field layer last showed
  uint64_t heatmap_change = 0;    // the change the heatmap last computed an image for
  // One upload of the current network's weights, bound by the particle engine, the GPU arrows
  // and the score-field kernels of this context (the density worker has its own context and its
  // own upload, density_job.hpp).
  UploadedNetwork uploaded;

  // One particle up close (lab_follow.cpp): its index, its live path, the step its path last took.
  std::optional<int> followed;
  std::vector<Vec2> followed_path;
  int followed_path_step = -1;
  bool forced_cpu = false;  // following or a condition moved the run from the GPU to the CPU
  // Conditional sampling (lab_condition.cpp): the settings, why they are not applied (or ""), and
  // the wrapped score for the base it was built over (sampler_target is const: a cache).
  ConditionSettings condition;
  std::string condition_note;
  struct ConditionCache {
    const ScoreFunction* base = nullptr;
    std::shared_ptr<const ScoreFunction> base_alive;  // keeps `base` from being reused by another score
    std::shared_ptr<const ScoreFunction> wrapped;
  };
  mutable ConditionCache condition_cache;
};

// lab_condition.cpp: `base` under the lab's condition (itself when there is none or it cannot apply).
std::shared_ptr<const ScoreFunction> conditioned_target(const LabState& lab, std::shared_ptr<const ScoreFunction> base);
// lab_condition.cpp, at a load: no condition and no followed particle (the classes, the posterior and
// the particles were those of the old data; a class wrapper of the old mixture must not be reused).
void forget_close_ups(LabState& lab);
// lab_condition.cpp: the learned score (or the trainer's model) takes class labels (classifier-free
// guidance), so class guidance with the learned score guides the network instead of the exact score.
bool learned_is_conditional(const LabState& lab);
// lab_follow.cpp: a followed particle or a condition keeps the run on the CPU path (the GPU kernels
// neither trace a step nor know the wrapped score); then the engine follows the lab's particle.
void keep_traceable(LabState& lab);
// lab_follow.cpp, once a frame after stepping: the followed particle's live path.
void track_followed(LabState& lab);

// Builds the exact score, the trainer and the sampler for `scene` (after a scene load).
void init_lab(LabState& lab, const LoadedScene& scene);
// Starts the particles over with the scene's sampler settings and the chosen score.
void restart_sampler(LabState& lab, const LoadedScene& scene);
// Recreates the trainer from the scene's noise, train and model sections (a reset).
void rebuild_trainer(LabState& lab, const LoadedScene& scene);
// Once per frame: picks up the trainer's newest snapshot and advances playing particles.
void update_lab(LabState& lab);
// lab_failure.cpp, once a frame after stepping: counts the non-finite particles when they moved, at
// most twice a second (a GPU run downloads them), or now. The run's health for the banner.
void check_particles_finite(LabState& lab, bool now);
RunHealth run_health(const LabState& lab);
// A new learned network (or none): raises the network-change event.
void set_learned(LabState& lab, std::shared_ptr<const NetworkScore> net, std::shared_ptr<const Snapshot> snapshot);
// The score the particles follow; falls back to the exact one until a learned snapshot exists.
std::shared_ptr<const ScoreFunction> sampler_target(const LabState& lab);
// The level the field and heatmap show.
NoiseLevel field_level(const LabState& lab, const NoiseConfig& noise);
Points shown_particles(const LabState& lab);
int shown_frame_index(const LabState& lab);
// Runs the short CPU-vs-GPU probe (~0.1 s plus compiling the GPU kernels) of the scene's sampler
// into lab.speed: on gl_worker when there is one (update_lab collects it), else at once.
void measure_particle_paths(LabState& lab, const LoadedScene& scene);
// The current network's weights on the GPU (one upload per network change; lab.uploaded).
std::shared_ptr<const GpuScore> uploaded_network_of(LabState& lab);
// Recounts the pinned mode-weight bars when due (lab_mode_bars.cpp; called by build_lab_layers).
void update_mode_bars(LabState& lab, Theme theme);
// lab_layers.cpp
void build_lab_layers(LabState& lab, const LabLayerFrame& frame, PlaneStyle& style);

}  // namespace scorelab
