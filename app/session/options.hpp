// Command-line options of the GUI mode:
// `scorelab [--scene S] [--frames N] [--screenshot out.png] [--theme dark|light] [--font-scale X]
//  [--particles N] [--train] [--stats] [--no-restore] [--backend cpu|gpu] [--score exact|learned] [--deck D]
//  [--window WxH]`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace scorelab {

// A --frames run whose plane shows a failure banner at its end (a diverged or refused run) exits with
// this code after printing the banner's text on stderr (2: bad options or scene; 1: no window).
inline constexpr int kRunFailedExit = 3;

struct GuiOptions {
  std::optional<std::string> scene;       // --scene PATH; none: the default scene
  int frames = 0;  // --frames N: run N frames then exit (0, or kRunFailedExit on a failure); 0 = until closed
  std::optional<std::string> screenshot;  // --screenshot out.png: the last frame, written on exit
  std::optional<std::string> theme;       // --theme dark|light
  std::optional<float> font_scale;        // --font-scale X: presentation scale in [0.75, 3]
  bool train = false;                     // --train: start training at once (benchmarks, demos)
  std::optional<int> particles;           // --particles N: override the scene's particle count
  bool stats = false;                     // --stats: print frame-time statistics on exit
  bool no_restore = false;                // --no-restore: start without loading the autosaved session
  std::optional<std::string> backend;     // --backend cpu|gpu: where the live particles are stepped
  std::optional<std::string> score;       // --score exact|learned: what the particles follow at start-up
  std::optional<std::string> deck;        // --deck PATH: start in lecture mode with this deck
  int slide = 1;                          // --slide N: the deck's slide to start at (1-based)
  int window_width = 1280, window_height = 800;  // --window WxH: the window's size in screen units
  bool help = false;                      // --help / -h
};

// Parses argv[1..]; accepts "--key value" and "--key=value". Throws InputError with one line
// naming the option and the problem (unknown option, missing or bad value).
GuiOptions parse_gui_options(const std::vector<std::string>& args);

// The --help text.
std::string gui_usage();

}  // namespace scorelab
