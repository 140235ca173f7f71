// Fonts (HiDPI- and presentation-scaled, rebuilt when the scale changes) and the dark/light themes.
#include <backends/imgui_impl_opengl3.h>

#include <cmath>
#include <cstdio>

#include "app/gui/app.hpp"
#include "app/render/font_files.hpp"

namespace scorelab {
namespace {

// At scale 1: a 20 px line (capitals ~14 px) reads from the back of a lecture room; at 17 px the
// capitals and digits were 11-12 px. 1.25-1.5x for a large room; H hides the sidebar it widens.
constexpr float kBaseFontPx = 20.0f;

}  // namespace

void rebuild_fonts(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  build_ui_glyph_ranges(app.fonts.ranges);
  io.Fonts->Clear();
  const float size = std::round(kBaseFontPx * app.ui_scale());
  const std::string regular = regular_font_file();
  const std::string bold = heading_font_file();
  ImFontConfig config;
  config.OversampleH = 2;  // crisper text at non-integer positions for little atlas cost
  if (!regular.empty()) {
    app.fonts.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), size, &config, app.fonts.ranges.Data);
    app.fonts.heading = io.Fonts->AddFontFromFileTTF(bold.c_str(), std::round(size * 1.3f), &config,
                                                      app.fonts.ranges.Data);
  }
  if (app.fonts.regular == nullptr || app.fonts.heading == nullptr) {
    static bool warned = false;
    if (!warned) std::fprintf(stderr, "scorelab: DejaVu Sans not found (apt-get install fonts-dejavu-core); "
                                      "using ImGui's small built-in font\n");
    warned = true;
    io.Fonts->Clear();
    ImFontConfig fallback;
    fallback.SizePixels = std::round(13.0f * app.ui_scale());
    app.fonts.regular = io.Fonts->AddFontDefault(&fallback);
    app.fonts.heading = app.fonts.regular;
  }
  io.FontDefault = app.fonts.regular;
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  app.fonts_dirty = false;
  app.style_dirty = true;  // widget sizes follow the font size
}

namespace {

void dark_colors(ImGuiStyle& style) {
  ImGui::StyleColorsDark(&style);
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.113f, 0.133f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.165f, 0.98f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.13f, 0.14f, 0.165f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(1.0f, 1.0f, 1.0f, 0.08f);
  c[ImGuiCol_FrameBg] = ImVec4(0.19f, 0.20f, 0.235f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.25f, 0.27f, 0.32f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.29f, 0.31f, 0.37f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.22f, 0.27f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.29f, 0.36f, 1.0f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.30f, 0.34f, 0.42f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.22f, 0.25f, 0.31f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.28f, 0.40f, 0.60f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.48f, 0.75f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(1.0f, 0.62f, 0.25f, 1.0f);  // the data's orange, as the accent
  c[ImGuiCol_SliderGrab] = ImVec4(1.0f, 0.62f, 0.25f, 0.85f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(1.0f, 0.70f, 0.35f, 1.0f);
  c[ImGuiCol_Separator] = ImVec4(1.0f, 1.0f, 1.0f, 0.10f);
  c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.58f, 0.60f, 0.65f, 1.0f);
}

void light_colors(ImGuiStyle& style) {
  ImGui::StyleColorsLight(&style);
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.955f, 0.955f, 0.945f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.92f, 0.92f, 0.91f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 0.12f);
  c[ImGuiCol_CheckMark] = ImVec4(0.85f, 0.40f, 0.05f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.85f, 0.40f, 0.05f, 0.85f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.90f, 0.45f, 0.08f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
}

}  // namespace

void apply_style(App& app) {
  ImGuiStyle style;
  if (app.settings.theme == Theme::dark) dark_colors(style);
  else light_colors(style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.PopupRounding = 4.0f;
  style.WindowBorderSize = 0.0f;
  style.FramePadding = ImVec2(7.0f, 4.0f);
  style.ItemSpacing = ImVec2(8.0f, 7.0f);
  style.WindowPadding = ImVec2(12.0f, 10.0f);
  style.GrabMinSize = 12.0f;
  style.ScaleAllSizes(app.ui_scale());
  ImGui::GetStyle() = style;
  app.style_dirty = false;
}

}  // namespace scorelab
