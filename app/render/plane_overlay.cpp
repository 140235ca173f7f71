#include "app/render/plane_overlay.hpp"

#include "app/render/failure_banner.hpp"
#include "app/render/lecture_box.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>

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
                      double min_major_px, const std::vector<OverlayRect>& avoid_rects, const PlanePalette& palette,
                      float footer_px) {
  const auto covers = [&](ImVec2 a, ImVec2 b) {
    return std::any_of(avoid_rects.begin(), avoid_rects.end(), [&](const OverlayRect& r) { return r.overlaps(a, b); });
  };
  const OverlayRect avoid = avoid_rects.empty() ? OverlayRect{} : avoid_rects.front();
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
    if (inside && !covers(pos, end)) plated_text(draw, font, em, pos, text, palette);
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

namespace {

// A legend end value: 3 significant digits, "≤"/"≥" where the image clips beyond it.
std::string legend_value(double v, bool clipped, const char* clip_sign) {
  char text[48];
  std::snprintf(text, sizeof text, "%s%.3g", clipped ? clip_sign : "", v);
  std::string s = text;
  if (v < 0.0) s.replace(s.find('-'), 1, "−");  // a real minus sign, as the tick labels
  return s;
}

// c at alpha c.a over an opaque background.
Rgba over(const Rgba& c, const Rgba& background) {
  const auto mix = [&](float f, float b) { return c.a * f + (1.0f - c.a) * b; };
  return {mix(c.r, background.r), mix(c.g, background.g), mix(c.b, background.b), 1.0f};
}

}  // namespace

OverlayRect draw_heatmap_legend(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                const HeatmapLegend& legend, const PlanePalette& palette, float opacity,
                                float footer_px) {
  ImFont* font = fonts.regular;
  const float em = fonts.regular_px;
  const float bar_w = 11.0f * em, bar_h = 0.8f * em, pad = 0.45f * em;
  const ImVec2 title_size = text_size(font, em, legend.title.c_str());
  const float inner_w = std::max(bar_w, title_size.x);
  // The note sits between the end values when it fits there (not on a diverging bar: its "0" does).
  const std::string lo = legend_value(legend.lo, legend.clipped_low, "≤ ");
  const std::string hi = legend_value(legend.hi, legend.clipped_high, "≥ ");
  // Centred on the bar, it needs room for the wider end value on both sides.
  const float end_w = std::max(text_size(font, em, lo.c_str()).x, text_size(font, em, hi.c_str()).x);
  const bool note_inline = !legend.note.empty() && !legend.diverging &&
                           text_size(font, em, legend.note.c_str()).x + 2.0f * end_w + em <= bar_w;
  const float note_h = legend.note.empty() || note_inline ? 0.0f : 1.1f * em;
  const float box_w = std::max(inner_w, note_inline ? 0.0f : text_size(font, em, legend.note.c_str()).x) + 2.0f * pad;
  const float box_h = 2.0f * em + bar_h + 0.5f * em + 2.0f * pad + note_h;
  const ImVec2 max(frame.origin.x + frame.size.x - 0.6f * em, frame.origin.y + frame.size.y - footer_px - 0.6f * em);
  const ImVec2 min(max.x - box_w, max.y - box_h);
  draw.AddRectFilled(min, max, to_u32(palette.label_plate), 0.3f * em);
  draw.AddText(font, em, ImVec2(min.x + pad, min.y + pad), to_u32(palette.label), legend.title.c_str());
  // The bar: 64 slices of the image's own colours, as they look over the empty plane.
  const ImVec2 bar(min.x + pad + 0.5f * (inner_w - bar_w), min.y + pad + em + 0.25f * em);
  constexpr int kSlices = 64;
  for (int i = 0; i < kSlices; ++i) {
    const float x0 = bar.x + bar_w * static_cast<float>(i) / kSlices, x1 = bar.x + bar_w * static_cast<float>(i + 1) / kSlices;
    const Rgba c = over(legend_texel(legend, (i + 0.5) / kSlices, opacity), palette.background);
    draw.AddRectFilled(ImVec2(x0, bar.y), ImVec2(x1 + 0.5f, bar.y + bar_h), to_u32(c));
  }
  Rgba edge = palette.label;
  edge.a = 0.45f;
  draw.AddRect(bar, ImVec2(bar.x + bar_w, bar.y + bar_h), to_u32(edge));
  const float label_y = bar.y + bar_h + 0.25f * em;
  draw.AddText(font, em, ImVec2(bar.x, label_y), to_u32(palette.label), lo.c_str());
  draw.AddText(font, em, ImVec2(bar.x + bar_w - text_size(font, em, hi.c_str()).x, label_y), to_u32(palette.label),
               hi.c_str());
  if (legend.diverging)
    draw.AddText(font, em, ImVec2(bar.x + 0.5f * bar_w - 0.5f * text_size(font, em, "0").x, label_y),
                 to_u32(palette.label), "0");
  if (note_inline) {
    const float w = text_size(font, em, legend.note.c_str()).x;
    draw.AddText(font, em, ImVec2(bar.x + 0.5f * (bar_w - w), label_y), to_u32(palette.label), legend.note.c_str());
  } else if (!legend.note.empty()) {
    draw.AddText(font, em, ImVec2(min.x + pad, label_y + 1.1f * em), to_u32(palette.label), legend.note.c_str());
  }
  return {min, max};
}

void draw_plane_overlay(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                        const ViewTransform& view, double min_major_px, const PlanePalette& palette,
                        const PlaneOverlay& overlay) {
  std::vector<OverlayRect> taken{draw_caption(draw, fonts, frame, overlay.caption, palette)};
  const LectureText lecture{overlay.lecture_formula, overlay.lecture_caption, overlay.lecture_notice};
  const float footer_px = std::max(overlay.footer_px, lecture_box_height(fonts, frame, lecture));
  if (overlay.mode_weights)
    taken.push_back(draw_mode_weight_bars(draw, fonts, frame, *overlay.mode_weights, palette, taken.front()));
  // Bottom-right, from the bottom up: the heatmap's colour bar, then the key of the other layers.
  float bottom = frame.origin.y + frame.size.y - footer_px - 0.6f * fonts.regular_px;
  if (overlay.legend) {
    taken.push_back(draw_heatmap_legend(draw, fonts, frame, *overlay.legend, palette, overlay.heatmap_opacity,
                                        footer_px));
    bottom = taken.back().min.y - 0.3f * fonts.regular_px;
  }
  if (!overlay.key.empty()) taken.push_back(draw_plane_key(draw, fonts, frame, overlay.key, palette, bottom));
  // The tick labels last, where none of those boxes is.
  if (overlay.tick_labels) draw_tick_labels(draw, fonts, frame, view, min_major_px, taken, palette, footer_px);
  draw_lecture_box(draw, fonts, frame, lecture, palette);
  if (overlay.failure) draw_failure_banner(draw, fonts, frame, *overlay.failure, taken.front());
}

}  // namespace scorelab
