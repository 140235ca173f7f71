#include "app/plane/plane_style.hpp"

namespace scorelab {

PlanePalette plane_palette(Theme theme) {
  PlanePalette p;
  if (theme == Theme::dark) {
    p.background = {0.071f, 0.078f, 0.098f, 1.0f};
    p.grid_minor = {1.0f, 1.0f, 1.0f, 0.045f};
    p.grid_major = {1.0f, 1.0f, 1.0f, 0.12f};
    p.axis = {1.0f, 1.0f, 1.0f, 0.50f};
    p.label = {0.86f, 0.88f, 0.92f, 1.0f};
    p.label_plate = {0.071f, 0.078f, 0.098f, 0.72f};
    p.points = {1.0f, 0.60f, 0.20f, 1.0f};  // warm orange: stands out on the cool background
    p.points_on_heatmap = p.points;
    p.point_outline = {0.0f, 0.0f, 0.0f, 1.0f};
    p.particles = {0.88f, 0.94f, 1.0f, 1.0f};  // near white: the samples read as "the answer"
  } else {
    p.background = {0.985f, 0.985f, 0.975f, 1.0f};
    p.grid_minor = {0.0f, 0.0f, 0.0f, 0.05f};
    p.grid_major = {0.0f, 0.0f, 0.0f, 0.13f};
    p.axis = {0.0f, 0.0f, 0.0f, 0.55f};
    p.label = {0.15f, 0.16f, 0.20f, 1.0f};
    p.label_plate = {0.985f, 0.985f, 0.975f, 0.75f};
    p.points = {0.85f, 0.38f, 0.02f, 1.0f};
    // The light plane's deeper orange is too dark (luminance 0.23) to stand out from mid-dark colours.
    p.points_on_heatmap = {1.0f, 0.60f, 0.20f, 1.0f};
    p.point_outline = {0.02f, 0.02f, 0.05f, 1.0f};  // near-black ink, a little blue like the labels
    p.particles = {0.08f, 0.12f, 0.30f, 1.0f};
  }
  return p;
}

Rgba component_color(int k, Theme theme) {
  // Blue, green, purple, red, teal, pink, olive, cyan: distinguishable and none of them orange.
  static constexpr Rgba kBright[] = {{0.35f, 0.66f, 1.00f, 1}, {0.40f, 0.85f, 0.45f, 1}, {0.75f, 0.55f, 1.00f, 1},
                                     {1.00f, 0.40f, 0.45f, 1}, {0.30f, 0.85f, 0.80f, 1}, {1.00f, 0.55f, 0.85f, 1},
                                     {0.80f, 0.80f, 0.35f, 1}, {0.55f, 0.85f, 1.00f, 1}};
  static constexpr Rgba kDeep[] = {{0.10f, 0.38f, 0.80f, 1}, {0.10f, 0.55f, 0.20f, 1}, {0.50f, 0.25f, 0.75f, 1},
                                   {0.80f, 0.15f, 0.20f, 1}, {0.05f, 0.55f, 0.55f, 1}, {0.80f, 0.25f, 0.60f, 1},
                                   {0.50f, 0.50f, 0.10f, 1}, {0.15f, 0.50f, 0.75f, 1}};
  const int n = static_cast<int>(sizeof kBright / sizeof kBright[0]);
  const int i = ((k % n) + n) % n;
  return theme == Theme::dark ? kBright[i] : kDeep[i];
}

PlaneStyle plane_style(Theme theme, const PlaneLook& look, float pixel_scale) {
  PlaneStyle style;
  style.theme = theme;
  style.palette = plane_palette(theme);
  style.point_size_px = look.point_size * pixel_scale;
  style.point_alpha = look.point_alpha;
  style.line_scale = pixel_scale;
  style.show_grid = look.show_grid;
  style.show_points = look.show_points;
  style.show_ellipses = look.show_ellipses;
  return style;
}

}  // namespace scorelab
