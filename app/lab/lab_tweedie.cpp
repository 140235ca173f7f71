#include "app/lab/lab_tweedie.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/plane/arrow_field.hpp"
#include "app/plane/tweedie_lines.hpp"

namespace scorelab {
namespace {

using Clock = std::chrono::steady_clock;

// The shown particles, only the first n: from the CPU frames directly, else downloaded (GPU).
Points first_shown(const LabState& lab, int n) {
  const int i = shown_frame_index(lab);
  if (const FrameHistory* h = lab.run.cpu_history()) {
    const FramePoints& x = h->frame(i);
    return x.leftCols(std::clamp<Eigen::Index>(n, 0, x.cols())).cast<double>();
  }
  return first_points(shown_particles(lab), n);
}

// Recomputes the lines when their inputs changed, throttled by their cost (not in an export).
void update_lines(LabState& lab) {
  FieldState& st = lab.field_state;
  const std::shared_ptr<const ScoreFunction> score = sampler_target(lab);
  const int frame = shown_frame_index(lab);
  char key[200];
  std::snprintf(key, sizeof key, "%ld %d %p %llu %d", lab.run.generation(), frame, static_cast<const void*>(score.get()),
                static_cast<unsigned long long>(lab.network_change), lab.field.tweedie_count);
  if (key == st.tweedie_key) return;
  const Clock::time_point now = Clock::now();
  const double since = std::chrono::duration<double>(now - st.tweedie_time).count();
  if (!lab.heatmap_sync && !st.tweedie_key.empty() && since < std::max(0.1, 3.0 * st.tweedie_cost_s)) return;
  const Points x = first_shown(lab, lab.field.tweedie_count);
  const NoiseLevel level = lab.run.level_at_step(lab.run.step_of(frame));
  const Points x0 = tweedie_estimates(*score, x, level);
  st.tweedie_from.clear();
  st.tweedie_to.clear();
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    if (!x.col(j).allFinite() || !x0.col(j).allFinite()) continue;
    st.tweedie_from.push_back(x.col(j));
    st.tweedie_to.push_back(x0.col(j));
  }
  st.tweedie_key = key;
  st.tweedie_time = Clock::now();
  st.tweedie_cost_s = std::chrono::duration<double>(st.tweedie_time - now).count();
}

}  // namespace

bool draw_tweedie(LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style, SegmentBatch& batch) {
  if (!lab.field.tweedie_arrows || !lab.run.started() || lab.run.frames() == 0 || !lab.exact) {
    lab.field_state.tweedie_key.clear();
    return false;
  }
  update_lines(lab);
  const FieldState& st = lab.field_state;
  const Rgba color = tweedie_color(style.theme);
  const float width = 1.3f * style.line_scale;
  const double head = 7.0 * style.line_scale / frame.view.pixels_per_unit;  // arrowhead: 7 px
  for (size_t j = 0; j < st.tweedie_from.size(); ++j) {
    const Vec2 d = st.tweedie_to[j] - st.tweedie_from[j];
    batch.add(st.tweedie_from[j], st.tweedie_to[j], color, width);
    if (d.norm() < 1.5 * head) continue;  // too short for a head: the line says it
    const ArrowShape a = arrow_shape(st.tweedie_to[j] - 0.5 * head * d.normalized(), d, head, 1.0);
    batch.add(a.tip, a.barb_left, color, width);
    batch.add(a.tip, a.barb_right, color, width);
  }
  return !st.tweedie_from.empty();
}

}  // namespace scorelab
