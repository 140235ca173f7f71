#include "app/render/failure_banner.hpp"

#include <algorithm>
#include <cfloat>

namespace scorelab {
namespace {

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

}  // namespace

Rgba failure_plate_color() { return {0.55f, 0.07f, 0.07f, 1.0f}; }
Rgba failure_text_color() { return {1.0f, 1.0f, 1.0f, 1.0f}; }

OverlayRect draw_failure_banner(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                const FailureBanner& banner, const OverlayRect& caption) {
  const float em = fonts.regular_px;
  const float pad = 0.7f * em;
  const float width = std::min(frame.size.x - 2.0f * em, 40.0f * em);  // the plate's
  const float wrap = std::max(width - 2.0f * pad, 4.0f * em);
  const ImVec2 what = fonts.heading->CalcTextSizeA(fonts.heading_px, FLT_MAX, wrap, banner.what.c_str());
  const ImVec2 change = fonts.regular->CalcTextSizeA(em, FLT_MAX, wrap, banner.change.c_str());
  const float gap = banner.change.empty() ? 0.0f : 0.4f * em;
  const float inner_w = std::max(what.x, change.x);
  const ImVec2 min(frame.origin.x + 0.5f * (frame.size.x - inner_w) - pad,
                   std::max(frame.origin.y + 0.6f * em, caption.max.y + 0.5f * em));
  const ImVec2 max(min.x + inner_w + 2.0f * pad, min.y + what.y + gap + change.y + 2.0f * pad);
  draw.AddRectFilled(min, max, to_u32(failure_plate_color()), 0.3f * em);
  draw.AddRect(min, max, to_u32(failure_text_color()), 0.3f * em, 0, std::max(1.0f, 0.12f * em));
  const ImU32 text = to_u32(failure_text_color());
  const float x = min.x + pad + 0.5f * (inner_w - what.x);
  draw.AddText(fonts.heading, fonts.heading_px, ImVec2(x, min.y + pad), text, banner.what.c_str(), nullptr, wrap);
  draw.AddText(fonts.regular, em, ImVec2(min.x + pad + 0.5f * (inner_w - change.x), min.y + pad + what.y + gap), text,
               banner.change.c_str(), nullptr, wrap);
  return {min, max};
}

}  // namespace scorelab
