// The heatmap layer: true log pₜ and the score error on the CPU (throttled by their cost), and the
// model's log pₜ through the probability-flow ODE — or its difference from the true one — from the
// density worker (density_job.hpp), shown as its rows arrive.
//
// Model images: the first one of a view fills in band by band (something to look at at once); a
// newer one (new snapshot, new level) is computed behind the old one, which stays until the new
// one is complete. Replacing band by band would show two snapshots at once, split at a moving row,
// and a viewer would read the seam as a feature of the density.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gl/capabilities.hpp"
#include "app/lab/gpu_density_backend.hpp"
#include "app/lab/lab_state.hpp"
#include "app/lab/lab_heatmap.hpp"
#include "app/plane/color_map.hpp"
#include "app/plane/curl_map.hpp"

namespace scorelab {
namespace {

// The model density's GPU backend (its own EGL context), unless the window's context already says
// there is no GPU compute here (below GL 4.3): then the same reason, not an EGL error, is the note.
DensityBackendFactory density_gpu_factory() {
  std::string off = gl::compute_off_reason();
  if (off.empty()) return make_gpu_density_backend;
  return [off = std::move(off)](std::string* why) -> std::unique_ptr<DensityBackend> {
    if (why != nullptr) *why = off;
    return nullptr;
  };
}

using Clock = std::chrono::steady_clock;
double seconds_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// A magma image's legend: its range, and whether values beyond either end were clipped.
HeatmapLegend sequential_legend(std::string title, const Scalars& values, const HeatmapScale& scale) {
  HeatmapLegend legend;
  legend.title = std::move(title);
  legend.lo = scale.lo;
  legend.hi = scale.hi;
  legend.clipped_low = finite_quantile(values, 0.0) < scale.lo;
  legend.clipped_high = finite_quantile(values, 1.0) > scale.hi;
  return legend;
}

void clear_image(HeatmapState& st, HeatmapLayer& layer) {
  layer.clear();
  st.legend.reset();
}

bool is_model_kind(HeatmapKind kind) {
  return kind == HeatmapKind::model_log_density || kind == HeatmapKind::density_difference;
}

// A grid of cells over the visible box, `res` across (fewer for point sets, whose exact density
// costs a kernel per training point): its cell centres and the rectangle of its cell edges.
struct CellGrid {
  DensityGrid grid;
  Bounds2 world;
};

CellGrid cell_grid(const Bounds2& box, int res) {
  CellGrid g;
  const double cell = box.size().x() / res;
  g.grid.width = res;
  g.grid.height = std::max(8, static_cast<int>(std::ceil(box.size().y() / cell)));
  g.grid.origin = box.min + Vec2(0.5 * cell, 0.5 * cell);
  g.grid.spacing = Vec2(cell, cell);
  g.world.include(box.min);
  g.world.include(Vec2(box.min.x() + g.grid.width * cell, box.min.y() + g.grid.height * cell));
  return g;
}

// An image computed from a new network change: the heatmap took it (counted once per change).
void note_heatmap_change(LabState& lab) {
  if (lab.heatmap_change == lab.network_change) return;
  lab.heatmap_change = lab.network_change;
  ++lab.deliveries.heatmap;
}

// ---- true log pₜ and the score error: on this thread ---------------------------------------------

bool uses_network(HeatmapKind kind) { return kind == HeatmapKind::score_error || kind == HeatmapKind::curl; }

// The learned score's curl at the cells, on a diverging map symmetric about 0 (curl_map.hpp); false
// (with a note) before the first snapshot.
bool show_curl(LabState& lab, HeatmapLayer& layer, const CellGrid& g, const Bounds2& view_box, const NoiseLevel& level) {
  if (!lab.learned) {
    lab.heatmap_note = "no learned score yet: start training";
    return false;
  }
  const CurlMap map = curl_map(*lab.learned, density_grid_rows(g.grid, 0, g.grid.height), level, curl_step(view_box));
  layer.set_image(diverging_rgba(map.curl, map.half_range, 1.0f), g.grid.width, g.grid.height, g.world);
  HeatmapLegend legend;
  legend.title = "curl of s_θ:  ∂s₂/∂x₁ − ∂s₁/∂x₂";
  legend.diverging = true;
  legend.hi = map.half_range;
  legend.lo = -map.half_range;
  legend.clipped_low = finite_quantile(map.curl, 0.0) < legend.lo;
  legend.clipped_high = finite_quantile(map.curl, 1.0) > legend.hi;
  legend.note = "0 for a gradient (energy) field";
  lab.heatmap_state.legend = legend;
  return true;
}

// Values at the cells; false (with a note) when the chosen map cannot be computed. For the score
// error, zero_net gets the error a network that outputs 0 would make there (the fixed range's rule).
bool exact_values(LabState& lab, const Points& cells, const NoiseLevel& level, Scalars& values, Scalars& zero_net) {
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
  zero_net = truth.colwise().squaredNorm().transpose();
  if (lab.heatmap.weight_by_p) {
    values.array() *= log_p.array().exp();
    zero_net.array() *= log_p.array().exp();
  }
  return true;
}

// The score error's colour range: fixed for the scene while locked (set at its first picture, or
// as edited in the Field panel), else this picture's own (error_scale).
HeatmapScale score_error_scale(LabState& lab, const Scalars& values, const Scalars& zero_net) {
  HeatmapSettings& h = lab.heatmap;
  HeatmapState& st = lab.heatmap_state;
  if (!h.error_range_locked) return error_scale(values);
  const bool other_scene = st.error_range_exact != nullptr && st.error_range_exact != lab.exact.get();
  if (other_scene || st.error_range_weighted != h.weight_by_p) h.error_range_hi = h.error_range_lo;  // unset
  st.error_range_exact = lab.exact.get();
  st.error_range_weighted = h.weight_by_p;
  if (!(h.error_range_hi > h.error_range_lo)) {
    const HeatmapScale rule = error_scale_for_scene(zero_net);
    h.error_range_lo = static_cast<float>(rule.lo);
    h.error_range_hi = static_cast<float>(rule.hi);
  }
  return {h.error_range_lo, h.error_range_hi};
}

// The inputs of the CPU heatmap's picture: a new picture when any of them changed.
std::string exact_heatmap_key(const LabState& lab, const ViewTransform& view, const NoiseLevel& level) {
  char key[320];
  const uint64_t version = uses_network(lab.heatmap.kind) ? lab.network_change : 0;
  const HeatmapSettings& h = lab.heatmap;
  std::snprintf(key, sizeof key, "%d %d %.4g %d %.6g %.6g %.6g %.6g %.6g %.6g %llu | %d %.6g %.6g %p",
                static_cast<int>(h.kind), h.weight_by_p, h.range_nats, h.resolution, level.t, view.center.x(),
                view.center.y(), view.pixels_per_unit, view.viewport.x(), view.viewport.y(),
                static_cast<unsigned long long>(version), h.error_range_locked, h.error_range_lo, h.error_range_hi,
                static_cast<const void*>(lab.exact.get()));
  return key;
}

void build_exact_heatmap(LabState& lab, const LabLayerFrame& frame, const NoiseLevel& level) {
  HeatmapState& st = lab.heatmap_state;
  HeatmapLayer& layer = frame.renderer.heatmap();
  const ViewTransform& view = frame.view;
  const std::string key = exact_heatmap_key(lab, view, level);
  const uint64_t version = uses_network(lab.heatmap.kind) ? lab.network_change : 0;
  const Clock::time_point now = Clock::now();
  // Recompute only when something changed, and spend at most about a quarter of the time on it.
  if (key == lab.heatmap_key && st.content == HeatmapContent::exact) return;
  if (!lab.heatmap_sync && st.content == HeatmapContent::exact && seconds_between(st.time, now) < 3.0 * st.cost_s) return;
  const Bounds2 box = view.visible();
  // Point-set densities cost a kernel per training point: fewer cells, so one update stays < ~0.1 s.
  const double n_terms = std::max(1.0, static_cast<double>(frame.scene.points.cols()));
  int res = lab.heatmap.resolution;
  if (!frame.scene.mixture) res = std::min(res, static_cast<int>(std::sqrt(2e7 / n_terms * box.size().x() / box.size().y())));
  // The curl costs four network evaluations per cell: a coarser grid keeps it at ~0.1 s.
  if (lab.heatmap.kind == HeatmapKind::curl) res = std::min(res, 96);
  const CellGrid g = cell_grid(box, std::max(res, 8));
  lab.heatmap_note.clear();
  if (version != 0 && lab.learned) note_heatmap_change(lab);
  Scalars values, zero_net;
  if (lab.heatmap.kind == HeatmapKind::curl) {
    if (!show_curl(lab, layer, g, box, level)) clear_image(st, layer);
  } else if (!exact_values(lab, density_grid_rows(g.grid, 0, g.grid.height), level, values, zero_net)) {
    clear_image(st, layer);
  } else {
    const bool density = lab.heatmap.kind == HeatmapKind::log_density;
    const HeatmapScale scale =
        density ? log_density_scale(values, lab.heatmap.range_nats) : score_error_scale(lab, values, zero_net);
    layer.set_image(heatmap_rgba(values, scale, ColorMapKind::magma, 1.0f), g.grid.width, g.grid.height, g.world);
    const char* title = density                   ? "true log pₜ(x)  [nats]"
                        : lab.heatmap.weight_by_p ? "pₜ(x)·‖s_θ − ∇log pₜ‖²"
                                                  : "‖s_θ(x) − ∇log pₜ(x)‖²";
    st.legend = sequential_legend(title, values, scale);
    if (!density)
      st.legend->note = lab.heatmap.error_range_locked ? "fixed range" : "this picture's range";
  }
  st.content = HeatmapContent::exact;
  st.shown_kind = -1;
  lab.heatmap_key = exact_heatmap_key(lab, view, level);  // after it: the range may have been set
  st.time = Clock::now();
  st.cost_s = seconds_between(now, st.time);
}

// ---- the model's log pₜ: the density worker -------------------------------------------------------

bool job_alive(const HeatmapState& st) {
  const DensityState s = st.progress.state;
  return st.job != 0 && st.progress.id == st.job &&
         (s == DensityState::preparing || s == DensityState::running || s == DensityState::complete);
}

bool job_running(const HeatmapState& st) {
  return st.job != 0 && st.progress.id == st.job &&
         (st.progress.state == DensityState::preparing || st.progress.state == DensityState::running);
}

// Starts a job for the view's grid when the inputs changed: at once when the grid (view, steps)
// changed or nothing usable runs; for a new snapshot or level, once the running job is done and
// the pause since it (≥ model_interval_s and ≥ its own cost) is over.
void maybe_submit(LabState& lab, const LabLayerFrame& frame, const NoiseLevel& level, bool forced) {
  HeatmapState& st = lab.heatmap_state;
  const CellGrid g = cell_grid(frame.view.visible(), std::max(8, lab.heatmap.model_resolution));
  // The start time of the ODE: the level's t, inside (0, 1) (at t = 1 the density is the prior's).
  const double t0 = std::clamp(level.t, Sde::kLikelihoodEps, 0.999);
  char grid_key[256], key[300];
  std::snprintf(grid_key, sizeof grid_key, "%d %d %.9g %.9g %.9g %d %d", g.grid.width, g.grid.height, g.grid.origin.x(),
                g.grid.origin.y(), g.grid.spacing.x(), lab.heatmap.ode_steps, static_cast<int>(lab.heatmap.device));
  std::snprintf(key, sizeof key, "%s %.9g", grid_key, t0);
  const bool same = key == st.job_key && lab.network_change == st.job_change;
  if (!forced && same && job_alive(st)) return;
  if (!forced && !lab.heatmap_sync && job_alive(st) && grid_key == st.job_grid_key) {
    if (job_running(st)) return;  // let it finish: restarting on every snapshot would never finish
    // The pause is at least the job's own computing time (≤ 50 % of the machine on images), not
    // counting a first compile.
    const double pause =
        std::max<double>(lab.heatmap.model_interval_s, st.progress.seconds - st.progress.prepare_seconds);
    if (seconds_between(st.job_started, Clock::now()) < st.progress.seconds + pause) return;
  }
  if (!st.worker) st.worker = std::make_unique<DensityWorker>(density_gpu_factory());
  DensityRequest r;
  r.score = lab.learned;
  r.noise = frame.scene.scene.noise;
  r.config.steps = std::max(1, lab.heatmap.ode_steps);
  r.config.solver = OdeSolver::rk4;
  r.config.eps = t0;
  r.grid = g.grid;
  st.job = st.worker->submit(std::move(r), lab.heatmap.device);
  st.job_key = key;
  st.job_change = lab.network_change;
  note_heatmap_change(lab);
  st.job_grid_key = grid_key;
  st.job_started = Clock::now();
  st.job_level = Sde(frame.scene.scene.noise).level(t0);
  st.job_world = g.world;
  st.shown_rows = -1;
}

// The rows of one job, with where and at which level they were computed.
struct ModelImage {
  const DensityProgress& p;
  const Bounds2& world;
  const NoiseLevel& level;
};

// The layer's image from a job's rows: log p (magma, the top range_nats) or model − true (balance,
// ±difference_nats, only where either density is within range_nats of the top).
void show_model_image(LabState& lab, HeatmapLayer& layer, const ModelImage& m) {
  HeatmapState& st = lab.heatmap_state;
  const Eigen::Map<const Eigen::VectorXf> model_f(m.p.values.data(), static_cast<Eigen::Index>(m.p.values.size()));
  Scalars values = model_f.cast<double>();
  if (lab.heatmap.kind == HeatmapKind::model_log_density) {
    const HeatmapScale scale = log_density_scale(values, lab.heatmap.range_nats);
    layer.set_image(heatmap_rgba(values, scale, ColorMapKind::magma, 1.0f), m.p.grid.width, m.p.grid.height, m.world);
    st.legend = sequential_legend("model log p(x), by the ODE  [nats]", values, scale);
  } else {
    if (st.truth_job != m.p.id) {
      lab.exact->log_prob(density_grid_rows(m.p.grid, 0, m.p.grid.height), m.level, st.truth);
      st.truth_job = m.p.id;
    }
    // Shown where either density is within range_nats of the top, faded out over the last kFadeNats
    // (a soft mask: a hard one cut the coarse model grid's cells out as a staircase).
    constexpr double kFadeNats = 1.5;
    const double top = std::max(finite_quantile(values, 1.0), finite_quantile(st.truth, 1.0));
    Scalars weight(values.size());
    for (Eigen::Index i = 0; i < values.size(); ++i) {
      const double above = std::max(values[i], st.truth[i]) - (top - lab.heatmap.range_nats);
      weight[i] = std::isfinite(above) ? std::clamp(above / kFadeNats, 0.0, 1.0) : 0.0;
      values[i] = values[i] - st.truth[i];
      if (!std::isfinite(values[i])) values[i] = 0.0;  // a colour for the filter to fade, never black
    }
    layer.set_image(diverging_rgba(values, lab.heatmap.difference_nats, 1.0f, weight), m.p.grid.width,
                    m.p.grid.height, m.world);
    HeatmapLegend legend;
    legend.title = "model − true log p(x)  [nats]";
    legend.diverging = true;
    legend.hi = lab.heatmap.difference_nats;
    legend.lo = -legend.hi;
    // Clipping counts only where the image shows the difference.
    Scalars shown_values = values;
    for (Eigen::Index i = 0; i < values.size(); ++i)
      if (weight[i] <= 0.0) shown_values[i] = std::nan("");
    legend.clipped_low = finite_quantile(shown_values, 0.0) < legend.lo;
    legend.clipped_high = finite_quantile(shown_values, 1.0) > legend.hi;
    st.legend = legend;
  }
  st.content = HeatmapContent::model;
  st.shown_kind = static_cast<int>(lab.heatmap.kind);
}

void build_model_heatmap(LabState& lab, const LabLayerFrame& frame, const NoiseLevel& level) {
  HeatmapState& st = lab.heatmap_state;
  HeatmapLayer& layer = frame.renderer.heatmap();
  lab.heatmap_note.clear();
  const bool difference = lab.heatmap.kind == HeatmapKind::density_difference;
  if (!lab.learned || (difference && !lab.exact->has_log_prob())) {
    lab.heatmap_note = lab.learned ? "the true density is unknown for this data" : "no learned score yet: start training";
    clear_image(st, layer);
    st.content = HeatmapContent::none;
    return;
  }
  const bool forced = lab.heatmap_key.empty();  // a new scene or schedule: the old image is wrong now
  if (forced) st.last_complete = DensityProgress{};
  maybe_submit(lab, frame, level, forced);
  lab.heatmap_key = "model";
  if (lab.heatmap_sync) st.worker->wait();
  st.worker->poll(st.progress);
  const DensityProgress& p = st.progress;
  if (p.id == st.job && p.state == DensityState::failed) lab.heatmap_note = "model density failed: " + p.error;
  const bool fresh = p.id == st.job && (p.state == DensityState::running || p.state == DensityState::complete);
  if (fresh && p.state == DensityState::complete && st.shown_rows != -2) {
    st.last_complete = p;  // the image to keep while the next one is computed
    st.last_world = st.job_world;
    st.last_level = st.job_level;
    show_model_image(lab, layer, {st.last_complete, st.last_world, st.last_level});
    st.shown_rows = -2;  // -2: this job's complete image is shown
    return;
  }
  const bool have_complete = st.last_complete.id != 0;
  const bool redraw = st.content != HeatmapContent::model || st.shown_kind != static_cast<int>(lab.heatmap.kind);
  if (have_complete) {
    // A complete image exists: it stays until the running job is done (redrawn only for a new kind).
    if (redraw) show_model_image(lab, layer, {st.last_complete, st.last_world, st.last_level});
    return;
  }
  // The first image of this grid: band by band as the rows arrive.
  if (fresh && (p.rows_done != st.shown_rows || redraw)) {
    show_model_image(lab, layer, {p, st.job_world, st.job_level});
    st.shown_rows = p.rows_done;
  } else if (redraw) {
    clear_image(st, layer);
    st.content = HeatmapContent::model;
    st.shown_kind = static_cast<int>(lab.heatmap.kind);
  }
}

}  // namespace

void build_heatmap(LabState& lab, const LabLayerFrame& frame) {
  HeatmapState& st = lab.heatmap_state;
  if (!lab.heatmap.show || !lab.exact) {
    if (st.worker && job_running(st)) st.worker->cancel();
    return;
  }
  const NoiseLevel level = field_level(lab, frame.scene.scene.noise);
  if (is_model_kind(lab.heatmap.kind)) {
    build_model_heatmap(lab, frame, level);
    return;
  }
  if (st.worker && job_running(st)) st.worker->cancel();
  if (st.content == HeatmapContent::model) lab.heatmap_key.clear();  // the texture holds a model image
  build_exact_heatmap(lab, frame, level);
}

const HeatmapLegend* shown_heatmap_legend(const LabState& lab) {
  return lab.heatmap.show && lab.heatmap_state.legend ? &*lab.heatmap_state.legend : nullptr;
}

double heatmap_progress(const LabState& lab) {
  const HeatmapState& st = lab.heatmap_state;
  if (!lab.heatmap.show || !is_model_kind(lab.heatmap.kind) || !job_running(st)) return -1.0;
  return st.progress.grid.height > 0 ? double(st.progress.rows_done) / st.progress.grid.height : 0.0;
}

std::string heatmap_status(const LabState& lab) {
  const HeatmapState& st = lab.heatmap_state;
  if (!is_model_kind(lab.heatmap.kind) || st.job == 0 || st.progress.id != st.job) return {};
  const DensityProgress& p = st.progress;
  char text[256];
  switch (p.state) {
    case DensityState::preparing:
      return "preparing (a GPU kernel compiles once per architecture)";
    case DensityState::running:
      std::snprintf(text, sizeof text, "rows %d/%d · %s · %.1f s", p.rows_done, p.grid.height, p.backend.c_str(),
                    p.seconds);
      return text;
    case DensityState::complete:
      std::snprintf(text, sizeof text, "%d×%d cells in %.1f s · %s", p.grid.width, p.grid.height, p.seconds,
                    p.backend.c_str());
      return text;
    default:
      return {};
  }
}

}  // namespace scorelab
