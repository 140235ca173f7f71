// The curl heatmap's numbers (the energy-vs-free-score lecture): ∂s₂/∂x₁ − ∂s₁/∂x₂ of a score at
// grid cells, and a colour range symmetric about 0 that does not turn rounding noise into colour.
// GL-free: tests/app/test_curl_map.cpp.
#pragma once

#include "app/plane/view_transform.hpp"
#include "core/score_function.hpp"

namespace scorelab {

// The finite-difference step for a view: about 1e-2 of the data's scale, taken as 3e-3 of the
// visible box's smaller side (a 10-unit view: 0.03). Smaller steps amplify a float network's
// rounding (error ~ ε/h); larger ones blur the curl's features.
double curl_step(const Bounds2& visible);

// The curl at the cells and the half-width of its colour range.
struct CurlMap {
  Scalars curl;             // per cell (N)
  double half_range = 1.0;  // colours span ±half_range
};

// The range is the 99th percentile of |curl|, but at least 5 % of the 99th percentile of |∇·s|
// (the field's own derivative scale, exact from score_and_divergence on at most ~1000 cells): a
// gradient field's curl (rounding only) then stays white instead of being stretched to full colour.
CurlMap curl_map(const ScoreFunction& score, const Points& cells, const NoiseLevel& level, double h);

}  // namespace scorelab
