// Toy sets against their FFJORD definitions: sample statistics with tolerances from the sample size,
// determinism, exact counts, the exact mixtures and the entropies of THEORY.md §5.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

constexpr double kPi = std::numbers::pi;

// Mean of f over the columns and its standard error sd(f)/√n, the sd estimated from the sample.
// With a deterministic part in f (grid-placed points) this overestimates the error: conservative.
struct Estimate {
  double mean, se;
};
Estimate mean_of(const Points& p, const std::function<double(const Vec2&)>& f) {
  const double n = static_cast<double>(p.cols());
  double s = 0, s2 = 0;
  for (Eigen::Index i = 0; i < p.cols(); ++i) {
    double v = f(p.col(i));
    s += v;
    s2 += v * v;
  }
  double mean = s / n;
  return {mean, std::sqrt(std::max(0.0, s2 / n - mean * mean) / n)};
}

// |estimate − expected| within 5 standard errors plus a stated allowance for known bias.
void check_mean(const Estimate& e, double expected, double bias = 0.0) {
  INFO("estimate " << e.mean << " expected " << expected << " se " << e.se);
  CHECK(std::abs(e.mean - expected) <= 5 * e.se + bias);
}

// Pearson chi-square statistic of counts against equal expected counts.
double chi_square_uniform(const std::vector<int>& counts) {
  double total = 0;
  for (int c : counts) total += c;
  double expected = total / counts.size(), chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  return chi2;
}

// Per-ring statistics of the distance to the origin, each point assigned to the nearest radius.
struct RingStats {
  std::vector<int> count;
  std::vector<Estimate> radius;   // E|p| per ring
  std::vector<Estimate> radius2;  // E|p|² per ring, for the spread
};
RingStats ring_stats(const Points& p, const std::vector<double>& radii) {
  RingStats out;
  for (size_t k = 0; k < radii.size(); ++k) {
    std::vector<int> idx;
    for (Eigen::Index i = 0; i < p.cols(); ++i) {
      double r = p.col(i).norm();
      size_t best = 0;
      for (size_t j = 1; j < radii.size(); ++j)
        if (std::abs(r - radii[j]) < std::abs(r - radii[best])) best = j;
      if (best == k) idx.push_back(static_cast<int>(i));
    }
    Points ring(2, idx.size());
    for (size_t i = 0; i < idx.size(); ++i) ring.col(i) = p.col(idx[i]);
    out.count.push_back(static_cast<int>(idx.size()));
    out.radius.push_back(mean_of(ring, [](const Vec2& v) { return v.norm(); }));
    out.radius2.push_back(mean_of(ring, [](const Vec2& v) { return v.squaredNorm(); }));
  }
  return out;
}

// Noisy circle of radius R, noise N(0, σ²I), σ ≪ R: E|p| = R + σ²/(2R) + O(σ⁴/R³) (Rice mean),
// E|p|² = R² + 2σ² exactly, so Var|p| = σ² − σ⁴/(4R²) + ... ≈ σ².
void check_ring(const RingStats& st, size_t k, double radius, double sd, double bias = 0.0) {
  double rice = radius + sd * sd / (2 * radius);
  check_mean(st.radius[k], rice, bias + std::pow(sd, 4) / std::pow(radius, 3));
  check_mean(st.radius2[k], radius * radius + 2 * sd * sd, bias * 2 * radius);
}

}  // namespace

TEST_CASE("the names, in order; unknown names are refused with the list of valid ones") {
  std::vector<std::string> expected = {"8gaussians", "checkerboard", "rings",    "circles", "moons",
                                       "swissroll",  "2spirals",     "pinwheel", "ncsn"};
  CHECK(toy_names() == expected);
  CHECK_THROWS_AS(toy_samples("gaussians8", 10, 0), InputError);
  CHECK_THROWS_AS(toy_mixture("spiral"), InputError);
  CHECK_THROWS_AS(toy_entropy(""), InputError);
  try {
    toy_samples("nope", 10, 0);
  } catch (const InputError& e) {
    std::string msg = e.what();
    CHECK(msg.find("nope") != std::string::npos);
    for (const auto& name : expected) CHECK(msg.find(name) != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(toy_samples("moons", -1, 0), InputError);
}

TEST_CASE("every set returns exactly n finite points, deterministic for a seed") {
  for (const auto& name : toy_names()) {
    CAPTURE(name);
    for (int n : {0, 1, 2, 3, 4, 5, 7, 10, 101, 1001}) {
      Points p = toy_samples(name, n, 3);
      CHECK(p.cols() == n);
      CHECK(p.allFinite());
    }
    Points a = toy_samples(name, 200, 17), b = toy_samples(name, 200, 17), c = toy_samples(name, 200, 18);
    CHECK(a == b);
    int differing = 0;
    for (int i = 0; i < 200; ++i) differing += (a.col(i) != c.col(i));
    CHECK(differing == 200);  // every point carries continuous noise or a continuous position
  }
}

TEST_CASE("8gaussians: centres 4/1.414 on the circle at multiples of 45°, sd 0.5/1.414, equal shares") {
  const int n = 20000;
  Points p = toy_samples("8gaussians", n, 1);
  const double radius = 4 / 1.414, sd = 0.5 / 1.414;
  check_mean(mean_of(p, [](const Vec2& v) { return v.x(); }), 0.0);
  check_mean(mean_of(p, [](const Vec2& v) { return v.y(); }), 0.0);
  std::vector<int> counts(8, 0);
  Points resid(2, n);
  for (int i = 0; i < n; ++i) {
    // Nearest centre: the angle rounded to a multiple of 45°. Neighbouring centres are 2.16 apart,
    // 3.06 sd to the midpoint, so about 0.2% of points land in the neighbour's sector.
    int k = static_cast<int>(std::lround(std::atan2(p(1, i), p(0, i)) / (kPi / 4))) & 7;
    counts[k]++;
    resid.col(i) = p.col(i) - radius * Vec2(std::cos(k * kPi / 4), std::sin(k * kPi / 4));
  }
  CHECK(chi_square_uniform(counts) < 24.32);  // chi-square, 7 dof, p = 0.001
  check_mean(mean_of(p, [](const Vec2& v) { return v.norm(); }), radius + sd * sd / (2 * radius),
             std::pow(sd, 4) / std::pow(radius, 3));
  // Residual per coordinate ~ N(0, sd²): E[r²] = sd² (misassigned points swap tails symmetrically).
  check_mean(mean_of(resid, [](const Vec2& v) { return v.x() * v.x(); }), sd * sd);
  check_mean(mean_of(resid, [](const Vec2& v) { return v.y() * v.y(); }), sd * sd);
}

TEST_CASE("8gaussians: the exact mixture matches the samples' mean and covariance") {
  auto mix = toy_mixture("8gaussians");
  REQUIRE(mix.has_value());
  REQUIRE(mix->size() == 8);
  for (const auto& c : mix->components()) {
    CHECK(c.weight == doctest::Approx(0.125));
    CHECK(c.mean.norm() == doctest::Approx(4 / 1.414));
    CHECK((c.cov - std::pow(0.5 / 1.414, 2) * Mat2::Identity()).norm() < 1e-15);
  }
  Points p = toy_samples("8gaussians", 20000, 2);
  Vec2 mu = mix->mean();
  Mat2 cov = mix->covariance();
  for (int a = 0; a < 2; ++a) {
    check_mean(mean_of(p, [a](const Vec2& v) { return v[a]; }), mu[a]);
    for (int b = 0; b < 2; ++b)
      check_mean(mean_of(p, [&](const Vec2& v) { return (v[a] - mu[a]) * (v[b] - mu[b]); }), cov(a, b));
  }
}

TEST_CASE("checkerboard: uniform on the 8 squares of side 2 in [-4,4]² with floor(x/2)+floor(y/2) even") {
  // FFJORD: x1 ~ U[-2,2), x2 ∈ [0,1) ∪ [-2,-1) shifted up by floor(x1) mod 2, all times 2; so a cell
  // (floor(x1), floor(x2)) is "on" exactly when the sum is even.
  const int n = 16000;
  Points p = toy_samples("checkerboard", n, 4);
  std::vector<int> squares(16, 0), cells(64, 0);  // 4×4 squares of side 2, 8×8 unit cells
  bool inside = true, on = true;
  for (int i = 0; i < n; ++i) {
    double x = p(0, i), y = p(1, i);
    inside = inside && x >= -4 && x < 4 && y >= -4 && y < 4;
    if (!inside) break;
    int qx = static_cast<int>(std::floor(x / 2)), qy = static_cast<int>(std::floor(y / 2));
    on = on && ((qx + qy) % 2 == 0);
    squares[(qx + 2) * 4 + (qy + 2)]++;
    cells[(static_cast<int>(std::floor(x)) + 4) * 8 + (static_cast<int>(std::floor(y)) + 4)]++;
  }
  REQUIRE(inside);
  CHECK(on);
  // Keep the on-squares and their unit cells (square index from cell: (cx/2, cy/2)).
  std::vector<int> on_squares, on_cells;
  for (int q = 0; q < 16; ++q)
    if ((q / 4 + q % 4) % 2 == 0) on_squares.push_back(squares[q]);
  for (int c = 0; c < 64; ++c)
    if ((c / 8 / 2 + c % 8 / 2) % 2 == 0) on_cells.push_back(cells[c]);
  REQUIRE(on_squares.size() == 8);
  REQUIRE(on_cells.size() == 32);
  CHECK(chi_square_uniform(on_squares) < 24.32);  // 7 dof, p = 0.001
  CHECK(chi_square_uniform(on_cells) < 61.10);    // 31 dof, p = 0.001: uniform inside the squares too
}

TEST_CASE("rings: radii 3, 2.25, 1.5, 0.75, n/4 each with the remainder on the smallest, sd 0.08") {
  const int n = 10003;
  Points p = toy_samples("rings", n, 5);
  RingStats st = ring_stats(p, {3.0, 2.25, 1.5, 0.75});
  // Rings are 0.75 = 9.4 sd apart: P(a point crosses the midpoint) ≈ 3e-6, so counts are exact but
  // for a rare stray point.
  std::vector<int> expected = {2500, 2500, 2500, 2503};
  for (size_t k = 0; k < 4; ++k) CHECK(std::abs(st.count[k] - expected[k]) <= 2);
  std::vector<double> radii = {3.0, 2.25, 1.5, 0.75};
  for (size_t k = 0; k < 4; ++k) check_ring(st, k, radii[k], 0.08);
  // endpoint=False spacing: no doubled point, the grid is balanced, the mean is the noise mean.
  check_mean(mean_of(p, [](const Vec2& v) { return v.x(); }), 0.0);
  check_mean(mean_of(p, [](const Vec2& v) { return v.y(); }), 0.0);
}

TEST_CASE("circles: radii 3 and 1.5 (n/2 outer, rest inner), noise sd 0.24") {
  const int n = 10001;
  Points p = toy_samples("circles", n, 6);
  RingStats st = ring_stats(p, {3.0, 1.5});
  // The circles are 0.75/0.24 = 3.1 sd from the midpoint radius: about 0.09% of each ring strays,
  // ~5 points each way; 5 sd of that exchange is ~15 points.
  CHECK(std::abs(st.count[0] - 5000) <= 15);
  CHECK(std::abs(st.count[1] - 5001) <= 15);
  // Strays cut each ring's tail at 3.1 sd (and add the other ring's): the mean moves by at most
  // σ·φ(3.1)/Φ(3.1) ≈ 0.0008, allowed as bias.
  check_ring(st, 0, 3.0, 0.24, 0.001);
  check_ring(st, 1, 1.5, 0.24, 0.001);
}

TEST_CASE("moons: sklearn make_moons(noise=.1)·2 + (-1, -0.2): moments and distance to the arcs") {
  const int n = 20001;
  Points p = toy_samples("moons", n, 7);
  // Noise-free: outer (2cosθ − 1, 2sinθ − 0.2), inner (1 − 2cosθ, 0.8 − 2sinθ), θ uniform on [0, π]
  // (a grid with endpoints: the grid averages differ from the integrals by O(1/n) ≈ 1e-3 at most).
  // Mean (0, 0.3); Var x = 3 + 0.04; Var y = 2.25 − 4/π + 0.04; Cov = 0.5 − 4/π (both halves alike).
  const double grid = 1e-3;
  check_mean(mean_of(p, [](const Vec2& v) { return v.x(); }), 0.0, grid);
  check_mean(mean_of(p, [](const Vec2& v) { return v.y(); }), 0.3, grid);
  check_mean(mean_of(p, [](const Vec2& v) { return v.x() * v.x(); }), 3.04, 10 * grid);
  check_mean(mean_of(p, [](const Vec2& v) { return (v.y() - 0.3) * (v.y() - 0.3); }), 2.29 - 4 / kPi, 10 * grid);
  check_mean(mean_of(p, [](const Vec2& v) { return v.x() * (v.y() - 0.3); }), 0.5 - 4 / kPi, 10 * grid);
  // Distance² to the nearer arc (centre (−1,−0.2) upper half, centre (1, 0.8) lower half, radius 2):
  // the normal component of N(0, 0.2²I) noise, so E = 0.04 + O(σ⁴/R²); points pushed past an arc's
  // end measure a 2D distance instead, ~1% of points: allow 0.002.
  auto arc_distance2 = [](const Vec2& v, const Vec2& c, double sign) {
    Vec2 d = v - c;
    if (sign * d.y() >= 0) return std::pow(d.norm() - 2.0, 2);
    return std::min((v - c - Vec2(2, 0)).squaredNorm(), (v - c + Vec2(2, 0)).squaredNorm());
  };
  check_mean(mean_of(p,
                     [&](const Vec2& v) {
                       return std::min(arc_distance2(v, Vec2(-1, -0.2), 1), arc_distance2(v, Vec2(1, 0.8), -1));
                     }),
             0.04, 0.002);
}

TEST_CASE("swissroll: t = 1.5π(1 + 2u), (t cos t, t sin t) + N(0, I), all / 5") {
  const int n = 20000;
  Points p = toy_samples("swissroll", n, 8);
  // t ~ U[1.5π, 4.5π]: E[t cos t] = [t sin t + cos t]/(3π) = 6π/(3π) = 2; E[t sin t] = 2/(3π);
  // E[t²] = 9.75π². Divided by 5 (squares by 25, noise adds 2 to E|P|²).
  check_mean(mean_of(p, [](const Vec2& v) { return v.x(); }), 2.0 / 5);
  check_mean(mean_of(p, [](const Vec2& v) { return v.y(); }), 2.0 / (15 * kPi));
  check_mean(mean_of(p, [](const Vec2& v) { return v.squaredNorm(); }), (9.75 * kPi * kPi + 2) / 25);
  // The roll itself: for P = 5p = t e^{it} + ε, arg P − |P| ≈ ε_t/t − ε_r, so
  // E cos(arg P − |P|) ≈ e^{−1/2}(1 − E[1/(2t²)]) ≈ 0.60 (a swapped sin/cos would give ≈ 0).
  Estimate coherence = mean_of(p, [](const Vec2& v) { return std::cos(std::atan2(v.y(), v.x()) - 5 * v.norm()); });
  CHECK(coherence.mean == doctest::Approx(0.60).epsilon(0.1 / 0.6));
}

TEST_CASE("2spirals: two arms, one the mirror of the other through the origin") {
  const int n = 20001;
  Points p = toy_samples("2spirals", n, 9);
  // Odd moments vanish by the point symmetry.
  check_mean(mean_of(p, [](const Vec2& v) { return v.x(); }), 0.0);
  check_mean(mean_of(p, [](const Vec2& v) { return v.y(); }), 0.0);
  check_mean(mean_of(p, [](const Vec2& v) { return v.x() * v.x() * v.x(); }), 0.0);
  check_mean(mean_of(p, [](const Vec2& v) { return v.x() * v.y() * v.y(); }), 0.0);
  // d = (−r cos r + a, r sin r + b), r = 3π√u (density 2r/(3π)² on [0, 3π]), a, b ~ U(0, .5):
  // E r² = 9π²/2; E[r sin r] = 2(9π² − 4)/(9π²); E[r cos r] = −4/(3π); E a² = 1/12;
  // E|d|² = E r² + 2·0.25·(E[r sin r] − E[r cos r]) + 2/12; then /9 and + 2·0.1².
  const double e_rsin = 2 * (9 * kPi * kPi - 4) / (9 * kPi * kPi), e_rcos = -4 / (3 * kPi);
  const double e_d2 = 9 * kPi * kPi / 2 + 0.5 * (e_rsin - e_rcos) + 2.0 / 12;
  check_mean(mean_of(p, [](const Vec2& v) { return v.squaredNorm(); }), e_d2 / 9 + 0.02);
  // Spiral arms: arg d ≈ π − r and |d| ≈ r, so arg p + 3|p| ≈ π (first arm) or 2π (mirror arm):
  // cos(2(arg p + 3|p|)) ≈ 1 up to the phase noise (offsets and N(0, 0.3²) in units of d, largest
  // near the centre), which brings the mean to ≈ 0.7. A wrong sign inside d gives arg ≈ ±r and a mean
  // near 0; the bound 0.5 separates the two.
  Estimate coherence =
      mean_of(p, [](const Vec2& v) { return std::cos(2 * (std::atan2(v.y(), v.x()) + 3 * v.norm())); });
  CHECK(coherence.mean > 0.5);
}

TEST_CASE("pinwheel: 5 arms of f = (1 + 0.3z, 0.1z') rotated by −(2πc/5 + 0.25 e^{f₀}), times 2") {
  const int n = 10003;
  Points p = toy_samples("pinwheel", n, 10);
  // |p|² = 4(f₀² + f₁²): E = 4(1 + 0.09 + 0.01).
  check_mean(mean_of(p, [](const Vec2& v) { return v.squaredNorm(); }), 4.4);
  // Undo the twist: δ = −arg p − 0.25 exp(|p|/2) = 2πc/5 − atan(f₁/f₀) + 0.25(e^{f₀} − e^{‖f‖}).
  // |δ − 2πc/5| > 0.2 needs |f₁| > 0.2 f₀ (to first order): P = 2Φ(−2/√(1 + 0.36)) = 0.086, so
  // ≥ 0.914 of points lie within 0.2 of an arm; 5 binomial se = 0.014 → require 0.89. A wrong
  // rotation sign spreads δ over the circle (≈ 0.32 within 0.2).
  std::vector<int> counts(5, 0);
  int near_arm = 0;
  for (int i = 0; i < n; ++i) {
    double delta = -std::atan2(p(1, i), p(0, i)) - 0.25 * std::exp(p.col(i).norm() / 2);
    double arm = std::round(delta / (2 * kPi / 5));
    near_arm += std::abs(delta - arm * 2 * kPi / 5) < 0.2;
    counts[((static_cast<int>(arm) % 5) + 5) % 5]++;
  }
  CHECK(near_arm > 0.89 * n);
  // Classes hold n/5 (+1 for the first n mod 5); symmetric leakage between arms keeps counts near.
  CHECK(chi_square_uniform(counts) < 18.47);  // 4 dof, p = 0.001
}

TEST_CASE("ncsn: 0.2 N((-5,-5), I) + 0.8 N((5,5), I)") {
  auto mix = toy_mixture("ncsn");
  REQUIRE(mix.has_value());
  REQUIRE(mix->size() == 2);
  CHECK(mix->components()[0].weight == doctest::Approx(0.2));
  CHECK(mix->components()[1].weight == doctest::Approx(0.8));
  CHECK(mix->components()[0].mean == Vec2(-5, -5));
  CHECK(mix->components()[1].mean == Vec2(5, 5));
  const int n = 20000;
  Points p = toy_samples("ncsn", n, 11);
  // Components are 7.1 sd from the line x + y = 0: the side tells the component.
  check_mean(mean_of(p, [](const Vec2& v) { return v.sum() < 0 ? 1.0 : 0.0; }), 0.2);
  Points low(2, n), high(2, n);
  int nl = 0, nh = 0;
  for (int i = 0; i < n; ++i) (p.col(i).sum() < 0 ? low.col(nl++) : high.col(nh++)) = p.col(i);
  Points lo = low.leftCols(nl), hi = high.leftCols(nh);
  for (int a = 0; a < 2; ++a) {
    check_mean(mean_of(lo, [a](const Vec2& v) { return v[a]; }), -5.0);
    check_mean(mean_of(hi, [a](const Vec2& v) { return v[a]; }), 5.0);
    check_mean(mean_of(hi, [a](const Vec2& v) { return (v[a] - 5) * (v[a] - 5); }), 1.0);
  }
  CHECK_FALSE(toy_mixture("moons").has_value());
  CHECK_FALSE(toy_mixture("checkerboard").has_value());
}

TEST_CASE("entropies: closed forms and Monte Carlo against the exact mixtures") {
  for (const auto& name : toy_names()) CHECK((std::isfinite(toy_entropy(name)) && toy_entropy(name) > 0));
  CHECK(toy_entropy("checkerboard") == doctest::Approx(std::log(32.0)).epsilon(1e-12));
  // Separated components (overlap e^{-50}): H = H(π) + H(N(0, I)) = H(π) + 1 + ln 2π.
  double h_pi = -(0.2 * std::log(0.2) + 0.8 * std::log(0.8));
  CHECK(std::abs(toy_entropy("ncsn") - (h_pi + 1 + std::log(2 * kPi))) < 1e-3);
  // H = −E log p(x), x ~ p: Monte Carlo with 5 standard errors, plus 5e-4 for the table's 3 decimals.
  for (const char* name : {"8gaussians", "ncsn"}) {
    CAPTURE(name);
    GaussianMixture mix = *toy_mixture(name);
    const int n = 200000;
    Points x = mix.sample(n, 12);
    Scalars lp;
    mix.log_prob(x, lp);
    double mean = -lp.mean();
    double se = std::sqrt((lp.array() + mean).square().mean() / n);
    INFO("Monte Carlo entropy " << mean << " ± " << se);
    CHECK(std::abs(mean - toy_entropy(name)) < 5 * se + 5e-4);
  }
}
