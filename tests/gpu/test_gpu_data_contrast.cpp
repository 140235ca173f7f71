// Issue 18 item 7: the data stays visible over any heatmap. The plane is rendered offscreen (EGL)
// with a heatmap that runs through the whole magma map, once with the data points and once without;
// at every data point, some pixel of the drawn point (fill or rim) must stand out from the heatmap
// under it by a WCAG contrast ratio of at least 3:1, in both themes. The point's most contrasting
// pixel counts, as an eye finds a point by its fill on dark colours and by its rim on light ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "app/plane/color_map.hpp"
#include "app/plane/layer_settings.hpp"
#include "app/render/plane_renderer.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

constexpr int kWidth = 480, kHeight = 160;
constexpr double kPixelsPerUnit = 40.0;

Rgba pixel(const std::vector<uint8_t>& rgba, int x, int y) {  // top row first, as read_rgba gives them
  const size_t i = (static_cast<size_t>(y) * kWidth + static_cast<size_t>(x)) * 4;
  return {rgba[i] / 255.0f, rgba[i + 1] / 255.0f, rgba[i + 2] / 255.0f, 1.0f};
}

// Data points on a lattice over the view: 21 columns (the heatmap's colour runs along x) × 3 rows.
Points lattice() {
  Points x(2, 63);
  int k = 0;
  for (int row = -1; row <= 1; ++row)
    for (int col = -10; col <= 10; ++col) x.col(k++) = Vec2(0.55 * col, 1.1 * row);
  return x;
}

// A heatmap over the whole view whose value rises from 0 at the left edge to 1 at the right: the
// colour under each column of points is another stop of magma (black, purple, orange, pale yellow).
void fill_heatmap(HeatmapLayer& layer, const ViewTransform& view) {
  constexpr int w = 96, h = 4;
  Scalars values(w * h);
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i) values[j * w + i] = (i + 0.5) / w;
  layer.set_image(heatmap_rgba(values, {0.0, 1.0}, ColorMapKind::magma, 1.0f), w, h, view.visible());
}

// c at alpha a over an opaque background.
Rgba over(const Rgba& c, float a, const Rgba& bg) {
  return {a * c.r + (1 - a) * bg.r, a * c.g + (1 - a) * bg.g, a * c.b + (1 - a) * bg.b, 1.0f};
}

// The largest contrast between the picture with points and the one without, over the pixels a point
// at `centre` (screen pixels) covers.
double best_contrast(const std::vector<uint8_t>& with, const std::vector<uint8_t>& without, const Vec2& centre,
                     double radius) {
  double best = 1.0;
  const int r = static_cast<int>(std::ceil(radius));
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      if (dx * dx + dy * dy > radius * radius) continue;
      const int x = static_cast<int>(std::floor(centre.x())) + dx, y = static_cast<int>(std::floor(centre.y())) + dy;
      if (x < 0 || y < 0 || x >= kWidth || y >= kHeight) continue;
      best = std::max(best, contrast_ratio(pixel(with, x, y), pixel(without, x, y)));
    }
  return best;
}

// Renders the plane with and without the data over the heatmap in `theme` at `opacity` and checks
// every data point's contrast.
// `scale`: the size data_point_scale gives the drawn set (1 for a cloud, larger for a few points).
void check_data_contrast(PlaneRenderer& renderer, const ViewTransform& view, const Points& data, Theme theme,
                         float opacity, float scale) {
  CAPTURE(static_cast<int>(theme));
  CAPTURE(opacity);
  // The GUI's look at 1× (the smallest points), grid and ellipses off so only heatmap and data count.
  PlaneLook look;
  look.show_grid = false;
  look.show_ellipses = false;
  PlaneStyle style = plane_style(theme, look, 1.0f);
  style.show_heatmap = true;
  style.heatmap_opacity = opacity;
  renderer.render_offscreen(view, style, 1e9);
  const std::vector<uint8_t> with = renderer.target().read_rgba();
  style.show_points = false;
  renderer.render_offscreen(view, style, 1e9);
  const std::vector<uint8_t> without = renderer.target().read_rgba();
  REQUIRE(with.size() == static_cast<size_t>(kWidth) * kHeight * 4);
  // The heatmap under the points really passes through the data's own colour (else the test would
  // prove nothing): somewhere along a row between the points, plain data over it is lost (< 1.5:1).
  const int between = static_cast<int>(view.world_to_screen(Vec2(0.0, 0.55)).y());
  double collision = 21.0;
  for (int x = 0; x < kWidth; ++x) {
    const Rgba heat = pixel(without, x, between);
    collision = std::min(collision, contrast_ratio(over(style.palette.points, look.point_alpha, heat), heat));
  }
  CHECK(collision < 1.5);
  const double radius = 0.5 * style.point_size_px * scale + 1.5;
  double worst = 21.0;
  for (Eigen::Index j = 0; j < data.cols(); ++j) {
    const Vec2 centre = view.world_to_screen(data.col(j));
    const double c = best_contrast(with, without, centre, radius);
    CAPTURE(j);
    CAPTURE(c);
    CHECK(c >= 3.0);
    worst = std::min(worst, c);
  }
  MESSAGE("theme " << static_cast<int>(theme) << ", opacity " << opacity
                    << ": the least visible data point has contrast " << worst << ":1");
}

}  // namespace

TEST_CASE("the data's orange collides with the heatmap's magma when drawn plainly (what the rim is for)") {
  // Without a rim, a point at the View panel's default alpha over the magma stop nearest the data
  // colour is nearly the heatmap's own colour: the collision the rendering test below guards against.
  for (const Theme theme : {Theme::dark, Theme::light}) {
    const PlanePalette p = plane_palette(theme);
    double worst = 21.0;
    for (int i = 0; i <= 64; ++i) {
      const Rgba texel = heatmap_texel(ColorMapKind::magma, i / 64.0, 1.0f);
      const Rgba heat = over(texel, HeatmapSettings{}.opacity * texel.a, p.background);
      const Rgba plain = over(p.points, PlaneLook{}.point_alpha, heat);
      worst = std::min(worst, contrast_ratio(plain, heat));
    }
    CAPTURE(static_cast<int>(theme));
    CHECK(worst < 1.5);
  }
}

TEST_CASE("data points stay distinguishable over a heatmap: contrast >= 3:1 at every point, both themes") {
  SCORELAB_REQUIRE_GPU();
  PlaneRenderer renderer;
  const Points lattice_points = lattice();
  ViewTransform view;
  view.center = Vec2(0.0, 0.0);
  view.pixels_per_unit = kPixelsPerUnit;
  view.viewport = Vec2(kWidth, kHeight);
  fill_heatmap(renderer.heatmap(), view);
  // A cloud (≥ 2000 points, the rest far off screen) is drawn at the smallest size; the lattice alone
  // (63 points) is a small set, drawn larger with its rim (data_point_scale): both must stand out.
  Points cloud(2, 2000);
  cloud.leftCols(lattice_points.cols()) = lattice_points;
  for (Eigen::Index j = lattice_points.cols(); j < cloud.cols(); ++j) cloud.col(j) = Vec2(1000.0 + j, 1000.0);
  REQUIRE(data_point_scale(static_cast<int>(cloud.cols())) == 1.0f);
  REQUIRE(data_point_scale(static_cast<int>(lattice_points.cols())) > 2.0f);
  for (const Points* set : {static_cast<const Points*>(&cloud), &lattice_points}) {
    renderer.set_data(*set);
    const float scale = data_point_scale(static_cast<int>(set->cols()));
    CAPTURE(scale);
    for (const Theme theme : {Theme::dark, Theme::light})
      for (const float opacity : {HeatmapSettings{}.opacity, 1.0f})  // the default, and the most opaque
        check_data_contrast(renderer, view, lattice_points, theme, opacity, scale);
  }
}

}  // namespace scorelab
