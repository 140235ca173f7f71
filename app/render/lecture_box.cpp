#include "app/render/lecture_box.hpp"

#include <algorithm>

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c, float alpha) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha)); }

// The box's text sizes at this frame width.
struct Layout {
  float wrap = 0.0f, gap = 0.0f, pad = 0.0f, height = 0.0f;
  ImVec2 formula, caption, notice;
};

Layout layout(const OverlayFonts& f, const OverlayFrame& frame, const LectureText& text) {
  Layout l;
  const float em = f.regular_px;
  l.pad = 0.6f * em;
  l.gap = 0.4f * em;
  l.wrap = std::max(10.0f * em, std::min(frame.size.x - 3.2f * em, 60.0f * em));
  const auto size = [&](ImFont* font, float px, const std::string& s) {
    return s.empty() ? ImVec2(0, 0) : font->CalcTextSizeA(px, l.wrap, l.wrap, s.c_str());
  };
  l.formula = size(f.heading, f.heading_px, text.formula);
  l.caption = size(f.regular, f.regular_px, text.caption);
  l.notice = size(f.regular, f.regular_px, text.notice);
  l.height = l.formula.y + l.caption.y + l.notice.y + 2.0f * l.gap + 2.0f * l.pad;
  return l;
}

}  // namespace

float lecture_box_height(const OverlayFonts& fonts, const OverlayFrame& frame, const LectureText& text) {
  if (text.empty()) return 0.0f;
  return layout(fonts, frame, text).height + 1.2f * fonts.regular_px;
}

void draw_lecture_box(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame, const LectureText& text,
                      const PlanePalette& palette) {
  if (text.empty()) return;
  const Layout l = layout(fonts, frame, text);
  const float em = fonts.regular_px;
  // The accent: the data's orange, legible on the box in both themes (the box takes the background).
  const bool light = palette.background.r > 0.5f;
  const Rgba accent = light ? Rgba{0.59f, 0.27f, 0.0f, 1.0f} : Rgba{1.0f, 0.75f, 0.35f, 1.0f};
  const float left = frame.origin.x + 0.5f * (frame.size.x - l.wrap) - l.pad;
  const float top = frame.origin.y + frame.size.y - l.height - 0.6f * em;
  draw.AddRectFilled(ImVec2(left, top), ImVec2(left + l.wrap + 2.0f * l.pad, top + l.height),
                     to_u32(palette.background, 0.88f), 0.4f * em);
  float y = top + l.pad;
  const float x = left + l.pad;
  draw.AddText(fonts.heading, fonts.heading_px, ImVec2(x, y), to_u32(accent, 1.0f), text.formula.c_str(), nullptr, l.wrap);
  y += l.formula.y + l.gap;
  draw.AddText(fonts.regular, fonts.regular_px, ImVec2(x, y), to_u32(palette.label, 1.0f), text.caption.c_str(), nullptr,
               l.wrap);
  y += l.caption.y + l.gap;
  draw.AddText(fonts.regular, fonts.regular_px, ImVec2(x, y), to_u32(accent, 1.0f), text.notice.c_str(), nullptr, l.wrap);
}

}  // namespace scorelab
