#include "app/plane/ellipse.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace scorelab {

std::vector<Vec2> covariance_ellipse(const Vec2& mean, const Mat2& cov, double k_sigma, int segments) {
  segments = std::max(segments, 3);
  // Σ = V diag(λ) Vᵀ, so x = μ + k·V·diag(√λ)·(cos θ, sin θ) satisfies (x − μ)ᵀΣ⁻¹(x − μ) = k².
  const Eigen::SelfAdjointEigenSolver<Mat2> eig(0.5 * (cov + cov.transpose()));
  const Vec2 radii = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt() * k_sigma;
  const Mat2 axes = eig.eigenvectors() * radii.asDiagonal();
  std::vector<Vec2> curve;
  curve.reserve(segments + 1);
  for (int i = 0; i <= segments; ++i) {
    const double theta = 2.0 * std::numbers::pi * (i % segments) / segments;
    curve.push_back(mean + axes * Vec2(std::cos(theta), std::sin(theta)));
  }
  return curve;
}

Bounds2 covariance_ellipse_bounds(const Vec2& mean, const Mat2& cov, double k_sigma) {
  const Vec2 half = k_sigma * cov.diagonal().cwiseMax(0.0).cwiseSqrt();
  Bounds2 b;
  b.include(mean - half);
  b.include(mean + half);
  return b;
}

}  // namespace scorelab
