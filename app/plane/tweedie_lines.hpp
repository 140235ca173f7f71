// Tweedie's denoiser for the "denoiser arrows" layer (lecture preset 11): where each particle's
// clean point is expected to be, E[x₀ | xₜ] = (xₜ + s²·∇log pₜ(xₜ))/m, for xₜ = m·x₀ + s·z.
// GL-free: tests/app/test_tweedie_lines.cpp.
#pragma once

#include "app/plane/plane_style.hpp"
#include "core/score_function.hpp"

namespace scorelab {

// E[x₀ | xₜ] for each column of x (2, N) at `level`, with the given score (exact or learned). At
// m ≤ 0 (no signal left) there is no estimate: the points are returned unchanged.
Points tweedie_estimates(const ScoreFunction& score, const Points& x, const NoiseLevel& level);

// The lines' colour on the plane and in the key: cyan on the dark plane, deep teal on the light
// one (neither the data's orange, the samples' white/black nor the arrows' viridis greens).
Rgba tweedie_color(Theme theme);

// The first min(n, cols) columns of x (float frames or double points alike, as doubles).
Points first_points(const Points& x, int n);

}  // namespace scorelab
