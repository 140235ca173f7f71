#include "app/session/deck.hpp"

#include "app/plane/scene_show.hpp"
#include "core/json_section.hpp"
#include "core/scene.hpp"

namespace scorelab {
namespace {

using json = nlohmann::json;

BeatAction parse_action(const JsonSection& s) {
  const std::string name = s.string("action", "none");
  if (name == "none") return BeatAction::none;
  if (name == "train") return BeatAction::train;
  if (name == "play") return BeatAction::play;
  if (name == "pause") return BeatAction::pause;
  if (name == "restart") return BeatAction::restart;
  fail_at(s.at("action"), "unknown action '" + name + "' (expected one of: none, train, play, pause, restart)");
}

int parse_frames(const JsonSection& s, int fallback) {
  const int frames = s.integer("frames", fallback);
  if (frames < 0 || frames > 100000) fail_at(s.at("frames"), "must be an integer in [0, 100000] (got " + std::to_string(frames) + ")");
  return frames;
}

DeckBeat parse_beat(const json& j, const std::string& at) {
  expect_json_type(j.is_object(), j, at, "an object");
  JsonSection s(j, at, {"caption", "patch", "action", "frames"});
  DeckBeat beat;
  beat.caption = s.string("caption", "");
  if (const json* p = s.find("patch")) {
    expect_json_type(p->is_object(), *p, s.at("patch"), "an object (a JSON merge patch of the scene)");
    beat.patch = *p;
  }
  beat.action = parse_action(s);
  beat.frames = parse_frames(s, 0);
  return beat;
}

// Every state of a slide must be a valid scene with a valid show section: checked at load.
void validate_state(const json& scene, const std::filesystem::path& base_dir, const std::string& at) {
  try {
    const Scene parsed = parse_scene(scene, base_dir);
    parse_scene_show(parsed.show);
  } catch (const InputError& e) {
    fail_at(at, e.what());
  }
}

DeckSlide parse_slide(const json& j, const std::string& at, const std::filesystem::path& base_dir) {
  expect_json_type(j.is_object(), j, at, "an object");
  JsonSection s(j, at, {"scene", "beats", "frames"});
  DeckSlide slide;
  const std::string file = json_string(s.required("scene", "the path of a scene file"), s.at("scene"));
  slide.scene_path = base_dir / file;
  try {
    slide.scene = load_json_file(slide.scene_path, "scene");
  } catch (const InputError& e) {
    fail_at(s.at("scene"), e.what());
  }
  slide.frames = parse_frames(s, slide.frames);
  const std::filesystem::path scene_dir = slide.scene_path.parent_path();
  validate_state(slide.scene, scene_dir, s.at("scene"));
  json state = slide.scene;
  if (const json* beats = s.find("beats")) {
    expect_json_type(beats->is_array(), *beats, s.at("beats"), "a list of beats");
    for (size_t i = 0; i < beats->size(); ++i) {
      const std::string beat_at = s.at("beats") + "[" + std::to_string(i) + "]";
      slide.beats.push_back(parse_beat((*beats)[i], beat_at));
      if (!slide.beats.back().patch.is_null()) {
        state.merge_patch(slide.beats.back().patch);
        validate_state(state, scene_dir, beat_at + ".patch");
      }
    }
  }
  return slide;
}

}  // namespace

Deck parse_deck(const json& j, const std::filesystem::path& base_dir) {
  expect_json_type(j.is_object(), j, "deck", "an object");
  JsonSection s(j, "deck", {"version", "title", "slides"});
  if (s.integer("version", 1) != 1) fail_at(s.at("version"), "must be 1");
  Deck deck;
  deck.title = s.string("title", "");
  const json& slides = s.required("slides", "a list of slides");
  expect_json_type(slides.is_array() && !slides.empty(), slides, s.at("slides"), "a non-empty list of slides");
  for (size_t i = 0; i < slides.size(); ++i)
    deck.slides.push_back(parse_slide(slides[i], s.at("slides") + "[" + std::to_string(i) + "]", base_dir));
  return deck;
}

Deck load_deck(const std::filesystem::path& path) {
  const json j = load_json_file(path, "deck");
  try {
    const std::filesystem::path base = path.parent_path();
    return parse_deck(j, base.empty() ? std::filesystem::path(".") : base);
  } catch (const InputError& e) {
    throw InputError(path.string() + ": " + e.what());
  }
}

json deck_scene_json(const Deck& deck, DeckPosition at) {
  const DeckSlide& slide = deck.slides.at(size_t(at.slide));
  json state = slide.scene;
  for (int b = 0; b < at.beat && b < int(slide.beats.size()); ++b)
    if (!slide.beats[size_t(b)].patch.is_null()) state.merge_patch(slide.beats[size_t(b)].patch);
  return state;
}

std::string deck_caption(const Deck& deck, DeckPosition at) {
  const DeckSlide& slide = deck.slides.at(size_t(at.slide));
  for (int b = std::min(at.beat, int(slide.beats.size())); b >= 1; --b)
    if (!slide.beats[size_t(b - 1)].caption.empty()) return slide.beats[size_t(b - 1)].caption;
  return "";
}

BeatAction deck_action(const Deck& deck, DeckPosition at) {
  const DeckSlide& slide = deck.slides.at(size_t(at.slide));
  return at.beat >= 1 && at.beat <= int(slide.beats.size()) ? slide.beats[size_t(at.beat - 1)].action : BeatAction::none;
}

DeckPosition next_position(const Deck& deck, DeckPosition at) {
  if (at.beat < int(deck.slides.at(size_t(at.slide)).beats.size())) return {at.slide, at.beat + 1};
  if (at.slide + 1 < int(deck.slides.size())) return {at.slide + 1, 0};
  return at;
}

DeckPosition previous_position(const Deck& deck, DeckPosition at) {
  if (at.beat > 0) return {at.slide, at.beat - 1};
  if (at.slide > 0) return {at.slide - 1, int(deck.slides.at(size_t(at.slide - 1)).beats.size())};
  return at;
}

int beat_count(const Deck& deck) {
  int n = 0;
  for (const DeckSlide& slide : deck.slides) n += 1 + int(slide.beats.size());
  return n;
}

SceneTransition scene_transition(const json& from, const json& to) {
  const auto differs = [&](const char* key) {
    const json none;
    const auto a = from.find(key), b = to.find(key);
    return (a == from.end() ? none : *a) != (b == to.end() ? none : *b);
  };
  SceneTransition t;
  t.reload = differs("data") || differs("noise") || differs("train") || differs("model");
  t.restart_sampler = t.reload || differs("sampler");
  t.reshow = t.reload || differs("show");
  t.recaption = differs("title") || differs("description") || differs("lecture");
  return t;
}

}  // namespace scorelab
