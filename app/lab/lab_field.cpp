// The score-field layer: arrows on a grid (from the GPU score-field kernel when it runs, else the
// CPU) or streamlines traced on the CPU, of the true / learned / difference field at the shown
// level; and the thin progress bar of a running model-density job along the top of the view.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/gl/capabilities.hpp"
#include "app/gpu/gpu_field_arrows.hpp"
#include "app/lab/lab_state.hpp"
#include "app/lab/lab_heatmap.hpp"
#include "app/lab/lab_tweedie.hpp"
#include "app/plane/arrow_field.hpp"
#include "app/plane/color_map.hpp"
#include "app/plane/streamlines.hpp"

namespace scorelab {
namespace {

using Clock = std::chrono::steady_clock;

bool field_available(const LabState& lab) { return lab.field.kind == FieldKind::true_score || lab.learned != nullptr; }

// The chosen field at x (2, N): true, learned or learned − true.
void field_at(const LabState& lab, const Points& x, const NoiseLevel& level, Points& v) {
  const FieldKind kind = lab.field.kind;
  if (kind == FieldKind::true_score) {
    lab.exact->score(x, level, v);
    return;
  }
  lab.learned->score(x, level, v);
  if (kind == FieldKind::difference) {
    Points truth;
    lab.exact->score(x, level, truth);
    v -= truth;
  }
}

// A robust |s| scale for lengths and colours: the 90th percentile of the field's magnitude on a
// coarse grid over the view (for the difference: of the true field's, so a good model shows short
// arrows everywhere). The same for CPU and GPU arrows and streamlines, and cheap for a network.
double field_reference(const LabState& lab, const Bounds2& box, const NoiseLevel& level) {
  const Points coarse = arrow_grid(box, std::max(box.size().x(), box.size().y()) / 16.0);
  if (coarse.cols() == 0) return 0.0;
  Points v;
  if (lab.field.kind == FieldKind::learned) lab.learned->score(coarse, level, v);
  else lab.exact->score(coarse, level, v);
  return magnitude_quantile(v, 0.9);
}

void cpu_arrows(const LabState& lab, const Points& grid, const NoiseLevel& level, const ArrowParams& params,
                SegmentBatch& batch) {
  Points v;
  field_at(lab, grid, level, v);
  for (Eigen::Index j = 0; j < grid.cols(); ++j) {
    const ArrowSegments a = arrow_segments(grid.col(j), v.col(j), params);
    if (!a.visible) continue;
    for (int k = 0; k < 3; ++k) batch.add(a.from[k], a.to[k], a.color, params.width_px);
  }
}

// The GPU arrows' helper, made on first use; null when the GL context cannot run it (reported).
GpuFieldArrows* gpu_arrows(FieldState& st) {
  if (!st.gpu_tried) {
    st.gpu_tried = true;
    st.gpu_software = GpuFieldArrows::software_renderer();
    st.gpu = std::make_shared<GpuFieldArrows>();
  }
  return st.gpu.get();
}

bool want_gpu(FieldState& st, ComputeDevice device) {
  if (device == ComputeDevice::cpu || !gl::compute_available()) return false;  // below GL 4.3: no kernel
  gpu_arrows(st);
  return device == ComputeDevice::gpu || !st.gpu_software;
}

// Arrows on the lattice: from the GPU kernel straight into the batch's buffer when wanted and
// possible (then true: the caller uploads nothing more), else on the CPU into the batch.
bool build_arrows(LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style, const NoiseLevel& level,
                  SegmentBatch& batch) {
  FieldState& st = lab.field_state;
  const double spacing_px = std::max(8.0f, lab.field.spacing_em * frame.font_px * style.line_scale);
  const Bounds2 box = frame.view.visible();
  const ArrowLattice g = arrow_lattice(box, spacing_px / frame.view.pixels_per_unit);
  if (g.nx * g.ny == 0) return false;
  ArrowParams params;
  params.max_length = 0.85 * g.spacing;
  params.reference = field_reference(lab, box, level);
  lab.field_state.shown_reference = params.reference;
  params.normalise = lab.field.normalise;
  params.width_px = 1.6f * style.line_scale;
  params.theme = style.theme;
  if (want_gpu(st, lab.field.device)) {
    const int n = static_cast<int>(g.nx * g.ny);
    const int first = batch.cpu_count();
    batch.upload_with_room(3 * n);
    try {
      const GpuLevel gpu_level = sde_level(Sde(frame.scene.scene.noise), level.t);
      GpuLevel row = gpu_level;
      row.level = level;  // the shown level itself (NCSN levels are not an SDE's)
      const ArrowGrid grid{int(g.nx), int(g.ny), g.origin, g.spacing};
      const bool difference = lab.field.kind == FieldKind::difference;
      if (lab.field.kind == FieldKind::true_score) {
        st.gpu_used = st.gpu->fill(batch.buffer(), first, grid, row, params, lab.exact, nullptr, false);
      } else {  // the network: the lab's one upload of this change, shared with the particles
        const std::shared_ptr<const GpuScore> uploaded = uploaded_network_of(lab);
        st.gpu_used = uploaded && st.gpu->fill_uploaded(batch.buffer(), first, grid, row, params, lab.exact, uploaded,
                                                        difference);
      }
      st.gpu_note = st.gpu_used ? "" : "this score has no GPU kernel (a point set or an energy network)";
    } catch (const std::exception& e) {  // a kernel that does not build: the CPU path from now on
      st.gpu_note = e.what();
      lab.field.device = ComputeDevice::cpu;
    }
    if (st.gpu_used) return true;
  } else {
    const std::string off = gl::compute_off_reason();
    st.gpu_note = lab.field.device == ComputeDevice::cpu ? ""
                  : !off.empty()                         ? off
                                                         : "auto, on llvmpipe the CPU is faster";
  }
  cpu_arrows(lab, arrow_grid(box, g.spacing), level, params, batch);
  return false;
}

// Streamlines are re-traced when their inputs change, at most every 3× their cost (a network field
// costs ~2·points·steps evaluations); in between the cached lines are drawn again.
void update_streamlines(LabState& lab, const LabLayerFrame& frame, const NoiseLevel& level) {
  FieldState& st = lab.field_state;
  const ViewTransform& view = frame.view;
  char key[256];
  std::snprintf(key, sizeof key, "%d %d %.9g %.6g %.6g %.6g %.6g %.6g", static_cast<int>(lab.field.kind),
                lab.field.streamlines, level.t, view.center.x(), view.center.y(), view.pixels_per_unit,
                view.viewport.x(), view.viewport.y());
  // The learned field's network by its change (lab.network_change; 0: the exact field only).
  const uint64_t change = lab.field.kind == FieldKind::true_score ? 0 : lab.network_change;
  const Clock::time_point now = Clock::now();
  if (key == st.streamline_key && change == st.streamline_change && lab.exact == st.streamline_exact) return;
  if (!lab.heatmap_sync && !st.streamline_key.empty() &&
      std::chrono::duration<double>(now - st.streamline_time).count() < 3.0 * st.streamline_cost_s)
    return;
  const Bounds2 box = view.visible();
  StreamlineOptions o;
  o.max_lines = std::max(1, lab.field.streamlines);
  // Lines about three seed spacings long, in ~40 steps: long enough to read a flow, short enough
  // that neighbouring lines do not pile into one.
  const double spacing = std::sqrt(box.size().x() * box.size().y() / o.max_lines);
  o.max_length = 3.0 * spacing;
  o.max_points = 40;
  o.step = o.max_length / (o.max_points - 1);
  // Lines end where |s| drops below a tenth of the view's typical |s|: just short of a mode, so
  // their arrowheads ring it instead of piling up in its centre.
  st.streamline_reference = field_reference(lab, box, level);
  o.min_speed = 0.1 * st.streamline_reference;
  const auto field = [&](const Points& x, Points& v) { field_at(lab, x, level, v); };
  st.streamlines = trace_streamlines(field, box, streamline_seeds(box, o.max_lines), o);
  st.streamline_key = key;
  st.streamline_change = change;
  st.streamline_exact = lab.exact;
  st.streamline_time = Clock::now();
  st.streamline_cost_s = std::chrono::duration<double>(st.streamline_time - now).count();
}

// Each line in segments coloured by |s| (the arrows' map from a third up), fading in from its seed,
// with an arrowhead at its end (where the score points).
Rgba line_color(double speed, double reference, float alpha, Theme theme) {
  const double f = std::min(1.0, speed / std::max(reference, 1e-12));
  Rgba c = color_map(arrow_color_map(theme), 0.3 + 0.7 * f);
  c.a = alpha;
  return c;
}

void draw_streamlines(const LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style, SegmentBatch& batch) {
  const FieldState& st = lab.field_state;
  const float width = 1.8f * style.line_scale;
  const double head = 9.0 * style.line_scale / frame.view.pixels_per_unit;  // arrowhead: 9 px
  for (const Streamline& line : st.streamlines) {
    const size_t n = line.points.size();
    for (size_t i = 1; i < n; ++i) {
      const float fade = 0.45f + 0.55f * static_cast<float>(i) / static_cast<float>(n - 1);
      const Rgba c = line_color(line.speed[i - 1], st.streamline_reference, fade, style.theme);
      batch.add(line.points[i - 1], line.points[i], c, width);
    }
    const Vec2 dir = line.points[n - 1] - line.points[n - 2];
    if (dir.norm() <= 0.0) continue;
    const ArrowShape a = arrow_shape(line.points[n - 1] - 0.5 * head * dir.normalized(), dir, head, 1.0);
    const Rgba c = line_color(line.speed[n - 1], st.streamline_reference, 1.0f, style.theme);
    batch.add(a.tip, a.barb_left, c, width);
    batch.add(a.tip, a.barb_right, c, width);
  }
}

// A thin bar along the top of the view while the model's log-density is being computed.
void draw_progress_bar(const LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style, SegmentBatch& batch) {
  const double progress = heatmap_progress(lab);
  if (progress < 0.0) return;
  const Bounds2 box = frame.view.visible();
  const double px = 1.0 / frame.view.pixels_per_unit;
  const double y = box.max.y() - 3.0 * style.line_scale * px;
  const float width = 4.0f * style.line_scale;
  batch.add(Vec2(box.min.x(), y), Vec2(box.max.x(), y), Rgba{0.5f, 0.5f, 0.5f, 0.35f}, width);
  if (progress > 0.0)
    batch.add(Vec2(box.min.x(), y), Vec2(box.min.x() + progress * box.size().x(), y), Rgba{0.98f, 0.75f, 0.30f, 0.95f},
              width);
}

// The learned field shown: a new network change reaches the arrows (or streamlines) once.
void note_arrows_change(LabState& lab) {
  if (lab.field.kind == FieldKind::true_score || !lab.learned || lab.field_state_change == lab.network_change) return;
  lab.field_state_change = lab.network_change;
  ++lab.deliveries.arrows;
}

}  // namespace

void build_field(LabState& lab, const LabLayerFrame& frame, PlaneStyle& style) {
  SegmentBatch& batch = frame.renderer.field_batch();
  batch.clear();
  lab.field_state.gpu_used = false;
  draw_progress_bar(lab, frame, style, batch);  // first: GPU arrows are appended after the CPU segments
  const bool tweedie = draw_tweedie(lab, frame, style, batch);
  style.show_field = style.show_field || heatmap_progress(lab) >= 0.0 || tweedie;
  if (lab.field.show && lab.exact && field_available(lab)) {
    const NoiseLevel level = field_level(lab, frame.scene.scene.noise);
    note_arrows_change(lab);
    if (lab.field.style == FieldStyle::streamlines) {
      update_streamlines(lab, frame, level);
      draw_streamlines(lab, frame, style, batch);
      lab.field_state.shown_reference = lab.field_state.streamline_reference;
    } else if (build_arrows(lab, frame, style, level, batch)) {
      style.show_field = true;
      return;  // uploaded with the GPU's arrows (the progress bar was drawn first)
    }
  }
  batch.upload();
}

}  // namespace scorelab
