#include <imgui.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "app/gui/app.hpp"

namespace scorelab {

void same_line_if_fits(const char* text) {
  ImGui::SameLine();
  if (ImGui::CalcTextSize(text).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
}

void tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

namespace {

// SCORELAB_REPORT_PLOTS=1: each plot's frame in window pixels on stdout ("plot <overlay> x y w h"),
// printed when it changes, so a test can read the drawn pixels inside it from a screenshot
// (tests/cli/test_gui_noise_plots.sh: the plots once drew as 4-pixel slivers).
void report_plot_rect(const char* overlay) {
  static const bool wanted = [] {
    const char* v = std::getenv("SCORELAB_REPORT_PLOTS");
    return v != nullptr && std::string(v) == "1";
  }();
  if (!wanted || overlay == nullptr) return;
  static std::map<std::string, std::array<int, 4>> last;
  const float s = ImGui::GetIO().DisplayFramebufferScale.x;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const std::array<int, 4> r{static_cast<int>(std::lround(a.x * s)), static_cast<int>(std::lround(a.y * s)),
                             static_cast<int>(std::lround((b.x - a.x) * s)), static_cast<int>(std::lround((b.y - a.y) * s))};
  std::array<int, 4>& seen = last[overlay];
  if (seen == r) return;
  seen = r;
  std::printf("plot %s %d %d %d %d\n", overlay, r[0], r[1], r[2], r[3]);
  std::fflush(stdout);
}

}  // namespace

void plot_lines(const char* id, const float* values, int count, const char* overlay, float lo, float hi,
                float height_em) {
  ImGui::PlotLines(id, values, count, 0, overlay, lo, hi,
                   ImVec2(ImGui::GetContentRegionAvail().x, height_em * ImGui::GetFontSize()));
  report_plot_rect(overlay);
}

}  // namespace scorelab
