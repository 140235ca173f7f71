// scorelab: one binary. `scorelab <subcommand> ...` runs the CLI (app/cli); anything else opens
// the GUI on a scene (default: assets/scenes/default.json).
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "app/cli/cli.hpp"
#include "app/gl/gl.hpp"
#include "app/gui/app.hpp"
#include "app/session/options.hpp"
#include "app/lab/loaded_scene.hpp"

namespace {

// The scene to open: the one asked for (an error if it does not load), else the default file,
// else the built-in scene with a note on stderr.
scorelab::LoadedScene initial_scene(const scorelab::GuiOptions& options) {
  if (options.scene) return scorelab::load_scene_for_view(*options.scene);
  const std::filesystem::path fallback = scorelab::default_scene_path();
  std::error_code ec;
  if (std::filesystem::is_regular_file(fallback, ec)) return scorelab::load_scene_for_view(fallback);
  std::fprintf(stderr, "scorelab: default scene %s not found; showing the built-in 8gaussians scene\n",
               fallback.c_str());
  return scorelab::builtin_scene();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && scorelab::is_cli_command(argv[1])) return scorelab::run_cli(argc, argv);

  scorelab::GuiOptions options;
  try {
    options = scorelab::parse_gui_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const scorelab::InputError& e) {
    std::fprintf(stderr, "scorelab: %s\n", e.what());
    return 2;
  }
  if (options.help) {
    std::fputs(scorelab::gui_usage().c_str(), stdout);
    return 0;
  }
  try {
    // The scene loads before the window opens, so a bad scene is reported even without a display.
    scorelab::LoadedScene scene = initial_scene(options);
    return scorelab::run_gui(options, std::move(scene));
  } catch (const scorelab::InputError& e) {
    std::fprintf(stderr, "scorelab: %s\n", e.what());
    return 2;
  } catch (const scorelab::StartupError& e) {
    std::fprintf(stderr, "scorelab: %s\n", e.what());
    return 1;
  } catch (const scorelab::gl::GlError& e) {
    std::fprintf(stderr, "scorelab: OpenGL error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scorelab: %s\n", e.what());
    return 1;
  }
}
