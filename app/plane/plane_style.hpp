// Colours and sizes of the plane view, per theme. Pixel sizes here are logical (before HiDPI scaling).
#pragma once

namespace scorelab {

enum class Theme { dark, light };

struct Rgba {
  float r = 0, g = 0, b = 0, a = 1;  // straight alpha, 0..1
};

struct PlanePalette {
  Rgba background;
  Rgba grid_minor;
  Rgba grid_major;
  Rgba axis;
  Rgba label;        // tick labels and overlay text
  Rgba label_plate;  // the translucent plate behind labels, so they stay readable over points
  Rgba points;       // the data (alpha comes from the View panel)
  // Over a heatmap (whose magma runs through the data's own orange) each data point is drawn opaque
  // in points_on_heatmap with a dark rim, point_outline, in both themes. The rim stands out (≥ 3:1)
  // wherever the heatmap's luminance is ≥ 0.11, the fill (luminance ≥ 0.4) wherever it is below, so
  // a point stands out over any colour at any opacity (tests/gpu/test_gpu_data_contrast.cpp).
  Rgba points_on_heatmap;
  Rgba point_outline;
  Rgba particles;    // the sampler's particles and their trails
};

PlanePalette plane_palette(Theme theme);

// Colour of mixture component k (cycles through a qualitative palette that avoids the data colour).
Rgba component_color(int k, Theme theme);

// The user's choices for the plane's base layers (the View panel); exports take a copy. Sizes are
// logical pixels: plane_style() scales them to the framebuffer.
struct PlaneLook {
  float point_size = 3.5f;  // data point diameter
  float point_alpha = 0.55f;
  bool show_points = true;
  bool show_grid = true;
  bool show_ellipses = true;
  bool show_labels = true;
};

// Everything the renderer needs to draw one frame, sizes in framebuffer pixels.
struct PlaneStyle {
  Theme theme = Theme::dark;
  PlanePalette palette;  // plane_palette(theme)
  float point_size_px = 3.0f;
  float point_alpha = 0.6f;
  float line_scale = 1.0f;  // multiplies grid/ellipse widths (HiDPI)
  bool show_grid = true;
  bool show_points = true;
  bool show_ellipses = true;
  // Lab layers (filled by the GUI through PlaneRenderer's batches); off unless the caller fills them.
  bool show_heatmap = false;
  float heatmap_opacity = 0.85f;
  bool show_field = false;
  bool show_trails = false;
  bool show_particles = false;
  float particle_size_px = 3.0f;
  float particle_alpha = 0.9f;
};

// The base layers of `look` in `theme`, logical sizes times pixel_scale (HiDPI, or an export's height).
PlaneStyle plane_style(Theme theme, const PlaneLook& look, float pixel_scale);

}  // namespace scorelab
