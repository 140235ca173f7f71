// The failure banner on the plane (issue 17): a failed run says so where everyone looks, without a
// panel open, legible from the back of a lecture hall: white on an opaque dark red plate, the same in
// both themes (≥ 7:1 contrast, tests/app/test_failure_banner.cpp), the heading font for what happened.
#pragma once

#include <imgui.h>

#include "app/plane/plane_style.hpp"
#include "app/render/plane_overlay.hpp"

namespace scorelab {

// The banner's plate and text colours (theme-independent: the plate is opaque).
Rgba failure_plate_color();
Rgba failure_text_color();

// Draws the banner centred across the frame, at most ~40 em wide, its top below `caption` (the
// caption's rectangle). Returns the rectangle it covers.
OverlayRect draw_failure_banner(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                const FailureBanner& banner, const OverlayRect& caption);

}  // namespace scorelab
