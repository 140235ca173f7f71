// A scene as the GUI holds it: the parsed Scene plus what the view draws (training points,
// the exact mixture when there is one) and the bounds to fit the view to.
#pragma once

#include <filesystem>
#include <optional>

#include "app/plane/view_transform.hpp"
#include "core/scene.hpp"

namespace scorelab {

struct LoadedScene {
  std::filesystem::path path;  // empty for the built-in scene
  Scene scene;
  Points points;                           // (2, N) the training set
  std::optional<GaussianMixture> mixture;  // exact_mixture(scene.data)
  Bounds2 bounds;                          // points and 2σ ellipses
  DataConfig preset_data;                  // the data as loaded: the scene's title names it
};

// Loads and prepares a scene file. Throws InputError (one line) for a missing or invalid scene.
LoadedScene load_scene_for_view(const std::filesystem::path& path);

// A scene given as JSON (a lecture deck's beat) that stands for the file at `path` (relative point
// files resolve against its folder). Throws InputError like load_scene_for_view.
LoadedScene scene_from_json(const nlohmann::json& j, const std::filesystem::path& path);

// The scene used when the default scene file cannot be found: 8gaussians with core defaults.
LoadedScene builtin_scene();

// assets/scenes/default.json under the source tree's asset directory (SCORELAB_ASSET_DIR).
std::filesystem::path default_scene_path();

// "mixture (2 components)", "toy set 8gaussians", "points from pts.csv".
std::string describe_data(const DataConfig& data);

}  // namespace scorelab
