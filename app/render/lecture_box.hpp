// A lecture preset's text on the plane: the formula (heading font, accent colour), the 2-4 sentence
// caption and the line to notice, in a box along the bottom of the frame. The GUI's lecture mode
// and `scorelab render --deck` draw the same box (through PlaneOverlay::lecture).
#pragma once

#include <imgui.h>

#include <string>

#include "app/plane/plane_style.hpp"
#include "app/render/plane_overlay.hpp"

namespace scorelab {

struct LectureText {
  std::string formula, caption, notice;
  bool empty() const { return formula.empty() && caption.empty() && notice.empty(); }
};

// The height the box takes at the bottom of the frame, margins included (0 when empty).
float lecture_box_height(const OverlayFonts& fonts, const OverlayFrame& frame, const LectureText& text);
// Draws the box, centred, at most ~60 em wide, its bottom a margin above the frame's.
void draw_lecture_box(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame, const LectureText& text,
                      const PlanePalette& palette);

}  // namespace scorelab
