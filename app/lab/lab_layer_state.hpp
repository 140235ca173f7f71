// What the heatmap and field layers keep between frames (a member of Lab): the throttles of the
// CPU heatmaps, the model log-density job and the image it shows, the streamline cache, and the GPU
// score-field resources. Filled by lab_layers.cpp / lab_heatmap.cpp; read by the field panel.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/jobs/density_job.hpp"
#include "app/plane/color_map.hpp"
#include "app/plane/streamlines.hpp"
#include "app/plane/view_transform.hpp"
#include "core/score_function.hpp"

namespace scorelab {

class GpuFieldArrows;  // app/gpu/gpu_field_arrows.hpp

enum class HeatmapContent { none, exact, model };  // what the heatmap layer's texture shows now

struct HeatmapState {
  using Clock = std::chrono::steady_clock;
  // The CPU heatmaps (true log pₜ, score error): the cost of the last one throttles the next.
  double cost_s = 0.0;
  Clock::time_point time;
  HeatmapContent content = HeatmapContent::none;
  std::optional<HeatmapLegend> legend;    // what the layer's image shows; none while it is empty
  // The scene (its exact score) and the quantity (weighted or not) the fixed error range was set
  // for: another one sets it anew.
  const ScoreFunction* error_range_exact = nullptr;
  bool error_range_weighted = false;

  // The model's log-density through the ODE, on the density worker.
  std::unique_ptr<DensityWorker> worker;  // made on first use
  DensityProgress progress;               // the newest polled
  uint64_t job = 0;                       // the request whose rows are used; 0: none
  std::string job_key;                    // its inputs (grid, level, steps)
  uint64_t job_change = 0;                // and its network (Lab::network_change)
  std::string job_grid_key;               // the part that a new request must not wait for (view, steps)
  Clock::time_point job_started;
  NoiseLevel job_level;                   // the level it is computed at
  Bounds2 job_world;                      // the rectangle its grid covers (cell edges)
  int shown_rows = -1;                    // rows of `job` in the layer's image (-2: its complete image)
  int shown_kind = -1;                    // HeatmapKind of the layer's image
  DensityProgress last_complete;          // the newest complete job: shown while the next one runs
  Bounds2 last_world;
  NoiseLevel last_level;
  Scalars truth;                          // true log p on a job's grid (the difference map)
  uint64_t truth_job = 0;                 // which job `truth` belongs to
};

struct FieldState {
  double shown_reference = 0.0;           // |s| of the top arrow colour in the field last built (its key)
  std::string streamline_key;             // inputs of the cached streamlines
  uint64_t streamline_change = 0;  // the network change they used (Lab::network_change; 0: exact only)
  std::shared_ptr<const ScoreFunction> streamline_exact;  // and the exact one (a new scene has another)
  std::vector<Streamline> streamlines;    // traced for streamline_key
  double streamline_reference = 0.0;      // |s| that maps to the top colour
  double streamline_cost_s = 0.0;
  std::chrono::steady_clock::time_point streamline_time;
  std::shared_ptr<GpuFieldArrows> gpu;    // the GPU arrow path, made on first use
  bool gpu_tried = false;
  bool gpu_software = false;              // the GUI's GL renderer is llvmpipe (automatic: CPU arrows)
  std::string gpu_note;                   // why arrows come from the CPU
  bool gpu_used = false;                  // this frame's arrows came from the GPU
  // The Tweedie lines (lab_tweedie.cpp): each particle and its E[x₀ | xₜ], for tweedie_key's inputs,
  // recomputed at most every max(0.1 s, 3 × their cost) (a GPU run downloads its particles).
  std::vector<Vec2> tweedie_from, tweedie_to;
  std::string tweedie_key;
  double tweedie_cost_s = 0.0;
  std::chrono::steady_clock::time_point tweedie_time;
};

}  // namespace scorelab
