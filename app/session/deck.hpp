// Lecture decks: an ordered list of presets, each with beats, for the GUI's lecture mode and
// `scorelab render --deck`. GL-free (floor 5): loaded, validated and stepped without a window.
//
//   {"version": 1, "title": "...",
//    "slides": [{"scene": "../scenes/score_field.json", "frames": 240,
//                "beats": [{"caption": "...", "patch": {...}, "action": "train", "frames": 120}]}]}
//
// A beat is a small change of state applied when it is reached: "patch" is a JSON merge patch
// (RFC 7386) on the slide's scene JSON (its show section included: turn a layer on, switch the
// sampler, set a slider), "caption" replaces the overlay's notice line, "action" starts something
// (train, play, pause, restart). The state at beat k is the scene with patches 1..k merged, computed
// from the slide's own scene every time, so stepping back (←) restores exactly what was there; actions
// run only when stepping forward. Unknown keys are refused, as in scenes, and every beat's scene is
// validated when the deck loads, so a typo in beat 7 is reported before the lecture starts.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scorelab {

enum class BeatAction { none, train, play, pause, restart };

struct DeckBeat {
  std::string caption;      // empty: keep the slide's notice line
  nlohmann::json patch;     // merge patch on the scene JSON (null: none)
  BeatAction action = BeatAction::none;
  int frames = 0;           // render --deck: frames this beat is shown (0: the slide's)
};

struct DeckSlide {
  std::filesystem::path scene_path;  // resolved against the deck's folder
  nlohmann::json scene;              // the scene file's JSON as written
  std::vector<DeckBeat> beats;
  int frames = 240;                  // render --deck: frames per beat
};

struct Deck {
  std::string title;
  std::vector<DeckSlide> slides;
};

// Where a lecture is: a slide and a beat within it (0: the slide as its scene file has it).
struct DeckPosition {
  int slide = 0;
  int beat = 0;
  bool operator==(const DeckPosition&) const = default;
};

// Loads and validates a deck file. Throws InputError with one line naming the file and key, e.g.
// "talk.json: deck.slides[2].beats[0].patch: scene.sampler.kind: unknown sampler 'heun' (...)".
Deck load_deck(const std::filesystem::path& path);
Deck parse_deck(const nlohmann::json& j, const std::filesystem::path& base_dir);

// The scene JSON at a position: the slide's scene with the patches of beats 1..beat merged.
nlohmann::json deck_scene_json(const Deck& deck, DeckPosition at);
// The notice line at a position: the caption of the last beat up to it that has one, else "".
std::string deck_caption(const Deck& deck, DeckPosition at);
// The action to run on arriving at `at` by stepping forward (beat 0: none).
BeatAction deck_action(const Deck& deck, DeckPosition at);

// The next and previous positions (→ and ←): beats first, then slides; at the ends they stay.
DeckPosition next_position(const Deck& deck, DeckPosition at);
DeckPosition previous_position(const Deck& deck, DeckPosition at);
int beat_count(const Deck& deck);  // every position of the deck, slides' beat 0 included

// What moving between two scene JSONs asks of a running lab, cheapest first.
struct SceneTransition {
  bool reload = false;           // data, noise, train or model changed: a new lab (and trainer)
  bool restart_sampler = false;  // the sampler changed: same network, particles start over
  bool reshow = false;           // the show section changed: layers, score, view, panels
  bool recaption = false;        // title, description or lecture text changed
};
SceneTransition scene_transition(const nlohmann::json& from, const nlohmann::json& to);

}  // namespace scorelab
