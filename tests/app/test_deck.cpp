// Lecture decks (app/session/deck.hpp): the shipped deck loads, every beat's state is a valid scene,
// stepping forward then back restores the start exactly, and bad decks are refused by key.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "app/session/deck.hpp"
#include "core/scene.hpp"
#include "temp_dir.hpp"

using namespace scorelab;
using json = nlohmann::json;
namespace fs = std::filesystem;
using scorelab::testing::TempDir;

namespace {
const fs::path kAssets = fs::path(__FILE__).parent_path().parent_path().parent_path() / "assets";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the lecture deck loads, covers every preset in teaching order, and each state is a scene") {
  const Deck deck = load_deck(kAssets / "decks/lecture.json");
  CHECK(!deck.title.empty());
  CHECK(deck.slides.size() >= 18);
  for (DeckPosition at; ; ) {
    CAPTURE(at.slide);
    CAPTURE(at.beat);
    const fs::path dir = deck.slides[size_t(at.slide)].scene_path.parent_path();
    CHECK_NOTHROW(parse_scene(deck_scene_json(deck, at), dir));
    const DeckPosition next = next_position(deck, at);
    if (next == at) break;
    at = next;
  }
}

TEST_CASE("stepping forward through a deck and back restores every state exactly") {
  const Deck deck = load_deck(kAssets / "decks/lecture.json");
  std::vector<json> forward;
  std::vector<DeckPosition> positions;
  DeckPosition at;
  for (;;) {
    forward.push_back(deck_scene_json(deck, at));
    positions.push_back(at);
    const DeckPosition next = next_position(deck, at);
    if (next == at) break;
    at = next;
  }
  CHECK(int(positions.size()) == beat_count(deck));
  for (size_t i = positions.size(); i-- > 0;) {
    CHECK(at == positions[i]);
    CHECK(deck_scene_json(deck, at) == forward[i]);
    at = previous_position(deck, at);
  }
  CHECK(at == DeckPosition{});
  CHECK(deck_scene_json(deck, at) == deck.slides[0].scene);  // the first scene, as its file has it
}

TEST_CASE("beats patch the scene, carry captions and actions; transitions say what must change") {
  TempDir dir;
  dir.write("scenes/a.json", R"({"title": "A", "data": {"kind": "toy", "name": "moons"},
                                  "sampler": {"kind": "em", "steps": 50}})");
  dir.write("decks/d.json", R"({"slides": [{"scene": "../scenes/a.json", "beats": [
      {"caption": "layers", "patch": {"show": {"layers": "heatmap=true"}}},
      {"patch": {"sampler": {"steps": 5}}, "action": "restart"},
      {"caption": "more data", "patch": {"data": {"count": 500}}, "action": "train"}]}]})");
  const Deck deck = load_deck(dir.path / "decks/d.json");
  REQUIRE(deck.slides.size() == 1);
  const json s0 = deck_scene_json(deck, {0, 0}), s1 = deck_scene_json(deck, {0, 1}),
             s2 = deck_scene_json(deck, {0, 2}), s3 = deck_scene_json(deck, {0, 3});
  CHECK(s1["show"]["layers"] == "heatmap=true");
  CHECK(s2["sampler"]["steps"] == 5);
  CHECK(s2["sampler"]["kind"] == "em");  // a merge patch keeps what it does not name
  CHECK(s3["data"]["count"] == 500);
  CHECK(deck_caption(deck, {0, 0}) == "");
  CHECK(deck_caption(deck, {0, 2}) == "layers");  // beat 2 has none: the last one stays
  CHECK(deck_caption(deck, {0, 3}) == "more data");
  CHECK(deck_action(deck, {0, 2}) == BeatAction::restart);
  CHECK(deck_action(deck, {0, 3}) == BeatAction::train);

  const SceneTransition show = scene_transition(s0, s1), sampler = scene_transition(s1, s2), data = scene_transition(s2, s3);
  CHECK((show.reshow && !show.restart_sampler && !show.reload));
  CHECK((sampler.restart_sampler && !sampler.reload && !sampler.reshow));
  CHECK((data.reload && data.restart_sampler));
}

TEST_CASE("bad decks are refused with one line naming the file and the key") {
  TempDir dir;
  dir.write("a.json", R"({"data": {"kind": "toy", "name": "moons"}})");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"slides": []})", "deck.slides: expected a non-empty list of slides"},
      {R"({"slidez": []})", "deck.slidez: unknown key"},
      {R"({"slides": [{"scene": "missing.json"}]})", "deck.slides[0].scene: cannot read scene"},
      {R"({"slides": [{"scene": "a.json", "beats": [{"captoin": "x"}]}]})", "deck.slides[0].beats[0].captoin: unknown key"},
      {R"({"slides": [{"scene": "a.json", "beats": [{"action": "fly"}]}]})", "deck.slides[0].beats[0].action: unknown action 'fly'"},
      {R"({"slides": [{"scene": "a.json", "beats": [{"patch": {"sampler": {"kind": "heun"}}}]}]})",
       "deck.slides[0].beats[0].patch: scene.sampler.kind: unknown sampler 'heun'"},
      {R"({"slides": [{"scene": "a.json", "beats": [{"patch": {"show": {"layers": "x=1"}}}]}]})",
       "deck.slides[0].beats[0].patch: scene.show.layers:"},
  };
  for (const auto& [text, expect] : cases) {
    CAPTURE(text);
    const fs::path path = dir.write("d.json", text);
    const std::string message = error_of([&] { load_deck(path); });
    CHECK(message.find(expect) != std::string::npos);
    CHECK(message.rfind(path.string() + ": ", 0) == 0);
    CHECK(message.find('\n') == std::string::npos);
  }
}
