// Lecture mode (View ▸ Lecture mode, F5, or --deck): the plane full screen with large fonts, the
// preset's caption, formula and "what to notice" as an overlay, panels hidden; → / PageDown and
// ← / PageUp (a presenter's clicker) step through the deck's beats, B blanks the screen, + / − scale
// the fonts, Esc or F5 leaves. The deck is app/session/deck.hpp; without one, the presets in
// teaching order (assets/decks/lecture.json).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/render/lecture_box.hpp"
#include "app/session/deck.hpp"

namespace scorelab {

struct App;

struct LectureMode {
  bool on = false;
  bool blank = false;               // B: the screen black (the class looks at the lecturer)
  std::optional<Deck> deck;
  std::filesystem::path deck_path;
  DeckPosition at;
  nlohmann::json shown;             // the scene JSON of the position on screen
  std::string error;                // the deck could not be loaded or a beat failed
  // What leaving restores.
  float saved_font_scale = 1.0f;
  bool saved_sidebar = true;
  int saved_window[4] = {0, 0, 1280, 800};  // x, y, width, height before full screen
};

// The deck lecture mode uses when none was given: assets/decks/lecture.json.
std::filesystem::path default_deck_path();

// Loads the deck (a message in app.lecture.error and the status line on failure) and shows slide
// `slide` (0-based, clamped to the deck); false when it could not be loaded.
bool open_deck(App& app, const std::filesystem::path& path, int slide = 0);
void enter_lecture_mode(App& app);  // full screen, large fonts; opens the default deck if none
void leave_lecture_mode(App& app);  // restores the window, fonts and sidebar
void toggle_lecture_mode(App& app);
// Steps to the next (+1) or previous (−1) beat; a beat's action runs only when stepping forward.
void lecture_step(App& app, int direction);
// Keys of lecture mode; true when the key was consumed.
bool handle_lecture_key(App& app, int key, int mods);
// The preset's formula, caption and notice (or the beat's line) for the plane overlay's lecture box;
// empty outside lecture mode and while blanked.
LectureText lecture_text(const App& app);
// Over the plane: the slide counter, or the blank screen.
void draw_lecture_overlay(App& app, float x, float y, float width, float height);

}  // namespace scorelab
