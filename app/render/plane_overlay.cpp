#include "app/render/plane_overlay.hpp"

#include <algorithm>
#include <cfloat>

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

ImVec2 text_size(ImFont* font, float px, const char* text, float wrap_width = 0.0f) {
  return font->CalcTextSizeA(px, FLT_MAX, wrap_width > 0.0f ? wrap_width : 0.0f, text);
}

}  // namespace

void plated_text(ImDrawList& draw, ImFont* font, float px, ImVec2 pos, const char* text, const PlanePalette& palette,
                 float wrap_width) {
  const ImVec2 size = text_size(font, px, text, wrap_width);
  const float pad = 0.15f * px;
  draw.AddRectFilled(ImVec2(pos.x - pad, pos.y), ImVec2(pos.x + size.x + pad, pos.y + size.y),
                     to_u32(palette.label_plate), pad);
  draw.AddText(font, px, pos, to_u32(palette.label), text, nullptr, wrap_width);
}

OverlayRect draw_caption(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                         const Caption& caption, const PlanePalette& palette) {
  const float em = fonts.regular_px;
  const ImVec2 pos(frame.origin.x + 0.6f * em, frame.origin.y + 0.6f * em);
  const float wrap = std::max(frame.size.x - 1.2f * em, 4.0f * em);
  OverlayRect rect{pos, pos};
  float y = pos.y;
  const auto place = [&](ImFont* font, float px, const std::string& text) {
    if (text.empty()) return;
    plated_text(draw, font, px, ImVec2(pos.x, y), text.c_str(), palette, wrap);
    const ImVec2 size = text_size(font, px, text.c_str(), wrap);
    rect.max.x = std::max(rect.max.x, pos.x + size.x + 0.3f * em);
    y += size.y + 0.2f * em;
    rect.max.y = y;
  };
  place(fonts.heading, fonts.heading_px, caption.title);
  for (const std::string& line : caption.lines) place(fonts.regular, fonts.regular_px, line);
  return rect;
}

void draw_tick_labels(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& f, const ViewTransform& view,
                      double min_major_px, const OverlayRect& avoid, const PlanePalette& palette, float footer_px) {
  ImFont* font = fonts.regular;
  const float em = fonts.regular_px;
  const double step = grid_steps(view, min_major_px).major;
  const Bounds2 visible = view.visible();
  const float pad = 0.35f * em;
  const ImVec2 axis = f.to_overlay(view.world_to_screen(Vec2::Zero()));
  const float footer_top = f.origin.y + f.size.y - footer_px;
  const auto width_of = [&](const char* text) { return text_size(font, em, text).x; };
  const auto label = [&](ImVec2 pos, const char* text) {
    const ImVec2 size = text_size(font, em, text);
    const ImVec2 end(pos.x + size.x, pos.y + size.y);
    const bool inside = pos.x >= f.origin.x + pad && end.x <= f.origin.x + f.size.x - pad &&
                        pos.y >= f.origin.y + pad && end.y <= footer_top;
    if (inside && !avoid.overlaps(pos, end)) plated_text(draw, font, em, pos, text, palette);
  };
  const float label_y = std::clamp(axis.y + pad, f.origin.y + pad, footer_top - em);
  for (double x : ticks_in(visible.min.x(), visible.max.x(), step)) {
    if (x == 0.0) continue;
    const std::string text = format_tick(x, step);
    const float sx = f.to_overlay(view.world_to_screen(Vec2(x, 0.0))).x;
    label(ImVec2(sx - 0.5f * width_of(text.c_str()), label_y), text.c_str());
  }
  for (double y : ticks_in(visible.min.y(), visible.max.y(), step)) {
    if (y == 0.0) continue;
    const std::string text = format_tick(y, step);
    const float sy = f.to_overlay(view.world_to_screen(Vec2(0.0, y))).y;
    const float w = width_of(text.c_str());
    const float label_x = std::clamp(axis.x - pad - w, f.origin.x + pad, f.origin.x + f.size.x - w - pad);
    label(ImVec2(label_x, sy - 0.5f * em), text.c_str());
  }
  if (visible.min.x() <= 0.0 && visible.max.x() >= 0.0 && visible.min.y() <= 0.0 && visible.max.y() >= 0.0)
    label(ImVec2(axis.x - pad - width_of("0"), axis.y + pad), "0");
  // Axis names at the positive ends: x₁ above the horizontal axis at the right edge, x₂ beside the
  // vertical axis at the top (below the caption when they would collide).
  const float x1_x = f.origin.x + f.size.x - 2.0f * pad - width_of("x₁");
  label(ImVec2(x1_x, std::clamp(axis.y - pad - em, f.origin.y + pad, label_y - em)), "x₁");
  ImVec2 x2(std::clamp(axis.x + pad, f.origin.x + pad, f.origin.x + f.size.x - 2.0f * em), f.origin.y + pad);
  if (avoid.overlaps(x2, ImVec2(x2.x + 2.0f * em, x2.y + em))) x2.y = avoid.max.y + pad;
  label(x2, "x₂");
}

}  // namespace scorelab
