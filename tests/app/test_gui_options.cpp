// GUI command-line options: accepted forms and one-line errors naming the option.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/session/options.hpp"
#include "core/types.hpp"

using namespace scorelab;

namespace {
std::string error_of(const std::vector<std::string>& args) {
  try {
    parse_gui_options(args);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("defaults: the default scene, run until closed, no screenshot") {
  const GuiOptions o = parse_gui_options({});
  CHECK(!o.scene);
  CHECK(o.frames == 0);
  CHECK(!o.screenshot);
  CHECK(!o.help);
}

TEST_CASE("--key value and --key=value both work") {
  const GuiOptions o = parse_gui_options(
      {"--scene", "a.json", "--frames=30", "--screenshot", "out.png", "--theme=light", "--font-scale", "1.5"});
  CHECK(o.scene == "a.json");
  CHECK(o.frames == 30);
  CHECK(o.screenshot == "out.png");
  CHECK(o.theme == "light");
  CHECK(o.font_scale == doctest::Approx(1.5f));
  CHECK(parse_gui_options({"-h"}).help);
}

TEST_CASE("bad input names the option and the problem in one line") {
  const std::string unknown = error_of({"--scnee", "x.json"});
  CHECK(unknown.find("--scnee") != std::string::npos);
  CHECK(unknown.find('\n') == std::string::npos);
  CHECK(error_of({"--frames", "0"}).find("--frames") != std::string::npos);
  CHECK(error_of({"--frames", "3x"}).find("'3x'") != std::string::npos);
  CHECK(error_of({"--screenshot"}).find("missing value") != std::string::npos);
  CHECK(error_of({"--scene="}).find("empty") != std::string::npos);
  CHECK(error_of({"--theme", "blue"}).find("dark or light") != std::string::npos);
  CHECK(error_of({"--font-scale", "9"}).find("--font-scale") != std::string::npos);
  CHECK(error_of({"stray"}).find("'stray'") != std::string::npos);
}

TEST_CASE("--deck and --slide") {
  const GuiOptions o = parse_gui_options({"--deck", "talk.json", "--slide", "3"});
  CHECK(o.deck == "talk.json");
  CHECK(o.slide == 3);
  CHECK(parse_gui_options({}).slide == 1);
  CHECK(error_of({"--slide", "0"}).find("--slide: expected a slide number from 1") != std::string::npos);
  CHECK(error_of({"--slide", "2x"}).find("'2x'") != std::string::npos);
}

TEST_CASE("--screenshot must name a PNG in an existing folder; echoed text stays one short line (issue 17)") {
  CHECK(error_of({"--screenshot", "x.jpg"}) == "--screenshot x.jpg: must end in .png (the screenshot is a PNG image)");
  CHECK(error_of({"--screenshot", "/no/such/folder/x.png"}) ==
        "--screenshot: cannot write /no/such/folder/x.png: folder /no/such/folder does not exist");
  CHECK(parse_gui_options({"--screenshot", "UPPER.PNG"}).screenshot == "UPPER.PNG");
  const std::string huge = error_of({"--" + std::string(1 << 20, 'x')});
  CHECK(huge.size() < 400);
  CHECK(huge.find('\n') == std::string::npos);
}

TEST_CASE("--particles, --train and --stats") {
  const GuiOptions o = parse_gui_options({"--particles", "10000", "--train", "--stats"});
  CHECK(o.particles == 10000);
  CHECK(o.train);
  CHECK(o.stats);
  CHECK(!parse_gui_options({}).train);
  CHECK(error_of({"--particles", "0"}).find("--particles") != std::string::npos);
  CHECK(error_of({"--particles", "many"}).find("'many'") != std::string::npos);
  CHECK(parse_gui_options({"--particles", "4000001"}).particles == 4000001);  // the device's budget is the lab's
  CHECK(parse_gui_options({"--particles", "100000000"}).particles == 100000000);
  CHECK(error_of({"--particles", "100000001"}) ==
        "--particles: expected a whole number from 1 to 100000000 (got '100000001')");
}

TEST_CASE("--score sets the particles' score at start-up (exact or learned)") {
  CHECK(!parse_gui_options({}).score);
  CHECK(parse_gui_options({"--score", "learned"}).score == "learned");
  CHECK(parse_gui_options({"--score=exact"}).score == "exact");
  const std::string bad = error_of({"--score", "network"});
  CHECK(bad.find("--score") != std::string::npos);
  CHECK(bad.find("exact or learned") != std::string::npos);
  CHECK(error_of({"--score"}).find("missing value") != std::string::npos);
  CHECK(gui_usage().find("--score exact|learned") != std::string::npos);
}

TEST_CASE("--window sets the window's size; a bad size is one line") {
  const GuiOptions d = parse_gui_options({});
  CHECK(d.window_width == 1280);
  CHECK(d.window_height == 800);
  const GuiOptions o = parse_gui_options({"--window", "1920x1080"});
  CHECK(o.window_width == 1920);
  CHECK(o.window_height == 1080);
  const GuiOptions u = parse_gui_options({"--window=1024×768"});
  CHECK(u.window_width == 1024);
  CHECK(u.window_height == 768);
  for (const char* bad : {"1920", "1920x", "x1080", "100x100", "1920x1080x2", "20000x1000", "-5x300", "abcxdef"}) {
    CAPTURE(bad);
    const std::string e = error_of({"--window", bad});
    CHECK(e.find("--window: expected WIDTHxHEIGHT") != std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
  }
}
