// Floor 4, app/lab/: the model behind a plane: this Lab, the loaded scene (loaded_scene.hpp), the
// particle run and its pacing (particle_run.hpp), the layer/heatmap/field builders (lab_layers.cpp,
// lab_heatmap, lab_field.cpp) and the adapters that plug GPU engines into it (gpu_particle_engine,
// gpu_density_backend). No ImGui, no window. Below: gpu, render, jobs, plane, gl, core.
//
// The live lab behind the plane view: the exact score, the trainer on its worker thread, the
// sampler's particles, and the settings of the field, heatmap and particle layers. Updated once a
// frame (update_lab), turned into GL layers by build_lab_layers (lab_layers.cpp). Neither needs
// ImGui or a window: the GUI and the headless exporter drive the same Lab and the same layers.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "app/gl/gl_worker.hpp"
#include "app/lab/gpu_particle_engine.hpp"
#include "app/jobs/fisher_job.hpp"
#include "app/lab/lab_layer_state.hpp"
#include "app/plane/layer_settings.hpp"
#include "app/lab/particle_run.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/render/plane_renderer.hpp"
#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"
#include "app/lab/score_handle.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/trainer.hpp"

namespace scorelab {

enum class ScoreSource { exact, learned };
enum class ParticleBackend { cpu, gpu };  // where the live particles are stepped

struct ParticleSettings {
  ScoreSource source = ScoreSource::exact;
  ParticleBackend backend = ParticleBackend::gpu;  // falls back to the CPU when the GPU cannot run the scene
  bool forward = false;      // play the forward process (data → noise) instead of the sampler
  bool playing = true;
  int steps_per_frame = 2;
  float budget_ms = 8.0f;    // sampler work per frame: fewer steps when they cost more (large N)
  int trail_length = 6;      // segments behind each particle (0: none)
  int max_trails = 300;      // particles with a trail (the first ones)
  bool fade_long_trails = true;  // segments longer than a twelfth of the plane fade (high-noise jumps)
  bool show = true;
  bool show_trails = true;
  float size = 3.0f;         // logical pixels
};

// A GPU engine being built on the lab's GL worker (kernels compile off the UI thread); the particles
// step on the CPU meanwhile and move over at a step boundary when it is ready (lab_gpu.cpp).
struct GpuBuild {
  std::future<std::unique_ptr<GpuParticleEngine>> engine;  // invalid: none under way
  std::shared_ptr<const ScoreFunction> score;  // what its kernels are built for (kept alive for the worker)
  std::shared_ptr<const bool> wanted;  // a build dropped before it starts is skipped (the job holds a weak_ptr)
  bool pending() const { return engine.valid(); }
};

struct Lab {
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
  const ScoreFunction* gpu_score_source = nullptr;  // what the GPU engine's kernels were built from
  StepPace pace;             // measured cost of a step on the running path (the time budget)
  std::chrono::steady_clock::time_point last_step_time;  // when the last playing step ended
  std::chrono::steady_clock::time_point frame_start;  // when the last playing update began
  bool frame_stepped = false;      // whether that frame ran a step (its length is taken next update)
  double stepping_frame_s = 0.0;   // how long the last frame with a step took, drawing included
  double idle_frame_s = 0.0;       // how long a frame without a step takes (running average)
  std::optional<ParticleSpeed> speed;  // CPU and GPU particle-steps/s of this scene (measured on request)
  std::future<ParticleSpeed> speed_job;  // the probe under way on gl_worker
  std::string speed_key;     // the sampler and score the speeds were measured for
  int scrub = -1;  // -1: live; else the recorded frame shown (the scrubber)

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
};

// Builds the exact score, the trainer and the sampler for `scene` (after a scene load).
void init_lab(Lab& lab, const LoadedScene& scene);
// Starts the particles over with the scene's sampler settings and the chosen score.
void restart_sampler(Lab& lab, const LoadedScene& scene);
// Recreates the trainer from the scene's noise, train and model sections (a reset).
void rebuild_trainer(Lab& lab, const LoadedScene& scene);
// Once per frame: picks up the trainer's newest snapshot and advances playing particles.
void update_lab(Lab& lab);
// The score the particles follow; falls back to the exact one until a learned snapshot exists.
std::shared_ptr<const ScoreFunction> sampler_target(const Lab& lab);
// The level the field and heatmap show.
NoiseLevel field_level(const Lab& lab, const NoiseConfig& noise);
// The particles on screen (2, N): the live ones or the scrubbed frame, downloaded when on the GPU
// (for metrics and export, not per frame).
Points shown_particles(const Lab& lab);
int shown_frame_index(const Lab& lab);
// Runs the short CPU-vs-GPU probe (~0.1 s plus compiling the GPU kernels) of the scene's sampler
// into lab.speed: on gl_worker when there is one (update_lab collects it), else at once.
void measure_particle_paths(Lab& lab, const LoadedScene& scene);
// True while the particles step on the CPU until the GPU kernel is ready ("preparing the GPU kernel…").
inline bool preparing_gpu(const Lab& lab) { return lab.gpu_build.pending(); }
// True when the GL renderer is Mesa's software rasteriser (llvmpipe).
bool software_gl();

// What build_lab_layers needs besides the lab: the scene, this frame's view, and the sizes that
// depend on the screen (framebuffer pixels).
struct LabLayerFrame {
  const LoadedScene& scene;
  const ViewTransform& view;
  PlaneRenderer& renderer;
  float font_px = 16.0f;      // arrow spacing is given in font heights
  float pixel_scale = 1.0f;   // logical → framebuffer pixels (HiDPI)
};
// lab_layers.cpp: sets the lab-layer switches of `style` and fills the renderer's field, trail,
// particle and heatmap layers for this frame's view.
void build_lab_layers(Lab& lab, const LabLayerFrame& frame, PlaneStyle& style);

}  // namespace scorelab
