#include <imgui.h>

#include "app/gui/app.hpp"

namespace scorelab {

void tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void plot_lines(const char* id, const float* values, int count, const char* overlay, float lo, float hi,
                float height_em) {
  ImGui::PlotLines(id, values, count, 0, overlay, lo, hi,
                   ImVec2(ImGui::GetContentRegionAvail().x, height_em * ImGui::GetFontSize()));
}

}  // namespace scorelab
