// The notice that GPU compute is off (the window's GL is 3.3–4.2: no compute shaders): one line at
// the bottom left of the plane with a Dismiss button. The Particles panel keeps saying it (the GPU choice
// is disabled, its tooltip gives the reason), so dismissing it loses nothing.
#include "app/gui/app.hpp"

namespace scorelab {

void draw_compute_notice(App& app) {
  if (app.compute_off.empty() || app.compute_notice_dismissed) return;
  const ImGuiIO& io = ImGui::GetIO();
  const float em = ImGui::GetFontSize();
  // The plane's bottom-left corner, above the hint strip: the caption is at the top left, the key
  // at the bottom right. Wrapped to a short paragraph, it covers a corner of the field only.
  ImGui::SetNextWindowPos(ImVec2(app.panel_width + 0.5f * em, io.DisplaySize.y - 2.1f * em), ImGuiCond_Always,
                          ImVec2(0.0f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.92f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  if (ImGui::Begin("##compute_notice", nullptr, flags)) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.72f, 0.35f, 1.0f));  // the panels' note colour
    ImGui::PushTextWrapPos(20.0f * em);
    ImGui::TextUnformatted(app.compute_off.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (ImGui::SmallButton("Dismiss")) app.compute_notice_dismissed = true;
    tooltip("Compute shaders and storage buffers need OpenGL 4.3. Everything is drawn as usual; the particles, "
            "the score arrows and the model density are computed on the CPU paths. The Particles panel says so too.");
  }
  ImGui::End();
}

}  // namespace scorelab
