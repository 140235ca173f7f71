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

struct KeyLayout {
  float em, pad, mark_w, row_h, bar_w, bar_h;
  float width = 0.0f, height = 0.0f;
};

KeyLayout layout_key(const OverlayFonts& fonts, const PlaneKey& key) {
  KeyLayout l;
  l.em = fonts.regular_px;
  l.pad = 0.45f * l.em;
  l.mark_w = 1.6f * l.em;
  l.row_h = 1.3f * l.em;
  l.bar_w = 9.0f * l.em;
  l.bar_h = 0.7f * l.em;
  float inner = 0.0f, h = 0.0f;
  for (const std::optional<KeyMark>* mark : {&key.data, &key.samples, &key.trails}) {
    if (!*mark) continue;
    inner = std::max(inner, l.mark_w + text_width(fonts.regular, l.em, (*mark)->label));
    h += l.row_h;
  }
  if (key.arrows) {
    inner = std::max({inner, l.bar_w, text_width(fonts.regular, l.em, key.arrows->label)});
    h += l.row_h + l.bar_h + 0.2f * l.em + l.row_h;  // label, bar, end values
  }
  l.width = inner + 2.0f * l.pad;
  l.height = h + 2.0f * l.pad;
  return l;
}

// The arrows' colour bar with its end values, top-left at `at`.
void draw_arrow_scale(ImDrawList& draw, const OverlayFonts& fonts, const KeyLayout& l, const ArrowKey& arrows,
                      const PlanePalette& palette, ImVec2 at) {
  const ImU32 text = to_u32(palette.label);
  draw.AddText(fonts.regular, l.em, at, text, arrows.label.c_str());
  const ImVec2 bar(at.x, at.y + l.row_h);
  constexpr int kSlices = 48;
  for (int i = 0; i < kSlices; ++i) {
    const float x0 = bar.x + l.bar_w * i / kSlices, x1 = bar.x + l.bar_w * (i + 1) / kSlices;
    const double u = arrows.u_lo + (1.0 - arrows.u_lo) * (i + 0.5) / kSlices;
    draw.AddRectFilled(ImVec2(x0, bar.y), ImVec2(x1 + 0.5f, bar.y + l.bar_h), to_u32(color_map(arrows.map, u)));
  }
  Rgba edge = palette.label;
  edge.a = 0.45f;
  draw.AddRect(bar, ImVec2(bar.x + l.bar_w, bar.y + l.bar_h), to_u32(edge));
  const float y = bar.y + l.bar_h + 0.2f * l.em;
  draw.AddText(fonts.regular, l.em, ImVec2(bar.x, y), text, "0");
  const std::string top = arrow_top_label(arrows.reference);
  draw.AddText(fonts.regular, l.em, ImVec2(bar.x + l.bar_w - text_width(fonts.regular, l.em, top), y), text,
               top.c_str());
}

}  // namespace

OverlayRect draw_plane_key(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                           const PlaneKey& key, const PlanePalette& palette, float bottom) {
  if (key.empty()) return {};
  const KeyLayout l = layout_key(fonts, key);
  const ImVec2 max(frame.origin.x + frame.size.x - 0.6f * l.em, bottom);
  const ImVec2 min(max.x - l.width, max.y - l.height);
  draw.AddRectFilled(min, max, to_u32(palette.label_plate), 0.3f * l.em);
  float y = min.y + l.pad;
  const float x = min.x + l.pad;
  const auto row = [&](const std::optional<KeyMark>& mark, bool line, const std::optional<Rgba>& rim) {
    if (!mark) return;
    const ImVec2 c(x + 0.5f * l.mark_w - 0.2f * l.em, y + 0.5f * l.row_h - 0.1f * l.em);
    if (line) {
      draw.AddLine(ImVec2(c.x - 0.55f * l.em, c.y + 0.25f * l.em), ImVec2(c.x + 0.55f * l.em, c.y - 0.25f * l.em),
                   to_u32(mark->color), std::max(1.5f, 0.12f * l.em));
    } else {
      const float r = 0.3f * l.em;
      if (rim) draw.AddCircleFilled(c, r + std::max(1.5f, 0.1f * l.em), to_u32(*rim), 20);
      draw.AddCircleFilled(c, r, to_u32(mark->color), 20);
    }
    draw.AddText(fonts.regular, l.em, ImVec2(x + l.mark_w, y + 0.5f * (l.row_h - l.em)), to_u32(palette.label),
                 mark->label.c_str());
    y += l.row_h;
  };
  row(key.data, false, key.data_rim);
  row(key.samples, false, std::nullopt);
  row(key.trails, true, std::nullopt);
  if (key.arrows) draw_arrow_scale(draw, fonts, l, *key.arrows, palette, ImVec2(x, y));
  return {min, max};
}

}  // namespace scorelab
