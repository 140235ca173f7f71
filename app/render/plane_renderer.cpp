#include "app/render/plane_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/plane/ellipse.hpp"

namespace scorelab {

PlaneRenderer::PlaneRenderer() = default;

void PlaneRenderer::set_data(const Points& x) {
  points_.set_points(x);
  ++data_version_;
}

void PlaneRenderer::set_mixture(const std::optional<GaussianMixture>& mixture) {
  mixture_ = mixture;
  shapes_dirty_ = true;
  ++data_version_;
}

void PlaneRenderer::build_shapes(const PlaneStyle& style) {
  shapes_.clear();
  if (mixture_) {
    int k = 0;
    for (const GaussianComponent& c : mixture_->components()) {
      const Rgba color = component_color(k++, style.theme);
      shapes_.add_polyline(covariance_ellipse(c.mean, c.cov, kEllipseSigmas, 128), color, 2.0f * style.line_scale);
    }
  }
  shapes_.upload();
  shapes_dirty_ = false;
  shapes_theme_ = style.theme;
  shapes_line_scale_ = style.line_scale;
}

void PlaneRenderer::build_grid(const ViewTransform& view, const PlaneStyle& style, double min_major_px) {
  grid_.clear();
  const Bounds2 visible = view.visible();
  const GridSteps steps = grid_steps(view, min_major_px);
  const float w = style.line_scale;
  const PlanePalette& p = style.palette;
  const auto vertical = [&](double x, const Rgba& c, float width) {
    grid_.add({x, visible.min.y()}, {x, visible.max.y()}, c, width);
  };
  const auto horizontal = [&](double y, const Rgba& c, float width) {
    grid_.add({visible.min.x(), y}, {visible.max.x(), y}, c, width);
  };
  if (style.show_grid) {
    // Minor lines only where they are at least 8 pixels apart; majors are drawn over them.
    if (steps.minor * view.pixels_per_unit >= 8.0) {
      for (double x : ticks_in(visible.min.x(), visible.max.x(), steps.minor)) vertical(x, p.grid_minor, w);
      for (double y : ticks_in(visible.min.y(), visible.max.y(), steps.minor)) horizontal(y, p.grid_minor, w);
    }
    for (double x : ticks_in(visible.min.x(), visible.max.x(), steps.major)) vertical(x, p.grid_major, w);
    for (double y : ticks_in(visible.min.y(), visible.max.y(), steps.major)) horizontal(y, p.grid_major, w);
  }
  // The axes x = 0 and y = 0, whenever they are in view.
  if (visible.min.x() <= 0.0 && visible.max.x() >= 0.0) vertical(0.0, p.axis, 1.5f * w);
  if (visible.min.y() <= 0.0 && visible.max.y() >= 0.0) horizontal(0.0, p.axis, 1.5f * w);
  grid_.upload();
}

namespace {

void set_blending() {
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_BLEND);
  // Straight alpha for colour; destination alpha stays 1 so the picture is opaque wherever it goes.
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

// Sizes `target` to the view, binds it and clears it to the background.
void render_target_frame(gl::RenderTarget& target, const ViewTransform& view, const PlaneStyle& style) {
  target.resize(static_cast<int>(view.viewport.x()), static_cast<int>(view.viewport.y()));
  target.bind();
  const Rgba& bg = style.palette.background;
  glDisable(GL_SCISSOR_TEST);
  glClearColor(bg.r, bg.g, bg.b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

}  // namespace

float data_point_scale(int count) {
  if (count <= 0 || count >= 2000) return 1.0f;
  return std::clamp(std::sqrt(2000.0f / static_cast<float>(count)) / 2.0f, 1.0f, 3.0f);
}

void PlaneRenderer::draw_data_points(const ViewTransform& view, const PlaneStyle& style) const {
  const float scale = data_point_scale(points_.count());
  if (scale > 1.0f) {
    PlaneStyle few = style;
    few.point_size_px *= scale;
    few.point_alpha = 1.0f;
    few.show_heatmap = true;  // the rim and the opaque fill
    draw_data_points_as_given(view, few);
    return;
  }
  draw_data_points_as_given(view, style);
}

void PlaneRenderer::draw_data_points_as_given(const ViewTransform& view, const PlaneStyle& style) const {
  Rgba c = style.palette.points;
  c.a = style.point_alpha;
  if (style.show_heatmap) {
    // Over a heatmap: a dark rim under each point and an opaque light fill (plane_style.hpp says why).
    // Translucent orange over magma's orange would be the heatmap's own colour: the data would vanish.
    const float rim = 1.5f * std::max(1.0f, style.line_scale);  // at least one whole dark pixel
    points_.draw(view, style.point_size_px + 2.0f * rim, style.palette.point_outline);
    c = style.palette.points_on_heatmap;
  }
  points_.draw(view, style.point_size_px, c);
}

void PlaneRenderer::draw_static(const ViewTransform& view, const PlaneStyle& style, double min_major_px) {
  if (shapes_dirty_ || shapes_theme_ != style.theme || shapes_line_scale_ != style.line_scale) build_shapes(style);
  set_blending();
  if (style.show_heatmap) heatmap_.draw(view, style.heatmap_opacity);
  build_grid(view, style, min_major_px);
  segment_layer_.draw(grid_, view);
  if (style.show_points) draw_data_points(view, style);
  if (style.show_ellipses) segment_layer_.draw(shapes_, view);  // over the points: outlines stay visible
  glUseProgram(0);
}

void PlaneRenderer::draw_dynamic(const ViewTransform& view, const PlaneStyle& style) {
  set_blending();
  if (style.show_field) segment_layer_.draw(field_, view);
  if (style.show_trails) particles_.draw_trails(view, trail_look_);
  if (style.show_particles) {
    Rgba c = style.palette.particles;
    c.a = style.particle_alpha;
    particles_.draw_points(view, style.particle_size_px, c);
  }
  glUseProgram(0);
}

void PlaneRenderer::draw_layers(const ViewTransform& view, const PlaneStyle& style, double min_major_px) {
  draw_static(view, style, min_major_px);
  draw_dynamic(view, style);
}

void PlaneRenderer::update_static_cache(const ViewTransform& view, const PlaneStyle& style, double min_major_px) {
  const PlanePalette& p = style.palette;
  char key[512];
  std::snprintf(key, sizeof key, "%.17g %.17g %.17g %g %g | %d %g %g %g %d%d%d | %g %g %g %g %g %g %g %g %g | %g %u",
                view.center.x(), view.center.y(), view.pixels_per_unit, view.viewport.x(), view.viewport.y(),
                static_cast<int>(style.theme), style.point_size_px, style.point_alpha, style.line_scale,
                style.show_grid, style.show_points, style.show_ellipses, p.background.r, p.background.g,
                p.background.b, p.points.r, p.points.g, p.points.b, p.grid_major.a, p.grid_minor.a, p.axis.a,
                min_major_px, data_version_);
  if (static_key_ == key && !shapes_dirty_) return;
  render_target_frame(static_cache_, view, style);
  draw_static(view, style, min_major_px);
  gl::RenderTarget::unbind();
  static_key_ = key;
}

void PlaneRenderer::render_in_window(const ViewTransform& view, const PlaneStyle& style, double min_major_px,
                                     int x, int y) {
  const int width = static_cast<int>(view.viewport.x());
  const int height = static_cast<int>(view.viewport.y());
  if (width <= 0 || height <= 0) return;
  // A guard band around the rectangle, cut off by the scissor: GL drops a point whose centre
  // leaves the viewport, so without it points would pop at the edges instead of sliding out.
  const int guard = static_cast<int>(std::ceil(std::max(style.point_size_px, style.particle_size_px))) + 2;
  ViewTransform padded = view;  // same centre and zoom, so the same picture, just a wider canvas
  padded.viewport += Vec2(2.0 * guard, 2.0 * guard);
  // The heatmap changes on its own clock (throttled recomputation): with it the plane is drawn whole.
  const bool cached = !style.show_heatmap;
  if (cached) update_static_cache(padded, style, min_major_px);
  gl::RenderTarget::unbind();
  glViewport(x - guard, y - guard, width + 2 * guard, height + 2 * guard);
  glEnable(GL_SCISSOR_TEST);
  glScissor(x, y, width, height);
  if (cached) {
    static_cache_.bind();  // as the read framebuffer; the window stays the draw framebuffer
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, gl::RenderTarget::window_framebuffer());
    glViewport(x - guard, y - guard, width + 2 * guard, height + 2 * guard);
    const int w = static_cache_.width(), h = static_cache_.height();
    // Same size, same format: Mesa copies rows (memcpy), the scissor keeps it inside the plane.
    glBlitFramebuffer(0, 0, w, h, x - guard, y - guard, x - guard + w, y - guard + h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    gl::RenderTarget::unbind();
    draw_dynamic(padded, style);
  } else {
    draw_layers(padded, style, min_major_px);
  }
  glDisable(GL_SCISSOR_TEST);
}

void PlaneRenderer::render_offscreen(const ViewTransform& view, const PlaneStyle& style, double min_major_px) {
  render_target_frame(target_, view, style);
  draw_layers(view, style, min_major_px);
  gl::RenderTarget::unbind();
}

}  // namespace scorelab
