// Text over the plane picture, drawn into an ImDrawList: the caption block (scene title, what runs,
// where it is), tick labels along the axes and the axis names. The export draws it into its frames
// through a headless ImGui (app/render/offscreen_imgui.hpp); the GUI's plane window can draw the
// same. Needs no ImGui window or frame of its own: only a draw list and loaded fonts.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "app/plane/color_map.hpp"
#include "app/plane/mode_weight_bars.hpp"
#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"

namespace scorelab {

struct OverlayFonts {
  ImFont* regular = nullptr;
  float regular_px = 16.0f;
  ImFont* heading = nullptr;  // larger and bold: the title
  float heading_px = 21.0f;
};

// A rectangle in draw-list pixels (y down).
struct OverlayRect {
  ImVec2 min{0.0f, 0.0f}, max{0.0f, 0.0f};
  bool overlaps(ImVec2 a, ImVec2 b) const { return a.x < max.x && b.x > min.x && a.y < max.y && b.y > min.y; }
};

// Where the plane is in the draw list: top-left corner and size in draw-list pixels, and the
// view's (framebuffer) pixels per draw-list pixel (HiDPI; 1 for an export frame).
struct OverlayFrame {
  ImVec2 origin{0.0f, 0.0f};
  ImVec2 size{0.0f, 0.0f};
  float fb_scale = 1.0f;
  ImVec2 to_overlay(const Vec2& fb) const {
    return ImVec2(origin.x + static_cast<float>(fb.x()) / fb_scale, origin.y + static_cast<float>(fb.y()) / fb_scale);
  }
};

struct Caption {
  std::string title;               // heading font; may wrap
  std::vector<std::string> lines;  // regular font, under the title
};

// Text with a translucent plate behind it, so it stays legible over dense points. Wraps at
// wrap_width pixels when that is > 0.
void plated_text(ImDrawList& draw, ImFont* font, float px, ImVec2 pos, const char* text, const PlanePalette& palette,
                 float wrap_width = 0.0f);

// Draws the caption at the plane's top-left corner; returns the rectangle it covers (for labels to avoid).
OverlayRect draw_caption(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                         const Caption& caption, const PlanePalette& palette);

// Tick labels along x₂ = 0 and x₁ = 0 (held inside the frame when an axis leaves the view), then
// the axis names at the positive ends. Labels that would cover `avoid` or the bottom footer_px
// pixels are left out (x₂ moves below avoid[0], the caption). min_major_px: the grid's major spacing rule (PlaneRenderer's).
void draw_tick_labels(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                      const ViewTransform& view, double min_major_px, const std::vector<OverlayRect>& avoid,
                      const PlanePalette& palette, float footer_px);

// One row of the plane's key: a layer's mark (a dot, or a short line for trails) and what it is.
struct KeyMark {
  Rgba color;
  std::string label;  // e.g. "data (10000 points)"
};

// The arrows' (or streamlines') colour scale: the map from u_lo (|s| = 0) to 1 (|s| ≥ reference).
struct ArrowKey {
  std::string label;  // the quantity, e.g. "|∇log pₜ(x)|, true score"
  ColorMapKind map = ColorMapKind::viridis;
  double u_lo = 0.15;
  double reference = 1.0;
};

// The plane's key: a row per layer that is on (data, samples, trails), then the arrow colour scale.
struct PlaneKey {
  std::optional<KeyMark> data, samples, trails;
  std::optional<KeyMark> tweedie;  // the denoiser lines particle → E[x₀ | xₜ] (a line mark)
  std::optional<Rgba> data_rim;  // the dark rim of the data points over a heatmap
  std::optional<ArrowKey> arrows;
  bool empty() const { return !data && !samples && !trails && !tweedie && !arrows; }
};

// A failed run's notice (issue 17: the GUI hid failures): what happened, and what to change.
struct FailureBanner {
  std::string what;    // heading font
  std::string change;  // regular font, under it
};

// Everything drawn over the plane, in the window and in exports and screenshots alike.
struct PlaneOverlay {
  Caption caption;
  bool tick_labels = true;
  const HeatmapLegend* legend = nullptr;  // the heatmap's, when it is shown
  float heatmap_opacity = 1.0f;
  PlaneKey key;
  const ModeWeightBars* mode_weights = nullptr;  // pinned bars (a preset's key figure), top-right
  float footer_px = 0.0f;  // bottom pixels of the frame kept free (the window's hint strip margin)
  // A lecture preset's formula, caption and notice in a box along the bottom (lecture_box.hpp);
  // the key and legend stand above it. Empty: none.
  std::string lecture_formula, lecture_caption, lecture_notice;
  // A failed run's banner under the caption, over everything else (failure_banner.hpp). None: all runs.
  std::optional<FailureBanner> failure;
};

// The caption, the pinned mode-weight bars (top-right), the key and the heatmap legend stacked at the
// bottom-right corner, then the tick labels where none of those is, then a failure banner on top.
void draw_plane_overlay(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                        const ViewTransform& view, double min_major_px, const PlanePalette& palette,
                        const PlaneOverlay& overlay);

// The key at the plane's right edge, its bottom at `bottom` (draw-list y). Returns what it covers.
OverlayRect draw_plane_key(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                           const PlaneKey& key, const PlanePalette& palette, float bottom);

// The pinned mode-weight bars at the plane's top-right corner (below `caption` when they would cover
// it): per component a bar of the particles' share in its colour, a tick at the true πₖ, and both
// numbers. At most kMaxModeBarRows rows (then "+ n more"). Returns the rectangle it covers.
inline constexpr int kMaxModeBarRows = 12;
OverlayRect draw_mode_weight_bars(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                  const ModeWeightBars& bars, const PlanePalette& palette, const OverlayRect& caption);

// The heatmap's colour bar at the plane's bottom-right corner, above the bottom footer_px pixels:
// the quantity, the bar (the image's own texels at `opacity` over the plane background, so the
// colours match the picture) and its end values. Returns the rectangle it covers.
OverlayRect draw_heatmap_legend(ImDrawList& draw, const OverlayFonts& fonts, const OverlayFrame& frame,
                                const HeatmapLegend& legend, const PlanePalette& palette, float opacity,
                                float footer_px);

}  // namespace scorelab
