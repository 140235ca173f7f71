// The menu bar: File (reload, quit) and View (fit, theme, presentation scale).
#include <cstdio>
#include <initializer_list>

#include "app/gui/app.hpp"

namespace scorelab {
namespace {

void file_menu(App& app) {
  if (!ImGui::BeginMenu("File")) return;
  const bool has_file = !app.scene.path.empty();
  if (ImGui::MenuItem("Reload scene", nullptr, false, has_file)) reload_scene(app, app.scene.path);
  tooltip("Read the scene file again from disk (after editing it in a text editor).");
  ImGui::Separator();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.quit_requested = true;
  ImGui::EndMenu();
}

void view_menu(App& app) {
  if (!ImGui::BeginMenu("View")) return;
  if (ImGui::MenuItem("Fit view to data", "F")) app.fit_requested = true;
  ImGui::Separator();
  if (ImGui::MenuItem("Dark theme", nullptr, app.settings.theme == Theme::dark)) {
    app.settings.theme = Theme::dark;
    app.style_dirty = true;
  }
  if (ImGui::MenuItem("Light theme", nullptr, app.settings.theme == Theme::light)) {
    app.settings.theme = Theme::light;
    app.style_dirty = true;
  }
  ImGui::Separator();
  for (const float scale : {1.0f, 1.25f, 1.5f, 2.0f}) {
    char label[32];
    std::snprintf(label, sizeof label, "Font scale %.3gx", scale);
    if (ImGui::MenuItem(label, nullptr, app.settings.font_scale == scale)) {
      app.settings.font_scale = scale;
      app.fonts_dirty = true;
    }
  }
  ImGui::EndMenu();
}

}  // namespace

void draw_main_menu(App& app) {
  if (!ImGui::BeginMainMenuBar()) return;
  file_menu(app);
  view_menu(app);
  app.menu_height = ImGui::GetWindowSize().y;
  ImGui::EndMainMenuBar();
}

}  // namespace scorelab
