// Floor 3, app/render/: everything that draws: this renderer, its overlay (labels), the particle
// view, GL layers, the offscreen ImGui, PNG image I/O (png_image.hpp). Below: app/gl, app/plane, core.
//
// The plane view's GL picture: grid and axes, mixture ellipses, data points, and the lab's layers.
// The GUI draws it straight into a rectangle of the window; export draws it into an offscreen target
// and reads that back. Text (tick labels) is not drawn here: the GUI overlays it with ImGui.
//
// In the window, the layers that change only with the view (grid, data points, ellipses) are kept in
// an offscreen copy, redrawn when the view, the style or the data change, and copied into the window
// each frame (glBlitFramebuffer) under the per-frame layers. On Mesa llvmpipe, 10⁴ blended data points
// and the grid cost more than the copy: the default scene's frame went from ~60 to ~30 ms.
#pragma once

#include <optional>
#include <string>

#include "app/gl/render_target.hpp"
#include "app/render/particle_view.hpp"
#include "app/render/heatmap_layer.hpp"
#include "app/render/layers.hpp"
#include "core/mixture.hpp"

namespace scorelab {

// A few dozen data points (the memorisation presets, a sketch) are each one training example a class
// must see: drawn at the cloud's size they vanish on a projector. Below 2000 points the diameter
// grows as 1/√n (halved), from ×1 at 500 points up to ×3 (30 points: ×3); 2000 and more: ×1.
float data_point_scale(int count);

class PlaneRenderer {
 public:
  PlaneRenderer();

  // x: (2, N) the data points.
  void set_data(const Points& x);
  // Component ellipses (2σ) of a mixture; nullopt clears them.
  void set_mixture(const std::optional<GaussianMixture>& mixture);

  // Draws into the window's framebuffer over the rectangle (x, y) + view.viewport, in framebuffer
  // pixels with y up (GL's convention). Assumes the window was cleared to the background colour.
  // min_major_px: the smallest spacing of major grid lines, in pixels.
  void render_in_window(const ViewTransform& view, const PlaneStyle& style, double min_major_px, int x, int y);

  // Renders a whole frame (background included) of view.viewport pixels into target().
  void render_offscreen(const ViewTransform& view, const PlaneStyle& style, double min_major_px);
  const gl::RenderTarget& target() const { return target_; }

  // Lab layers, filled by the caller (the GUI) and drawn when the style enables them:
  // heatmap under everything, then grid, data, ellipses, field arrows, trails, particles on top.
  HeatmapLayer& heatmap() { return heatmap_; }
  SegmentBatch& field_batch() { return field_; }   // add(), then upload()
  // The sampler's particles and trails: drawn from the GPU engine's buffers, or from uploads (CPU path).
  ParticleView& particles() { return particles_; }
  void set_trail_look(const TrailLook& look) { trail_look_ = look; }
  // xy: n interleaved float pairs (the CPU path's shortcut for particles().upload_points).
  void set_particles(const float* xy, int n) { particles_.upload_points(xy, n); }
  int point_count() const { return points_.count(); }

 private:
  void build_grid(const ViewTransform& view, const PlaneStyle& style, double min_major_px);
  void build_shapes(const PlaneStyle& style);
  // The data points; over a heatmap with a dark rim (PlanePalette::point_outline).
  // The data at the style's size, or larger with a rim for a small set (data_point_scale).
  void draw_data_points(const ViewTransform& view, const PlaneStyle& style) const;
  void draw_layers(const ViewTransform& view, const PlaneStyle& style, double min_major_px);
  // heatmap, grid, data, ellipses: what changes only with the view, style and data.
  void draw_static(const ViewTransform& view, const PlaneStyle& style, double min_major_px);
  // field arrows, trails, particles: every frame.
  void draw_dynamic(const ViewTransform& view, const PlaneStyle& style);
  // Redraws static_cache_ when its key (view, style, data) changed.
  void update_static_cache(const ViewTransform& view, const PlaneStyle& style, double min_major_px);

  gl::RenderTarget target_;
  void draw_data_points_as_given(const ViewTransform& view, const PlaneStyle& style) const;
  PointLayer points_;
  SegmentLayer segment_layer_;
  SegmentBatch grid_;
  SegmentBatch shapes_;
  HeatmapLayer heatmap_;
  SegmentBatch field_;
  ParticleView particles_;
  TrailLook trail_look_;
  gl::RenderTarget static_cache_;
  std::string static_key_;    // what static_cache_ shows; empty: nothing yet
  unsigned data_version_ = 0;  // bumped by set_data and set_mixture
  std::optional<GaussianMixture> mixture_;
  bool shapes_dirty_ = true;
  Theme shapes_theme_ = Theme::dark;  // the style the shapes were built for
  float shapes_line_scale_ = 1.0f;
};

// 2σ: the ellipse holding about 86 % of a 2D Gaussian's mass (1 − e^{−2}).
inline constexpr double kEllipseSigmas = 2.0;

}  // namespace scorelab
