// Covariance ellipses for drawing mixture components: the curve (x − μ)ᵀ Σ⁻¹ (x − μ) = k².
#pragma once

#include <vector>

#include "app/plane/view_transform.hpp"
#include "core/types.hpp"

namespace scorelab {

// A closed polyline of segments + 1 points (the last equals the first) on the k-sigma ellipse
// of N(mean, cov). cov must be symmetric positive semi-definite; a degenerate axis gives a flat
// ellipse (a line). segments >= 3.
std::vector<Vec2> covariance_ellipse(const Vec2& mean, const Mat2& cov, double k_sigma, int segments = 96);

// The tight bounding box of that ellipse: mean ± k·√diag(Σ).
Bounds2 covariance_ellipse_bounds(const Vec2& mean, const Mat2& cov, double k_sigma);

}  // namespace scorelab
