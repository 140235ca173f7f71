// The pinned mode-weight bars (ParticleSettings::pin_mode_weights): the shown particles counted per
// mixture component, at most a few times a second (a GPU run's particles are downloaded for it).
#include <chrono>
#include <cstdio>

#include "app/lab/lab_state.hpp"

namespace scorelab {

void update_mode_bars(LabState& lab, Theme theme) {
  const std::optional<GaussianMixture>& mixture = lab.scene.mixture;
  if (!lab.particles.pin_mode_weights || !mixture || !lab.run.started() || lab.run.frames() == 0) {
    lab.mode_bars.reset();
    lab.mode_bars_key.clear();
    return;
  }
  char key[160];
  std::snprintf(key, sizeof key, "%ld %d %d %p", lab.run.generation(), shown_frame_index(lab), static_cast<int>(theme),
                static_cast<const void*>(lab.exact.get()));
  using Clock = std::chrono::steady_clock;
  const Clock::time_point now = Clock::now();
  const double since = std::chrono::duration<double>(now - lab.mode_bars_time).count();
  const bool changed = key != lab.mode_bars_key || !lab.mode_bars;
  if (!mode_bars_due(changed, since, lab.mode_bars_cost_s, lab.heatmap_sync || !lab.mode_bars)) return;
  lab.mode_bars = mode_weight_bars(*mixture, shown_particles(lab), theme);
  lab.mode_bars_key = key;
  lab.mode_bars_time = Clock::now();
  lab.mode_bars_cost_s = std::chrono::duration<double>(lab.mode_bars_time - now).count();
}

}  // namespace scorelab
