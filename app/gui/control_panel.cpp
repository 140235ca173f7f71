// The left column: a fixed, full-height window holding the panels as collapsing sections.
#include <algorithm>

#include "app/gui/app.hpp"

namespace scorelab {

void draw_control_panel(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
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
    if (ImGui::CollapsingHeader("Scene")) draw_scene_panel(app);
    if (ImGui::CollapsingHeader("Particles", ImGuiTreeNodeFlags_DefaultOpen)) draw_particles_panel(app);
    if (ImGui::CollapsingHeader("Score field & heatmap", ImGuiTreeNodeFlags_DefaultOpen)) draw_field_panel(app);
    if (ImGui::CollapsingHeader("Training", ImGuiTreeNodeFlags_DefaultOpen)) draw_training_panel(app);
    if (ImGui::CollapsingHeader("Noise schedule")) draw_noise_panel(app);
    if (ImGui::CollapsingHeader("View")) draw_view_panel(app);
    ImGui::PopItemWidth();
  }
  ImGui::End();
}

}  // namespace scorelab
