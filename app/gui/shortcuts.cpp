// Keyboard shortcuts, handled on GLFW key events (not by polling key state once per frame: ImGui
// 1.86 misses a press and release that land in the same frame, as fast typing and xdotool do).
#include "app/gui/app.hpp"

namespace scorelab {

void handle_key_event(App& app, int key, int action, int mods) {
  if (action != GLFW_PRESS) return;
  // While a text field has the keyboard, letters are text, not commands.
  if (ImGui::GetCurrentContext() != nullptr && ImGui::GetIO().WantTextInput) return;
  const bool ctrl = (mods & GLFW_MOD_CONTROL) != 0;
  if (key == GLFW_KEY_F && mods == 0) app.fit_requested = true;
  if (key == GLFW_KEY_Q && ctrl) app.quit_requested = true;
}

}  // namespace scorelab
