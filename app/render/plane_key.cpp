// The plane's key (plane_overlay.hpp): what the dots, lines and arrow colours on the plane are, for
// the layers that are on. Drawn by draw_plane_overlay in the window, exports and screenshots alike.
#include <algorithm>
#include <cfloat>
#include <cstdio>

#include "app/render/plane_overlay.hpp"

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

float text_width(ImFont* font, float px, const std::string& text) {
  return font->CalcTextSizeA(px, FLT_MAX, 0.0f, text.c_str()).x;
}

// "0" … "≥ 12.3": the arrow scale's end labels (its top colour holds every |s| above the reference).
std::string arrow_top_label(double reference) {
  char text[48];
  std::snprintf(text, sizeof text, "≥ %.3g", reference);
  return text;
}

// The key in two rows at most: the marks side by side ("● data  ● samples  ╱ trails"), then the
// arrows' scale ("arrows |∇log pₜ|  0 ▭▭▭▭ ≥ 5.67"). Compact on purpose: at 2× on a projector a
// row per layer covered a third of the plane.
struct KeyLayout {
  float em, pad, mark_w, gap, row_h, bar_w, bar_h;
  float marks_w = 0.0f, arrows_w = 0.0f;
  int rows = 0;
  float width() const { return std::max(marks_w, arrows_w) + 2.0f * pad; }
  float height() const { return rows * row_h + 2.0f * pad; }
};

KeyLayout layout_key(const OverlayFonts& fonts, const PlaneKey& key) {
  KeyLayout l;
  l.em = fonts.regular_px;
  l.pad = 0.4f * l.em;
  l.mark_w = 1.3f * l.em;
  l.gap = 0.9f * l.em;
  l.row_h = 1.35f * l.em;
  l.bar_w = 6.0f * l.em;
  l.bar_h = 0.6f * l.em;
  for (const std::optional<KeyMark>* mark : {&key.data, &key.samples, &key.trails, &key.tweedie}) {
    if (!*mark) continue;
    l.marks_w += (l.marks_w > 0.0f ? l.gap : 0.0f) + l.mark_w + text_width(fonts.regular, l.em, (*mark)->label);
  }
  if (l.marks_w > 0.0f) ++l.rows;
  if (key.arrows) {
    l.arrows_w = text_width(fonts.regular, l.em, key.arrows->label) + 0.5f * l.em + text_width(fonts.regular, l.em, "0") +
                 0.3f * l.em + l.bar_w + 0.3f * l.em + text_width(fonts.regular, l.em, arrow_top_label(key.arrows->reference));
    ++l.rows;
  }
  return l;
}

// The arrows' row: the quantity, "0", the colour bar, "≥ reference"; left end at `at`.
void draw_arrow_scale(ImDrawList& draw, const OverlayFonts& fonts, const KeyLayout& l, const ArrowKey& arrows,
                      const PlanePalette& palette, ImVec2 at) {
  const ImU32 text = to_u32(palette.label);
  const float text_y = at.y + 0.5f * (l.row_h - l.em);
  float x = at.x;
  const auto word = [&](const std::string& s) {
    draw.AddText(fonts.regular, l.em, ImVec2(x, text_y), text, s.c_str());
    x += text_width(fonts.regular, l.em, s);
  };
  word(arrows.label);
  x += 0.5f * l.em;
  word("0");
  x += 0.3f * l.em;
  const ImVec2 bar(x, at.y + 0.5f * (l.row_h - l.bar_h));
  constexpr int kSlices = 48;
  for (int i = 0; i < kSlices; ++i) {
    const float x0 = bar.x + l.bar_w * i / kSlices, x1 = bar.x + l.bar_w * (i + 1) / kSlices;
    const double u = arrows.u_lo + (1.0 - arrows.u_lo) * (i + 0.5) / kSlices;
    draw.AddRectFilled(ImVec2(x0, bar.y), ImVec2(x1 + 0.5f, bar.y + l.bar_h), to_u32(color_map(arrows.map, u)));
  }
  Rgba edge = palette.label;
  edge.a = 0.45f;
  draw.AddRect(bar, ImVec2(bar.x + l.bar_w, bar.y + l.bar_h), to_u32(edge));
  x += l.bar_w + 0.3f * l.em;
  word(arrow_top_label(arrows.reference));
}

}  // namespace

OverlayRect draw_plane_key(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                           const PlaneKey& key, const PlanePalette& palette, float bottom) {
  if (key.empty()) return {};
  const KeyLayout l = layout_key(fonts, key);
  const ImVec2 max(frame.origin.x + frame.size.x - 0.6f * l.em, bottom);
  const ImVec2 min(max.x - l.width(), max.y - l.height());
  draw.AddRectFilled(min, max, to_u32(palette.label_plate), 0.3f * l.em);
  float x = min.x + l.pad;
  const float y = min.y + l.pad;
  const auto mark = [&](const std::optional<KeyMark>& m, bool line, const std::optional<Rgba>& rim) {
    if (!m) return;
    const ImVec2 c(x + 0.45f * l.mark_w, y + 0.5f * l.row_h);
    if (line) {
      draw.AddLine(ImVec2(c.x - 0.45f * l.em, c.y + 0.25f * l.em), ImVec2(c.x + 0.45f * l.em, c.y - 0.25f * l.em),
                   to_u32(m->color), std::max(1.5f, 0.12f * l.em));
    } else {
      const float r = 0.28f * l.em;
      if (rim) draw.AddCircleFilled(c, r + std::max(1.5f, 0.1f * l.em), to_u32(*rim), 20);
      draw.AddCircleFilled(c, r, to_u32(m->color), 20);
    }
    draw.AddText(fonts.regular, l.em, ImVec2(x + l.mark_w, y + 0.5f * (l.row_h - l.em)), to_u32(palette.label),
                 m->label.c_str());
    x += l.mark_w + text_width(fonts.regular, l.em, m->label) + l.gap;
  };
  mark(key.data, false, key.data_rim);
  mark(key.samples, false, std::nullopt);
  mark(key.trails, true, std::nullopt);
  mark(key.tweedie, true, std::nullopt);
  if (key.arrows) {
    const float arrows_y = l.marks_w > 0.0f ? y + l.row_h : y;
    draw_arrow_scale(draw, fonts, l, *key.arrows, palette, ImVec2(min.x + l.pad, arrows_y));
  }
  return {min, max};
}

}  // namespace scorelab
