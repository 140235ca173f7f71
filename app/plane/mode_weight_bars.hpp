// The pinned key figure of the mixture presets (issue 18 item 10): per component k, the share of the
// particles whose most responsible component is k beside the true weight πₖ, drawn as bars on the
// plane (app/render/plane_overlay: draw_mode_weight_bars). GL-free: tests/app/test_mode_weight_bars.cpp.
#pragma once

#include <vector>

#include "app/plane/plane_style.hpp"
#include "core/mixture.hpp"

namespace scorelab {

struct ModeWeightBars {
  std::vector<double> share;  // of the particles counted, per component (sums to 1)
  std::vector<double> truth;  // πₖ
  std::vector<Rgba> colors;   // component_color(k, theme), as the ellipses
  long particles = 0;         // how many were counted (finite ones, at most kModeBarSample)
};

// At most this many particles are counted (every k-th one of a larger population): the shares'
// standard error stays ≤ 0.004, and a million-particle run costs no more than a small one.
inline constexpr long kModeBarSample = 20000;

// The bars for particles x (2, N) against `mixture` (core/metrics.hpp mode_weights); non-finite
// particles are left out. No particle counted: every share is 0.
ModeWeightBars mode_weight_bars(const GaussianMixture& mixture, const Points& x, Theme theme);

// Whether to recount now: the particles moved (`changed`) and at least max(0.25 s, 3 × the last
// count's cost) passed since it — a GPU run downloads its particles to count them. An export
// (`every_frame`) recounts whenever they moved.
bool mode_bars_due(bool changed, double seconds_since, double last_cost_s, bool every_frame);

}  // namespace scorelab
