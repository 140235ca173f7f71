// The pinned mode-weight bars over the plane (plane_overlay.hpp): the figure a mixture preset is
// about ("Langevin gives 0.49 / 0.51 where the truth is 0.2 / 0.8") where the class can see it.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/render/plane_overlay.hpp"

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

float text_width(ImFont* font, float px, const char* text) { return font->CalcTextSizeA(px, FLT_MAX, 0.0f, text).x; }

// The bars' full length stands for this share: the largest value rounded up to a tenth, so the scale
// moves in steps and not with every recount.
double bar_top(const ModeWeightBars& bars) {
  double top = 0.0;
  for (double v : bars.share) top = std::max(top, v);
  for (double v : bars.truth) top = std::max(top, v);
  return std::clamp(std::ceil(top * 10.0 - 1e-9) / 10.0, 0.1, 1.0);
}

std::string row_text(double share, double truth) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f  (π %.2f)", share, truth);
  return text;
}

}  // namespace

OverlayRect draw_mode_weight_bars(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                  const ModeWeightBars& bars, const PlanePalette& palette, const OverlayRect& caption) {
  const int k = static_cast<int>(std::min(bars.share.size(), bars.truth.size()));
  if (k == 0) return {};
  const int rows = std::min(k, kMaxModeBarRows);
  const float em = fonts.regular_px, pad = 0.5f * em, row_h = 1.3f * em, bar_w = 7.0f * em, swatch = 0.9f * em;
  const char* title = "samples per mode vs true πₖ";
  float text_w = text_width(fonts.regular, em, row_text(0.99, 0.99).c_str());
  const float inner_w = std::max(text_width(fonts.regular, em, title), swatch + bar_w + 0.6f * em + text_w);
  const bool more = k > rows;
  const float box_w = inner_w + 2.0f * pad, box_h = (1 + rows + (more ? 1 : 0)) * row_h + 2.0f * pad;
  ImVec2 max_corner(frame.origin.x + frame.size.x - 0.6f * em, frame.origin.y + 0.6f * em + box_h);
  ImVec2 min_corner(max_corner.x - box_w, max_corner.y - box_h);
  if (caption.overlaps(min_corner, max_corner)) {  // a long caption: the bars go below it
    min_corner.y = caption.max.y + 0.4f * em;
    max_corner.y = min_corner.y + box_h;
  }
  draw.AddRectFilled(min_corner, max_corner, to_u32(palette.label_plate), 0.3f * em);
  const ImU32 text = to_u32(palette.label);
  float y = min_corner.y + pad;
  draw.AddText(fonts.regular, em, ImVec2(min_corner.x + pad, y + 0.5f * (row_h - em)), text, title);
  const double top = bar_top(bars);
  Rgba track = palette.label;
  track.a = 0.18f;
  for (int i = 0; i < rows; ++i) {
    y += row_h;
    const float x = min_corner.x + pad, mid = y + 0.5f * row_h;
    draw.AddCircleFilled(ImVec2(x + 0.4f * swatch, mid), 0.3f * em, to_u32(bars.colors.size() > size_t(i) ? bars.colors[i] : palette.label), 16);
    const float bx = x + swatch, bh = 0.55f * em;
    draw.AddRectFilled(ImVec2(bx, mid - 0.5f * bh), ImVec2(bx + bar_w, mid + 0.5f * bh), to_u32(track));
    const float share_w = static_cast<float>(std::clamp(bars.share[i] / top, 0.0, 1.0)) * bar_w;
    Rgba fill = bars.colors.size() > size_t(i) ? bars.colors[i] : palette.label;
    fill.a = 0.9f;
    draw.AddRectFilled(ImVec2(bx, mid - 0.5f * bh), ImVec2(bx + share_w, mid + 0.5f * bh), to_u32(fill));
    // The truth: a tick across the bar at πₖ, in the text colour (visible over any component colour).
    const float tx = bx + static_cast<float>(std::clamp(bars.truth[i] / top, 0.0, 1.0)) * bar_w;
    draw.AddLine(ImVec2(tx, mid - 0.45f * row_h), ImVec2(tx, mid + 0.45f * row_h), text, std::max(2.0f, 0.14f * em));
    draw.AddText(fonts.regular, em, ImVec2(bx + bar_w + 0.6f * em, y + 0.5f * (row_h - em)), text,
                 row_text(bars.share[i], bars.truth[i]).c_str());
  }
  if (more) {
    y += row_h;
    const std::string rest = "+ " + std::to_string(k - rows) + " more components";
    draw.AddText(fonts.regular, em, ImVec2(min_corner.x + pad, y + 0.5f * (row_h - em)), text, rest.c_str());
  }
  return {min_corner, max_corner};
}

}  // namespace scorelab
