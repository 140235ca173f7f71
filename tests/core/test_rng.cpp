// The counter-based RNG: deterministic, uniform, normal, and independent across streams.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/rng.hpp"

using namespace scorelab;

TEST_CASE("same (seed, stream, counter) gives the same number; any change gives another") {
  CHECK(hash3(1, 2, 3) == hash3(1, 2, 3));
  CHECK(hash3(1, 2, 3) != hash3(2, 2, 3));
  CHECK(hash3(1, 2, 3) != hash3(1, 3, 3));
  CHECK(hash3(1, 2, 3) != hash3(1, 2, 4));
  RngStream a(42, 7), b(42, 7), c(43, 7);
  for (int i = 0; i < 100; ++i) {
    double x = a.uniform();
    CHECK(x == b.uniform());
    CHECK(x != c.uniform());
  }
}

TEST_CASE("pcg_hash known values (pins the function the GLSL twin mirrors)") {
  // Computed by hand from the definition: state = 0·747796405 + 2891336453.
  CHECK(pcg_hash(0u) == 129708002u);
  static_assert(pcg_hash(0u) == 129708002u);
}

TEST_CASE("uniforms lie in (0, 1), are dyadic of 24 bits, and have the right moments") {
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    double u = uniform01(9, 1, i);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    double scaled = u * 16777216.0;
    REQUIRE(scaled == std::floor(scaled));
    REQUIRE(static_cast<float>(u) == u);  // exact in float: the GLSL twin returns the same value
    sum += u;
    sum2 += u * u;
  }
  double mean = sum / n, var = sum2 / n - mean * mean;
  // sd of the mean of n uniforms = sqrt(1/12/n) ≈ 6.5e-4; 5 sd.
  CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(var - 1.0 / 12) < 0.002);
}

TEST_CASE("normal pairs have zero mean, unit variance, no correlation; streams are independent") {
  const int n = 200000;
  double m0 = 0, m1 = 0, v0 = 0, v1 = 0, c01 = 0, cross = 0;
  for (int i = 0; i < n; ++i) {
    Vec2 z = normal2(5, 0, i), w = normal2(5, 1, i);
    m0 += z.x(); m1 += z.y();
    v0 += z.x() * z.x(); v1 += z.y() * z.y();
    c01 += z.x() * z.y();
    cross += z.x() * w.x();
  }
  double se = 1.0 / std::sqrt(double(n));  // sd of a mean of n unit-variance draws
  CHECK(std::abs(m0 / n) < 5 * se);
  CHECK(std::abs(m1 / n) < 5 * se);
  CHECK(std::abs(v0 / n - 1) < 5 * std::sqrt(2.0) * se);
  CHECK(std::abs(v1 / n - 1) < 5 * std::sqrt(2.0) * se);
  CHECK(std::abs(c01 / n) < 5 * se);
  CHECK(std::abs(cross / n) < 5 * se);
}

TEST_CASE("hash has no visible bucket bias") {
  std::vector<int> buckets(64, 0);
  const int n = 64 * 4000;
  for (int i = 0; i < n; ++i) buckets[hash3(0, 0, i) >> 26]++;
  double chi2 = 0;
  for (int b : buckets) chi2 += (b - 4000.0) * (b - 4000.0) / 4000.0;
  // χ² with 63 dof: mean 63, sd 11.2; 63 + 5 sd ≈ 120.
  CHECK(chi2 < 120);
}
