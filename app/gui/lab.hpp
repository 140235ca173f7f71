// The live lab behind the plane view: the exact score, the trainer on its worker thread, the
// sampler's particles, and the settings of the field, heatmap and particle layers. Updated once a
// frame (update_lab), turned into GL layers by build_lab_layers (lab_layers.cpp). Neither needs
// ImGui or a window: the GUI and the headless exporter drive the same Lab and the same layers.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "app/gui/particle_run.hpp"
#include "app/gui/scene_state.hpp"
#include "app/render/plane_renderer.hpp"
#include "app/render/plane_style.hpp"
#include "app/render/view_transform.hpp"
#include "app/gui/score_handle.hpp"
#include "core/nn/score_network.hpp"
#include "core/trainer.hpp"

namespace scorelab {

struct App;

enum class ScoreSource { exact, learned };
enum class FieldKind { true_score, learned, difference };
enum class HeatmapKind { log_density, score_error };

struct ParticleSettings {
  ScoreSource source = ScoreSource::exact;
  bool playing = true;
  int steps_per_frame = 2;
  int trail_length = 6;      // segments behind each particle (0: none)
  int max_trails = 300;      // particles with a trail (the first ones): on llvmpipe 800 trails cost ~25 ms a frame
  bool show = true;
  bool show_trails = true;
  float size = 3.0f;         // logical pixels
};

struct FieldSettings {
  bool show = true;
  FieldKind kind = FieldKind::true_score;
  bool normalise = false;    // all arrows the same length: direction only (colour still shows |s|)
  bool follow_sampler = true;  // the field's level is the particles' current level
  float t = 0.05f;           // the level when not following: t ∈ [ε, 1] (σ(t) for VE-type schedules)
  float spacing_em = 2.0f;   // arrow grid spacing in font heights
};

struct HeatmapSettings {
  bool show = false;
  HeatmapKind kind = HeatmapKind::log_density;
  bool weight_by_p = true;   // score error × p_t(x): where the data is, the error counts
  float opacity = 0.8f;
  float range_nats = 10.0f;  // log-density: the top range_nats below the maximum
  int resolution = 160;      // cells across
};

struct Lab {
  std::shared_ptr<const ScoreFunction> exact;  // exact_score(scene.data)
  std::unique_ptr<Trainer> trainer;
  std::string trainer_error;                   // why there is no trainer (bad train/model section)
  std::shared_ptr<const Snapshot> snapshot;    // the newest one seen
  std::shared_ptr<const NetworkScore> learned;  // built from `snapshot`
  ScoreHandle sampler_score;                   // what the particles follow (exact or learned)
  ParticleRun run;
  std::string sampler_error;
  int scrub = -1;  // -1: live; else the recorded frame shown (the scrubber)

  ParticleSettings particles;
  FieldSettings field;
  HeatmapSettings heatmap;

  // Heatmap recomputation is throttled: its inputs' key and the cost of the last computation.
  std::string heatmap_key;
  double heatmap_cost_s = 0.0;
  std::chrono::steady_clock::time_point heatmap_time;
  std::string heatmap_note;  // shown in the panel (e.g. "no learned score yet")
};

// Builds the exact score, the trainer and the sampler for `scene` (after a scene load).
void init_lab(Lab& lab, const LoadedScene& scene);
// Starts the particles over with the scene's sampler settings and the chosen score.
void restart_sampler(Lab& lab, const LoadedScene& scene);
// Recreates the trainer from the scene's noise, train and model sections (a reset).
void rebuild_trainer(Lab& lab, const LoadedScene& scene);
// Once per frame: picks up the trainer's newest snapshot and advances playing particles.
void update_lab(Lab& lab);
// The level the field and heatmap show.
NoiseLevel field_level(const Lab& lab, const NoiseConfig& noise);
// The particles on screen: the live ones or the scrubbed frame (2, N) as floats.
const FramePoints& shown_frame(const Lab& lab);
int shown_frame_index(const Lab& lab);

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

// The GUI's shorthands over app.lab and app.scene (lab_app.cpp).
void init_lab(App& app);
void restart_sampler(App& app);
void rebuild_trainer(App& app);
void update_lab(App& app);
NoiseLevel field_level(const App& app);
const FramePoints& shown_frame(const App& app);
int shown_frame_index(const App& app);
void build_lab_layers(App& app);

}  // namespace scorelab
