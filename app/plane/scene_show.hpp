// A scene's "show" section: how a preset is shown, so that opening or resetting it restores all of
// its own state (issue: a reset kept the learned score of an untrained network and the old heatmap).
//   "show": {"score": "exact" | "learned", "backend": "cpu" | "gpu", "layers": "<SCORELAB_LAYERS spec>",
//            "points": true, "particles": true, "forward": false, "train": false,
//            "steps_per_frame": 2, "frames_per_step": 1, "panels": ["noise", ...],
//            "view": {"center": [x, y], "half_width": w}, "pin": "none" | "mode_weights"}
// Everything is optional; absent keys mean the app's defaults, not "keep what is there".
// GL-free (floor 2): the GUI, the exporter and the tests read it the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/plane/layer_settings.hpp"
#include "core/types.hpp"

namespace scorelab {

// The plane's visible region: its centre and half its width in data units (the height follows the
// window's aspect ratio).
struct SceneView {
  Vec2 center = Vec2::Zero();
  double half_width = 5.0;
};

// A figure pinned on the plane beside the particles (the preset's key number in view, not in a
// closed panel).
enum class PinnedFigure { none, mode_weights };

struct SceneShow {
  std::optional<bool> learned_score;  // "score": the particles follow the network (true) or the exact score
  std::optional<bool> gpu_backend;    // "backend": where the particles step
  FieldSettings field;                // the defaults with "layers" applied
  HeatmapSettings heatmap;
  bool points = true;                 // the data points layer
  bool particles = true;              // the sampler's particles and trails
  bool forward = false;               // play the forward process (data → noise) instead of the sampler
  bool train = false;                 // start training when the preset opens
  int steps_per_frame = 2;            // sampler steps per frame (fewer when a step is costly)
  int frames_per_step = 1;            // slow motion: one step every k frames (60: about one a second)
  std::vector<std::string> panels;    // panels opened in the sidebar
  std::optional<SceneView> view;      // none: fit the data
  PinnedFigure pin = PinnedFigure::none;
};

// The panel names "panels" accepts (those of the sidebar).
const std::vector<std::string>& scene_show_panel_names();

// Parses the section (null: all defaults). Throws InputError "scene.show.<key>: <problem>" naming
// the key, as the scene's own sections do; unknown keys are refused.
SceneShow parse_scene_show(const nlohmann::json& j);

}  // namespace scorelab
