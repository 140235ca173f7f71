// The lab's GL layers for this frame: field arrows, particle trails, particles, heatmap. Geometry
// comes from GL-free helpers (arrow_field, frame_history, color_map); here it is put in batches.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/lab.hpp"
#include "app/render/arrow_field.hpp"
#include "app/render/color_map.hpp"

namespace scorelab {
namespace {

// Scores of the chosen field at the grid points; false when the field is not available (no net).
bool field_values(const Lab& lab, const Points& grid, const NoiseLevel& level, Points& v, double& reference) {
  const FieldKind kind = lab.field.kind;
  if (kind != FieldKind::true_score && !lab.learned) return false;
  Points truth;
  if (kind != FieldKind::learned) lab.exact->score(grid, level, truth);
  if (kind == FieldKind::true_score) {
    v = std::move(truth);
  } else {
    lab.learned->score(grid, level, v);
    if (kind == FieldKind::difference) {
      // Lengths relative to the true field: a good model shows short arrows everywhere.
      reference = magnitude_quantile(truth, 0.9);
      v -= truth;
      return true;
    }
  }
  reference = magnitude_quantile(v, 0.9);
  return true;
}

void build_field(const Lab& lab, const LabLayerFrame& frame, const PlaneStyle& style) {
  SegmentBatch& batch = frame.renderer.field_batch();
  batch.clear();
  if (lab.field.show && lab.exact) {
    const double spacing_px = std::max(8.0f, lab.field.spacing_em * frame.font_px * style.line_scale);
    const double spacing = spacing_px / frame.view.pixels_per_unit;
    const Points grid = arrow_grid(frame.view.visible(), spacing);
    Points v;
    double reference = 0.0;
    if (grid.cols() > 0 && field_values(lab, grid, field_level(lab, frame.scene.scene.noise), v, reference)) {
      const double max_length = 0.85 * spacing;
      const float width = 1.6f * style.line_scale;
      for (Eigen::Index j = 0; j < grid.cols(); ++j) {
        const double magnitude = v.col(j).norm();
        const double length = arrow_length(magnitude, reference, max_length, lab.field.normalise);
        if (length <= 0.0) continue;
        Rgba c = color_map(ColorMapKind::viridis, 0.15 + 0.85 * std::min(1.0, magnitude / std::max(reference, 1e-12)));
        c.a = 0.9f;
        const ArrowShape a = arrow_shape(grid.col(j), v.col(j), length);
        batch.add(a.tail, a.tip, c, width);
        batch.add(a.tip, a.barb_left, c, width);
        batch.add(a.tip, a.barb_right, c, width);
      }
    }
  }
  batch.upload();
}

void build_particles(const Lab& lab, const LabLayerFrame& frame, const PlaneStyle& style) {
  SegmentBatch& trails = frame.renderer.trail_batch();
  trails.clear();
  if (!lab.run.started()) {
    frame.renderer.set_particles(nullptr, 0);
    trails.upload();
    return;
  }
  const FrameHistory& h = lab.run.history();
  const int current = shown_frame_index(lab);
  const FramePoints& x = h.frame(current);
  frame.renderer.set_particles(x.data(), static_cast<int>(x.cols()));
  if (lab.particles.show_trails && lab.particles.trail_length > 0) {
    const int first = trail_first(current, lab.particles.trail_length);
    const std::vector<float> alphas = trail_alphas(current - first, 0.45f);
    const Eigen::Index n = std::min<Eigen::Index>(x.cols(), lab.particles.max_trails);
    const float width = 1.0f * style.line_scale;
    Rgba c = style.palette.particles;
    for (int i = first + 1; i <= current; ++i) {
      c.a = alphas[static_cast<size_t>(i - first - 1)];
      const FramePoints& a = h.frame(i - 1);
      const FramePoints& b = h.frame(i);
      for (Eigen::Index j = 0; j < n; ++j)
        trails.add(a.col(j).cast<double>(), b.col(j).cast<double>(), c, width);
    }
  }
  trails.upload();
}

// Heatmap values at the cell centres of a res_x × res_y grid over `box`; false (with a note) when
// the chosen map cannot be computed.
bool heatmap_values(Lab& lab, const Points& cells, const NoiseLevel& level, Scalars& values) {
  if (!lab.exact->has_log_prob()) {
    lab.heatmap_note = "the true density is unknown for this data";
    return false;
  }
  Scalars log_p;
  lab.exact->log_prob(cells, level, log_p);
  if (lab.heatmap.kind == HeatmapKind::log_density) {
    values = std::move(log_p);
    return true;
  }
  if (!lab.learned) {
    lab.heatmap_note = "no learned score yet: start training";
    return false;
  }
  Points truth, learned;
  lab.exact->score(cells, level, truth);
  lab.learned->score(cells, level, learned);
  values = (learned - truth).colwise().squaredNorm().transpose();
  if (lab.heatmap.weight_by_p) values.array() *= log_p.array().exp();
  return true;
}

void build_heatmap(Lab& lab, const LabLayerFrame& frame) {
  HeatmapLayer& layer = frame.renderer.heatmap();
  if (!lab.heatmap.show || !lab.exact) return;
  const NoiseLevel level = field_level(lab, frame.scene.scene.noise);
  const ViewTransform& view = frame.view;
  char key[256];
  const uint64_t version = lab.heatmap.kind == HeatmapKind::score_error && lab.snapshot ? lab.snapshot->version : 0;
  std::snprintf(key, sizeof key, "%d %d %.4g %d %.6g %.6g %.6g %.6g %.6g %.6g %llu", static_cast<int>(lab.heatmap.kind),
                lab.heatmap.weight_by_p, lab.heatmap.range_nats, lab.heatmap.resolution, level.t, view.center.x(),
                view.center.y(), view.pixels_per_unit, view.viewport.x(), view.viewport.y(),
                static_cast<unsigned long long>(version));
  const auto now = std::chrono::steady_clock::now();
  // Recompute only when something changed, and spend at most about a quarter of the time on it.
  const double since = std::chrono::duration<double>(now - lab.heatmap_time).count();
  if (key == lab.heatmap_key || since < 3.0 * lab.heatmap_cost_s) return;
  const Bounds2 box = view.visible();
  // Point-set densities cost a kernel per training point: fewer cells, so one update stays < ~0.1 s.
  const double n_terms = std::max(1.0, static_cast<double>(frame.scene.points.cols()));
  const bool empirical = !frame.scene.mixture;
  int res_x = lab.heatmap.resolution;
  if (empirical) res_x = std::min(res_x, static_cast<int>(std::sqrt(2e7 / n_terms * box.size().x() / box.size().y())));
  res_x = std::max(res_x, 8);
  const double cell = box.size().x() / res_x;
  const int res_y = std::max(8, static_cast<int>(std::ceil(box.size().y() / cell)));
  Points cells(2, static_cast<Eigen::Index>(res_x) * res_y);
  for (int j = 0; j < res_y; ++j)
    for (int i = 0; i < res_x; ++i)
      cells.col(static_cast<Eigen::Index>(j) * res_x + i) =
          Vec2(box.min.x() + (i + 0.5) * cell, box.min.y() + (j + 0.5) * cell);
  lab.heatmap_note.clear();
  Scalars values;
  if (!heatmap_values(lab, cells, level, values)) {
    layer.clear();
  } else {
    const bool density = lab.heatmap.kind == HeatmapKind::log_density;
    const HeatmapScale scale = density ? log_density_scale(values, lab.heatmap.range_nats) : error_scale(values);
    Bounds2 world;
    world.include(box.min);
    world.include(Vec2(box.min.x() + res_x * cell, box.min.y() + res_y * cell));
    layer.set_image(heatmap_rgba(values, scale, ColorMapKind::magma, 1.0f), res_x, res_y, world);
  }
  lab.heatmap_key = key;
  lab.heatmap_time = std::chrono::steady_clock::now();
  lab.heatmap_cost_s = std::chrono::duration<double>(lab.heatmap_time - now).count();
}

}  // namespace

void build_lab_layers(Lab& lab, const LabLayerFrame& frame, PlaneStyle& style) {
  style.show_field = lab.field.show;
  style.show_particles = lab.particles.show;
  style.show_trails = lab.particles.show && lab.particles.show_trails;
  style.show_heatmap = lab.heatmap.show;
  style.heatmap_opacity = lab.heatmap.opacity;
  style.particle_size_px = lab.particles.size * frame.pixel_scale;
  build_heatmap(lab, frame);
  build_field(lab, frame, style);
  build_particles(lab, frame, style);
}

}  // namespace scorelab
