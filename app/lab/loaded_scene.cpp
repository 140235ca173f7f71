#include "app/lab/loaded_scene.hpp"

#include "app/plane/ellipse.hpp"
#include "app/plane/scene_show.hpp"
#include "app/render/plane_renderer.hpp"

namespace scorelab {
namespace {

LoadedScene prepare(Scene scene, std::filesystem::path path) {
  parse_scene_show(scene.show);  // a bad show section is refused with the scene, by key
  LoadedScene loaded;
  loaded.path = std::move(path);
  loaded.scene = std::move(scene);
  loaded.preset_data = loaded.scene.data;
  loaded.points = training_points(loaded.scene.data);
  loaded.mixture = exact_mixture(loaded.scene.data);
  loaded.bounds = bounds_of(loaded.points);
  if (loaded.mixture) {
    for (const GaussianComponent& c : loaded.mixture->components())
      loaded.bounds.include(covariance_ellipse_bounds(c.mean, c.cov, kEllipseSigmas));
  }
  return loaded;
}

}  // namespace

LoadedScene load_scene_for_view(const std::filesystem::path& path) {
  return prepare(load_scene(path), path);
}

LoadedScene scene_from_json(const nlohmann::json& j, const std::filesystem::path& path) {
  const std::filesystem::path dir = path.parent_path();
  return prepare(parse_scene(j, dir.empty() ? std::filesystem::path(".") : dir), path);
}

LoadedScene builtin_scene() {
  Scene scene;
  scene.title = "8 Gaussians (built-in)";
  scene.description = "The default scene file was not found, so this built-in scene is shown.";
  return prepare(std::move(scene), {});
}

std::filesystem::path default_scene_path() {
  return std::filesystem::path(SCORELAB_ASSET_DIR) / "scenes" / "default.json";
}

std::string describe_data(const DataConfig& data) {
  switch (data.kind) {
    case DataKind::mixture:
      return "mixture of " + std::to_string(data.mixture.size()) + " Gaussians";
    case DataKind::toy:
      return "toy set \"" + data.toy + "\"";
    case DataKind::points:
      return "points from " + std::filesystem::path(data.file).filename().string();
  }
  return "?";
}

}  // namespace scorelab
