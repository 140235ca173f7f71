// The left column: a fixed, full-height window holding the panels as collapsing sections.
#include <algorithm>

#include "app/gui/app.hpp"

namespace scorelab {

void draw_control_panel(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  // About 22 em wide, but never more than 40 % of the window so the plane stays the centre.
  app.panel_width = std::min(22.0f * ImGui::GetFontSize(), 0.40f * io.DisplaySize.x);
  ImGui::SetNextWindowPos(ImVec2(0.0f, app.menu_height));
  ImGui::SetNextWindowSize(ImVec2(app.panel_width, io.DisplaySize.y - app.menu_height));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("Controls", nullptr, flags)) {
    if (ImGui::CollapsingHeader("Scene", ImGuiTreeNodeFlags_DefaultOpen)) draw_scene_panel(app);
    if (ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) draw_view_panel(app);
  }
  ImGui::End();
}

}  // namespace scorelab
