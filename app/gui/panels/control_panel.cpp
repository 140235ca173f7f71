// The left column: a fixed, full-height window holding the panels as collapsing sections.
#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include "app/gui/app.hpp"
#include "app/gui/panels/export_panel.hpp"

namespace scorelab {
namespace {

// SCORELAB_OPEN_PANELS=data,metrics (names: scene, data, particles, condition, field, training, sides,
// noise, metrics, view) opens exactly the named sections at start-up and closes the others: screenshots and demos
// that need a panel expanded without a click.
const char* open_panels_env() {
  static const char* env = std::getenv("SCORELAB_OPEN_PANELS");
  return env;
}

bool listed(const char* list, const char* key) {
  std::stringstream items(list);
  std::string item;
  while (std::getline(items, item, ','))
    if (item == key) return true;
  return false;
}

bool section(const App& app, const char* label, const char* key, bool default_open) {
  // A preset's panels: open those, close the others, this frame (SCORELAB_OPEN_PANELS wins at start).
  if (app.open_panels && !(open_panels_env() != nullptr && app.frame == 0)) {
    const auto& keys = *app.open_panels;
    ImGui::SetNextItemOpen(std::find(keys.begin(), keys.end(), key) != keys.end(), ImGuiCond_Always);
    return ImGui::CollapsingHeader(label);
  }
  if (const char* env = open_panels_env()) {
    ImGui::SetNextItemOpen(listed(env, key), ImGuiCond_Once);
    return ImGui::CollapsingHeader(label);
  }
  return ImGui::CollapsingHeader(label, default_open ? ImGuiTreeNodeFlags_DefaultOpen : 0);
}

}  // namespace

void draw_control_panel(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  track_data_changes(app);
  app.data_edit.panel_open = false;
  advance_export(app);
  if (!app.sidebar_shown) {  // hidden (H): the plane takes the whole width
    app.panel_width = 0.0f;
    return;
  }
  // About 24 em wide, but never more than 40 % of the window so the plane stays the centre.
  app.panel_width = std::min(24.0f * ImGui::GetFontSize(), 0.40f * io.DisplaySize.x);
  ImGui::SetNextWindowPos(ImVec2(0.0f, app.menu_height));
  ImGui::SetNextWindowSize(ImVec2(app.panel_width, io.DisplaySize.y - app.menu_height));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("Controls", nullptr, flags)) {
    // Widgets leave 9 em for their labels, so "Steps per frame" is read whole, not cut.
    ImGui::PushItemWidth(-9.0f * ImGui::GetFontSize());
    if (section(app, "Scene", "scene", false)) draw_scene_panel(app);
    // While the Data section is open, the left button on the plane edits the data (see plane_view.cpp).
    if (section(app, "Data", "data", false)) {
      app.data_edit.panel_open = true;
      draw_data_panel(app);
    }
    if (section(app, "Particles", "particles", true)) draw_particles_panel(app);
    if (section(app, "Condition", "condition", false)) draw_condition_panel(app);
    if (section(app, "Score field & heatmap", "field", true)) draw_field_panel(app);
    if (section(app, "Training", "training", true)) draw_training_panel(app);
    if (section(app, "Side by side", "sides", false)) draw_side_by_side_panel(app);
    if (section(app, "Noise schedule", "noise", false)) draw_noise_panel(app);
    if (section(app, "Metrics", "metrics", false)) draw_metrics_panel(app);
    if (section(app, "View", "view", false)) draw_view_panel(app);
    draw_export_panel(app);  // its own header: an export keeps running while the section is collapsed
    ImGui::PopItemWidth();
    app.open_panels.reset();
  }
  ImGui::End();
}

}  // namespace scorelab
