// Tweedie's denoiser for the "denoiser arrows" layer (lecture preset 11): for one Gaussian
// N(μ, c²I) noised to xₜ = m·x₀ + s·z, E[x₀ | xₜ] = μ + m·c²/(m²c² + s²)·(xₜ − m·μ) in closed form.
#include <doctest/doctest.h>

#include "app/plane/tweedie_lines.hpp"
#include "core/mixture.hpp"

using namespace scorelab;

TEST_CASE("tweedie_estimates: the closed-form posterior mean of a Gaussian") {
  const Vec2 mu(1.0, -2.0);
  const double c2 = 0.5;
  const MixtureScore score(GaussianMixture({{1.0, mu, Mat2::Identity() * c2}}));
  Points x(2, 3);
  x << 0.0, 3.0, -1.5, 0.0, 1.0, 4.0;
  for (const NoiseLevel level : {NoiseLevel{0.3, 0.9, 0.4}, NoiseLevel{0.9, 0.2, 0.98}, NoiseLevel{0.5, 1.0, 2.0}}) {
    CAPTURE(level.s);
    const Points x0 = tweedie_estimates(score, x, level);
    const double gain = level.m * c2 / (level.m * level.m * c2 + level.s * level.s);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const Vec2 expected = mu + gain * (x.col(j) - level.m * mu);
      CHECK(x0(0, j) == doctest::Approx(expected.x()).epsilon(1e-9));
      CHECK(x0(1, j) == doctest::Approx(expected.y()).epsilon(1e-9));
    }
  }
  // No signal (m = 0): no estimate, the points are kept.
  CHECK(tweedie_estimates(score, x, NoiseLevel{1.0, 0.0, 1.0}).isApprox(x));
}

TEST_CASE("first_points: at most n columns; colours differ by theme") {
  Points x = Points::Random(2, 10);
  CHECK(first_points(x, 3).cols() == 3);
  CHECK(first_points(x, 300).cols() == 10);
  CHECK(first_points(x, 3).isApprox(x.leftCols(3)));
  CHECK(tweedie_color(Theme::dark).b != doctest::Approx(tweedie_color(Theme::light).b));
}
