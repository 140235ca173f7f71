// One particle up close, on the plane (follow_overlay.cpp): a click on a particle, or G over the
// plane (the particle nearest the mouse), follows it; G again or Esc stops. The followed particle
// gets a ring and its whole path, and the terms of its last step are drawn as arrows, tip to tail
// from the particle, beside a box with the update's formula and each term's numbers.
#pragma once

#include "app/gui/app.hpp"
#include "app/render/plane_overlay.hpp"

namespace scorelab {

// Called by draw_plane_view after the plane's own overlay; `hovered`: the mouse is over the plane.
// Draws the Condition panel's exact target first (condition_panel.cpp), under the followed particle.
void draw_follow_overlay(App& app, const OverlayFrame& frame, bool hovered, const PlanePalette& palette);

// condition_panel.cpp: the exact law the conditioned particles aim at, shaded, with 1σ ellipses.
void draw_condition_overlay(App& app, const OverlayFrame& frame);

}  // namespace scorelab
