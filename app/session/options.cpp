#include "app/session/options.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <tuple>
#include <utility>

#include "app/plane/layer_settings.hpp"
#include "core/file_io.hpp"
#include "core/particle_budget.hpp"
#include "core/types.hpp"

namespace scorelab {
namespace {

// The screenshot is always PNG bytes, so the name must say so (x.jpg holding a PNG misleads every
// viewer); its folder is checked now, not after the frames have run.
std::string screenshot_path(const std::string& value) {
  std::string ext = std::filesystem::path(value).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".png")
    throw InputError("--screenshot " + clip_for_message(value) + ": must end in .png (the screenshot is a PNG image)");
  check_output_path(value, "--screenshot");
  return value;
}

int parse_frames(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1)
    throw InputError("--frames: expected a positive whole number of frames (got '" + text + "')");
  return value;
}

float parse_font_scale(const std::string& text) {
  float value = 0.0f;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !(value >= 0.75f && value <= 3.0f))
    throw InputError("--font-scale: expected a number from 0.75 to 3 (got '" + text + "')");
  return value;
}

int parse_particles(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  // The scene's ceiling (scene.sampler.particles); the device's own budget is the lab's to check,
  // once the window knows its GPU (a refused run: the banner and exit 3).
  if (ec != std::errc() || ptr != end || value < 1 || value > kMaxParticles)
    throw InputError("--particles: expected a whole number from 1 to " + std::to_string(kMaxParticles) + " (got '" +
                     clip_for_message(text) + "')");
  return value;
}

// "1920x1080" (or 1920×1080): a window from 320×240 up to 16384 on a side (rehearsals at a
// projector's size; a laptop's screen keeps the default).
std::pair<int, int> parse_window_size(const std::string& text) {
  const std::string bad = "--window: expected WIDTHxHEIGHT from 320x240 to 16384x16384, e.g. 1920x1080 (got '" +
                          clip_for_message(text) + "')";
  size_t split = text.find('x');
  size_t skip = 1;
  if (split == std::string::npos && (split = text.find("×")) != std::string::npos) skip = std::string("×").size();
  if (split == std::string::npos) throw InputError(bad);
  int size[2] = {0, 0};
  const std::string parts[2] = {text.substr(0, split), text.substr(split + skip)};
  for (int i = 0; i < 2; ++i) {
    const char* end = parts[i].data() + parts[i].size();
    const auto [ptr, ec] = std::from_chars(parts[i].data(), end, size[i]);
    if (parts[i].empty() || ec != std::errc() || ptr != end) throw InputError(bad);
  }
  if (size[0] < 320 || size[1] < 240 || size[0] > 16384 || size[1] > 16384) throw InputError(bad);
  return {size[0], size[1]};
}

bool is_known(const std::string& key) {
  return key == "--scene" || key == "--frames" || key == "--screenshot" || key == "--theme" || key == "--font-scale" ||
         key == "--particles" || key == "--backend" || key == "--score" || key == "--deck" ||
         key == "--slide" || key == "--window";
}

}  // namespace

GuiOptions parse_gui_options(const std::vector<std::string>& args) {
  GuiOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string key = args[i];
    std::optional<std::string> value;
    if (const size_t eq = key.find('='); key.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    }
    if (key == "--help" || key == "-h") {
      options.help = true;
      continue;
    }
    if ((key == "--train" || key == "--stats" || key == "--no-restore") && !value) {  // flags without a value
      (key == "--train" ? options.train : key == "--stats" ? options.stats : options.no_restore) = true;
      continue;
    }
    if (!is_known(key))
      throw InputError("unknown option '" + clip_for_message(args[i]) + "' (GUI options: --scene, --frames, --screenshot, "
                       "--theme, --font-scale, --particles, --train, --stats, --no-restore, --backend, --score, --deck, --slide, --window; "
                       "subcommands: train, sample, nll, render, bench)");
    if (!value) {
      if (i + 1 >= args.size()) throw InputError(key + ": missing value");
      value = args[++i];
    }
    if (value->empty()) throw InputError(key + ": empty value");
    if (key == "--scene") options.scene = *value;
    if (key == "--deck") options.deck = *value;
    if (key == "--slide") {
      const int slide = std::atoi(value->c_str());
      if (slide < 1 || slide > 10000 || std::to_string(slide) != *value)
        throw InputError("--slide: expected a slide number from 1 (got '" + *value + "')");
      options.slide = slide;
    }
    if (key == "--frames") options.frames = parse_frames(*value);
    if (key == "--screenshot") options.screenshot = screenshot_path(*value);
    if (key == "--font-scale") options.font_scale = parse_font_scale(*value);
    if (key == "--particles") options.particles = parse_particles(*value);
    if (key == "--window") std::tie(options.window_width, options.window_height) = parse_window_size(*value);
    if (key == "--backend") {
      if (*value != "cpu" && *value != "gpu") throw InputError("--backend: expected cpu or gpu (got '" + *value + "')");
      options.backend = *value;
    }
    if (key == "--score") {
      if (*value != "exact" && *value != "learned")
        throw InputError("--score: expected exact or learned (got '" + *value + "')");
      options.score = *value;
    }
    if (key == "--theme") {
      if (*value != "dark" && *value != "light")
        throw InputError("--theme: expected dark or light (got '" + *value + "')");
      options.theme = *value;
    }
  }
  return options;
}

std::string gui_usage() {
  return "usage: scorelab [--scene PATH] [--frames N] [--screenshot OUT.png] [--theme dark|light] [--font-scale X]\n"
         "                [--particles N] [--train] [--stats] [--no-restore] [--backend cpu|gpu]\n"
         "                [--score exact|learned] [--deck PATH [--slide N]] [--window WxH]\n"
         "       scorelab <train|sample|nll|render|bench> ...   (see the README)\n"
         "\n"
         "  --scene PATH        scene to open (default: assets/scenes/default.json)\n"
         "  --frames N          run N frames, then exit (for tests and screenshots): 0, or 3 when the run\n"
         "                      failed (a diverged sampler or training, refused settings; the banner's\n"
         "                      text is printed on stderr)\n"
         "  --screenshot FILE   write the last frame as a PNG on exit\n"
         "  --theme dark|light  colour theme (default dark)\n"
         "  --font-scale X      presentation scale of text and widgets, 0.75 to 3 (default 1)\n"
         "  --particles N       particle count of the live sampler (default: the scene's)\n"
         "  --train             start training the network at once\n"
         "  --stats             print the median and 95th-percentile frame time on exit\n"
         "  --no-restore        do not reopen the last session (it is still autosaved)\n"
         "  --backend cpu|gpu   where the live particles are stepped (default gpu when the scene allows)\n"
         "  --score exact|learned  the score the particles follow at start-up (default exact; learned\n"
         "                      follows the exact one until the first network snapshot)\n"
         "  --deck PATH         start in lecture mode with this deck (F5 toggles lecture mode; default deck\n"
         "                      assets/decks/lecture.json): → / PageDown next, ← / PageUp back, B blank\n"
         "  --slide N           with --deck: start at slide N (1 = the first)\n"
         "  --window WxH        the window's size, e.g. 1920x1080 for a projector rehearsal (default 1280x800)\n"
         "\n"
         "Sessions: the scene and the learned model are autosaved every 30 s while they change and on exit,\n"
         "and a start without --scene reopens them. Runs with --frames skip this unless SCORELAB_STATE_DIR is\n"
         "set. Folder: $SCORELAB_STATE_DIR, else $XDG_STATE_HOME/scorelab, else ~/.local/state/scorelab.\n"
         "SCORELAB_AUTOSAVE_SECONDS sets the interval.\n"
         "\n"
         "Exit codes: 0 done, 1 no window or OpenGL, 2 bad options or scene, 3 (--frames) the run failed.\n"
         "\n"
         "Environment: SCORELAB_UI_SCALE overrides the monitor's DPI scale; SCORELAB_GL_DEBUG=1 prints GL\n"
         "debug messages; SCORELAB_SHADER_DIR loads shaders from that directory instead of the embedded ones.\n"
         "SCORELAB_SPLIT=B.json opens the split view (Ctrl+D) with B.json's sampler and noise in pane B;\n"
         "SCORELAB_COMPARE=dsm,ncsn,continuous trains 2 to 4 objectives side by side, a pane each.\n" +
         std::string(layers_spec_help());
}

}  // namespace scorelab
