// Scenes: everything needed to reproduce a picture, as versioned JSON (load, validate, save).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/data_source.hpp"
#include "core/sampler_config.hpp"
#include "core/schedules.hpp"

namespace scorelab {

// What a lecture shows beside the plane (all optional): 2-4 sentences on the phenomenon, the formula
// behind it, and the one thing to look at. The GUI's lecture mode draws them as an overlay.
struct SceneLecture {
  std::string caption;
  std::string formula;
  std::string notice;  // "what to notice"
  bool empty() const { return caption.empty() && formula.empty() && notice.empty(); }
};

struct Scene {
  static constexpr int kVersion = 1;
  int version = kVersion;
  std::string title;        // optional, shown by the GUI's scene menu
  std::string description;  // optional, what the scene teaches
  SceneLecture lecture;     // optional "lecture" section
  DataConfig data;
  NoiseConfig noise;
  SamplerConfig sampler;
  // Sections owned by other modules (training, model); kept verbatim so a load/save round trip
  // loses nothing. null when absent.
  nlohmann::json train;
  nlohmann::json model;
  // How a preset is shown (score, layers, heatmap, backend, view, panels): validated by the app,
  // which owns those settings (app/lab/scene_show.hpp). null when absent.
  nlohmann::json show;
};

// Parses and validates. Relative point-file paths are resolved against base_dir.
// Throws InputError with one line naming the JSON key and the problem, e.g.
// "scene.data.weights: must be positive numbers (got -1 at index 0)".
Scene parse_scene(const nlohmann::json& j, const std::filesystem::path& base_dir = ".");
Scene load_scene(const std::filesystem::path& path);  // also reports unreadable files / bad JSON syntax
// The JSON text of a file, as load_scene reads it: unreadable files ("cannot read <label> '<path>'"),
// syntax errors by line and column and duplicate keys are refused with one line naming the file.
nlohmann::json load_json_file(const std::filesystem::path& path, const std::string& label);

nlohmann::json to_json(const Scene& scene);
// Writes atomically (temporary file then rename), so a crash never leaves half a scene.
void save_scene(const Scene& scene, const std::filesystem::path& path);

}  // namespace scorelab
