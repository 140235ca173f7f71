// Settings of the lab's score-field and heatmap layers (edited in the field panel), and the
// SCORELAB_LAYERS start-up spec that sets them without a click (screenshots, lectures).
// GL-free: tested in tests/app/test_density_job.cpp.
#pragma once

#include <optional>
#include <string>

namespace scorelab {

enum class FieldKind { true_score, learned, difference };
enum class FieldStyle { arrows, streamlines };
// true log pₜ (exact), the model's log pₜ through the probability-flow ODE, their difference
// (model − true), the per-point score error ‖s_θ − ∇log pₜ‖², the learned score's curl
// ∂s₂/∂x₁ − ∂s₁/∂x₂ (zero for a gradient field: the energy-vs-free-score lecture).
enum class HeatmapKind { log_density, model_log_density, density_difference, score_error, curl };
// Where the model's log-density is integrated and the arrows are computed. automatic: the GPU
// kernels on a hardware GPU, the CPU on a software renderer (llvmpipe), where the CPU is faster and
// a network kernel takes seconds to minutes to compile the first time.
enum class ComputeDevice { automatic, gpu, cpu };

struct FieldSettings {
  bool show = true;
  FieldKind kind = FieldKind::true_score;
  FieldStyle style = FieldStyle::arrows;
  bool normalise = false;    // all arrows the same length: direction only (colour still shows |s|)
  bool follow_sampler = true;  // the field's level is the particles' current level
  float t = 0.05f;           // the level when not following: t ∈ [ε, 1] (σ(t) for VE-type schedules)
  float spacing_em = 2.0f;   // arrow grid spacing in font heights
  int streamlines = 300;     // streamline seeds over the view
  // Tweedie's denoiser: from each of the first tweedie_count particles a line to E[x₀ | xₜ] =
  // (x + s²·score)/m at the particles' level, with the score they follow (lab_tweedie.cpp).
  bool tweedie_arrows = false;
  int tweedie_count = 300;
  ComputeDevice device = ComputeDevice::automatic;  // arrows: the GPU score-field kernel or the CPU
};

struct HeatmapSettings {
  bool show = false;
  HeatmapKind kind = HeatmapKind::log_density;
  bool weight_by_p = true;   // score error × p_t(x): where the data is, the error counts
  float opacity = 0.8f;
  float range_nats = 10.0f;  // log-density: the top range_nats below the maximum
  float difference_nats = 5.0f;  // model − true: the colours span ±difference_nats
  // The score error's colour range, kept for the scene (locked) so a trained and an untrained model
  // compare: error_scale_for_scene (color_map.hpp) sets it at the first picture of a scene; the Field
  // panel can edit it. Unlocked: each picture spans its own errors (hot spots always, misleading).
  bool error_range_locked = true;
  float error_range_lo = 0.0f;
  float error_range_hi = 0.0f;  // ≤ lo: not set yet (computed at the next picture)
  int resolution = 160;      // cells across
  int model_resolution = 72;  // cells across for the model's log-density (an ODE per cell)
  int ode_steps = 32;        // RK4 steps of the model's log-density ODE from t to 1
  float model_interval_s = 3.0f;  // while training: at most one new model image per this many seconds
  ComputeDevice device = ComputeDevice::automatic;
};

// The other layers the spec may switch (owned elsewhere: the View settings, the particle layer).
struct OtherLayers {
  std::optional<bool> points;     // the data points
  std::optional<bool> particles;  // the sampler's particles and trails
};

// Applies a SCORELAB_LAYERS spec: comma-separated key=value items,
//   heatmap=off|true|model|difference|error|error_p|curl   (error: unweighted; error_p: × pₜ;
//           curl: the learned score's ∂s₂/∂x₁ − ∂s₁/∂x₂)
//   field=off|arrows|streamlines   score=true|learned|difference   normalise=0|1   t=<level in (0, 1]>
//   tweedie=0|1 (lines from the particles to their denoised points E[x₀ | xₜ])
//   device=auto|gpu|cpu (both the model's log-density and the arrows)   points=0|1   particles=0|1
// (t also stops following the particles' level). Throws InputError naming the item on a bad one.
void apply_layers_spec(const std::string& spec, FieldSettings& field, HeatmapSettings& heatmap,
                       OtherLayers* other = nullptr);

// The spec text for --help.
const char* layers_spec_help();

}  // namespace scorelab
