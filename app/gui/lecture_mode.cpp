#include "app/gui/lecture_mode.hpp"

#include <algorithm>
#include <cstdio>

#include "app/gui/app.hpp"  // first: it brings GL (glad) before GLFW

namespace scorelab {
namespace {

constexpr float kLectureFontScale = 1.75f;  // ~28 px text on a 1080p projector

// Full screen on the window's monitor at its current mode (no mode switch), or back to a window.
void set_full_screen(App& app, bool on) {
  GLFWwindow* window = app.window;
  if (window == nullptr) return;
  int* w = app.lecture.saved_window;
  if (on) {
    glfwGetWindowPos(window, &w[0], &w[1]);
    glfwGetWindowSize(window, &w[2], &w[3]);
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (mode) glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else {
    glfwSetWindowMonitor(window, nullptr, w[0], w[1], w[2], w[3], GLFW_DONT_CARE);
  }
}

void run_action(App& app, BeatAction action) {
  Lab& lab = app.lab;
  ParticleSettings p = lab.particles();
  switch (action) {
    case BeatAction::none: break;
    case BeatAction::train:
      if (lab.trainer()) lab.trainer()->start();
      break;
    case BeatAction::play:
      p.playing = true;
      lab.set_particles(p);
      break;
    case BeatAction::pause:
      p.playing = false;
      lab.set_particles(p);
      break;
    case BeatAction::restart: lab.restart_and_play(); break;
  }
}

// Shows a position of the deck: a new slide (or new data, noise, training or model) replaces the
// scene; a beat within a slide changes only what it patches: the sampler (a restart), the show
// section (layers, score, view), the texts. Returns false (with a message) when the beat's scene
// cannot be built.
bool go_to(App& app, DeckPosition to, bool forward) {
  LectureMode& lecture = app.lecture;
  const Deck& deck = *lecture.deck;
  nlohmann::json next = deck_scene_json(deck, to);
  const bool new_slide = lecture.shown.is_null() || to.slide != lecture.at.slide;
  const SceneTransition change = scene_transition(lecture.shown, next);
  try {
    LoadedScene loaded = scene_from_json(next, deck.slides[size_t(to.slide)].scene_path);
    if (new_slide || change.reload) {
      app.doc.present(std::move(loaded));  // the builder applies its show section
    } else {
      Scene& scene = app.scene.scene;
      scene.title = loaded.scene.title;
      scene.description = loaded.scene.description;
      scene.lecture = loaded.scene.lecture;
      scene.show = loaded.scene.show;
      if (change.reshow) apply_scene_show(app);
      if (change.restart_sampler) {
        scene.sampler = loaded.scene.sampler;
        app.lab.restart(app.scene);
      }
    }
  } catch (const std::exception& e) {
    lecture.error = e.what();
    set_status(app, lecture.error, true);
    return false;
  }
  lecture.error.clear();
  lecture.at = to;
  lecture.shown = std::move(next);
  if (forward) run_action(app, deck_action(deck, to));
  return true;
}

void set_font_scale(App& app, float scale) {
  app.settings.font_scale = std::clamp(scale, 0.75f, 3.0f);
  app.fonts_dirty = true;
  app.style_dirty = true;
}

}  // namespace

std::filesystem::path default_deck_path() {
  return default_scene_path().parent_path().parent_path() / "decks" / "lecture.json";
}

bool open_deck(App& app, const std::filesystem::path& path, int slide) {
  LectureMode& lecture = app.lecture;
  try {
    lecture.deck = load_deck(path);
  } catch (const std::exception& e) {
    lecture.error = e.what();
    set_status(app, lecture.error, true);
    return false;
  }
  lecture.deck_path = path;
  lecture.shown = nlohmann::json();
  lecture.at = {};
  return go_to(app, {std::clamp(slide, 0, int(lecture.deck->slides.size()) - 1), 0}, true);
}

void enter_lecture_mode(App& app) {
  LectureMode& lecture = app.lecture;
  if (lecture.on) return;
  if (!lecture.deck && !open_deck(app, default_deck_path())) return;
  lecture.on = true;
  lecture.blank = false;
  lecture.saved_font_scale = app.settings.font_scale;
  lecture.saved_sidebar = app.sidebar_shown;
  app.sidebar_shown = false;
  set_font_scale(app, std::max(app.settings.font_scale, kLectureFontScale));
  set_full_screen(app, true);
  app.fit_requested = true;
}

void leave_lecture_mode(App& app) {
  LectureMode& lecture = app.lecture;
  if (!lecture.on) return;
  lecture.on = false;
  lecture.blank = false;
  app.sidebar_shown = lecture.saved_sidebar;
  set_font_scale(app, lecture.saved_font_scale);
  set_full_screen(app, false);
}

void toggle_lecture_mode(App& app) {
  if (app.lecture.on) leave_lecture_mode(app);
  else enter_lecture_mode(app);
}

void lecture_step(App& app, int direction) {
  LectureMode& lecture = app.lecture;
  if (!lecture.deck) return;
  const DeckPosition to = direction > 0 ? next_position(*lecture.deck, lecture.at)
                                        : previous_position(*lecture.deck, lecture.at);
  if (to == lecture.at) return;
  lecture.blank = false;
  go_to(app, to, direction > 0);
}

bool handle_lecture_key(App& app, int key, int mods) {
  if (key == GLFW_KEY_F5) {
    toggle_lecture_mode(app);
    return true;
  }
  if (!app.lecture.on || (mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) != 0) return false;
  switch (key) {
    case GLFW_KEY_RIGHT:
    case GLFW_KEY_PAGE_DOWN:
    case GLFW_KEY_DOWN: lecture_step(app, +1); return true;
    case GLFW_KEY_LEFT:
    case GLFW_KEY_PAGE_UP:
    case GLFW_KEY_UP: lecture_step(app, -1); return true;
    case GLFW_KEY_B:
    case GLFW_KEY_PERIOD: app.lecture.blank = !app.lecture.blank; return true;  // clickers send "." for blank
    case GLFW_KEY_EQUAL:
    case GLFW_KEY_KP_ADD: set_font_scale(app, app.settings.font_scale * 1.15f); return true;
    case GLFW_KEY_MINUS:
    case GLFW_KEY_KP_SUBTRACT: set_font_scale(app, app.settings.font_scale / 1.15f); return true;
    case GLFW_KEY_ESCAPE: leave_lecture_mode(app); return true;
    default: return false;
  }
}

LectureText lecture_text(const App& app) {
  const LectureMode& lecture = app.lecture;
  if (!lecture.on || lecture.blank) return {};
  const SceneLecture& text = app.scene.scene.lecture;
  const std::string beat = lecture.deck ? deck_caption(*lecture.deck, lecture.at) : std::string();
  return {text.formula, text.caption, beat.empty() ? text.notice : beat};
}

void draw_lecture_overlay(App& app, float x, float y, float width, float height) {
  const LectureMode& lecture = app.lecture;
  if (!lecture.on) return;
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  if (lecture.blank) {
    draw.AddRectFilled(ImVec2(x, y), ImVec2(x + width, y + height), IM_COL32(0, 0, 0, 255));
    return;
  }
  if (!lecture.deck) return;
  // Slide counter, top right: where in the lecture this is (the caption box is the plane overlay's).
  const Deck& deck = *lecture.deck;
  const int beats = int(deck.slides[size_t(lecture.at.slide)].beats.size());
  char counter[64];
  std::snprintf(counter, sizeof counter, beats > 0 ? "%d / %d  ·  beat %d / %d" : "%d / %d", lecture.at.slide + 1,
                int(deck.slides.size()), lecture.at.beat, beats);
  const float em = ImGui::GetFontSize();
  const ImVec2 size = ImGui::CalcTextSize(counter);
  const ImU32 text = app.settings.theme == Theme::light ? IM_COL32(20, 20, 24, 255) : IM_COL32(240, 240, 244, 255);
  draw.AddText(ImVec2(x + width - size.x - em, y + 0.5f * em), text, counter);
}

}  // namespace scorelab
