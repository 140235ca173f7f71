#include "core/toy_data.hpp"

#include <cmath>
#include <numbers>

#include "core/rng.hpp"

namespace scorelab {

namespace {

constexpr double kPi = std::numbers::pi;

enum class Toy { eight_gaussians, checkerboard, rings, circles, moons, swissroll, two_spirals, pinwheel, ncsn };

// One table, in toy_names() order: name, id and entropy (THEORY.md §5, nats).
struct ToyInfo {
  const char* name;
  Toy id;
  double entropy;
};
const ToyInfo kToys[] = {
    {"8gaussians", Toy::eight_gaussians, 2.831}, {"checkerboard", Toy::checkerboard, 3.4657359027997265},
    {"rings", Toy::rings, 2.623},                {"circles", Toy::circles, 3.267},
    {"moons", Toy::moons, 2.392},                {"swissroll", Toy::swissroll, 2.672},
    {"2spirals", Toy::two_spirals, 2.645},       {"pinwheel", Toy::pinwheel, 2.311},
    {"ncsn", Toy::ncsn, 3.338},
};  // checkerboard: uniform on 8 squares of side 2, entropy ln 32

const ToyInfo& find_toy(std::string_view name) {
  for (const ToyInfo& t : kToys)
    if (name == t.name) return t;
  std::string valid;
  for (const ToyInfo& t : kToys) valid += (valid.empty() ? "" : ", ") + std::string(t.name);
  throw InputError("toy data set '" + std::string(name) + "': unknown (valid: " + valid + ")");
}

// Streams: one per random variable of a definition, so the draws are independent of each other.
constexpr uint32_t kStreamA = 11, kStreamB = 12, kStreamC = 13, kStreamNoise = 14;

double u01(uint32_t seed, uint32_t stream, int i) { return uniform01(seed, stream, static_cast<uint32_t>(i)); }
Vec2 randn2(uint32_t seed, uint32_t stream, int i) { return normal2(seed, stream, static_cast<uint32_t>(i)); }

// FFJORD's 8 centres in its order, on the unit circle.
Vec2 eight_center(int k) {
  const double h = 1.0 / std::sqrt(2.0);
  static const Vec2 c[8] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {h, h}, {h, -h}, {-h, h}, {-h, -h}};
  return c[k];
}

// point = (4·centre + 0.5·z) / 1.414, centre uniform over the 8.
void eight_gaussians(Points& out, uint32_t seed) {
  for (int i = 0; i < out.cols(); ++i) {
    int k = std::min(7, static_cast<int>(u01(seed, kStreamA, i) * 8));
    out.col(i) = (4.0 * eight_center(k) + 0.5 * randn2(seed, kStreamNoise, i)) / 1.414;
  }
}

// x1 ~ U[-2, 2); x2 = U[0, 1) − 2·Bernoulli(½) + (floor(x1) mod 2); times 2. The "on" squares are
// those with floor(x/2) + floor(y/2) even.
void checkerboard(Points& out, uint32_t seed) {
  for (int i = 0; i < out.cols(); ++i) {
    double x1 = u01(seed, kStreamA, i) * 4 - 2;
    double x2 = u01(seed, kStreamB, i) - (u01(seed, kStreamC, i) < 0.5 ? 2.0 : 0.0);
    double parity = std::floor(x1) - 2.0 * std::floor(std::floor(x1) / 2.0);  // Python's % 2: 0 or 1
    out.col(i) = 2.0 * Vec2(x1, x2 + parity);
  }
}

// `count` points at angles 2πk/count (linspace, endpoint=False) on a circle of radius r, from column
// `first`, plus N(0, sd²I) noise.
void noisy_circle(Points& out, int first, int count, double r, double sd, uint32_t seed) {
  for (int k = 0; k < count; ++k) {
    double a = 2 * kPi * k / count;
    out.col(first + k) = r * Vec2(std::cos(a), std::sin(a)) + sd * randn2(seed, kStreamNoise, first + k);
  }
}

// Radii 3, 2.25, 1.5, 0.75 with n/4 points each, the remainder on the smallest; noise sd 0.08.
void rings(Points& out, uint32_t seed) {
  int n = static_cast<int>(out.cols()), q = n / 4;
  noisy_circle(out, 0, q, 3.0, 0.08, seed);
  noisy_circle(out, q, q, 2.25, 0.08, seed);
  noisy_circle(out, 2 * q, q, 1.5, 0.08, seed);
  noisy_circle(out, 3 * q, n - 3 * q, 0.75, 0.08, seed);
}

// sklearn make_circles(factor=.5, noise=.08) · 3: n/2 on the outer circle, the rest on the inner.
void circles(Points& out, uint32_t seed) {
  int n = static_cast<int>(out.cols()), n_out = n / 2;
  noisy_circle(out, 0, n_out, 3.0, 0.08 * 3, seed);
  noisy_circle(out, n_out, n - n_out, 1.5, 0.08 * 3, seed);
}

// sklearn make_moons(noise=.1) · 2 + (−1, −0.2): linspace(0, π, count) with its endpoint.
void moons(Points& out, uint32_t seed) {
  int n = static_cast<int>(out.cols()), n_out = n / 2, n_in = n - n_out;
  auto angle = [](int k, int count) { return count > 1 ? kPi * k / (count - 1) : 0.0; };
  for (int i = 0; i < n; ++i) {
    bool outer = i < n_out;
    double a = outer ? angle(i, n_out) : angle(i - n_out, n_in);
    Vec2 p = outer ? Vec2(std::cos(a), std::sin(a)) : Vec2(1 - std::cos(a), 1 - std::sin(a) - 0.5);
    p += 0.1 * randn2(seed, kStreamNoise, i);
    out.col(i) = 2.0 * p + Vec2(-1.0, -0.2);
  }
}

// sklearn make_swiss_roll(noise=1): t = 1.5π(1 + 2u), (t cos t, ·, t sin t) + N(0, I); columns [0, 2] / 5.
void swissroll(Points& out, uint32_t seed) {
  for (int i = 0; i < out.cols(); ++i) {
    double t = 1.5 * kPi * (1 + 2 * u01(seed, kStreamA, i));
    out.col(i) = (Vec2(t * std::cos(t), t * std::sin(t)) + randn2(seed, kStreamNoise, i)) / 5.0;
  }
}

// n = √u·3π (540°); arm d = (−cos n·n + U(0,.5), sin n·n + U(0,.5)); the second arm is −d of the same
// draws; both / 3 plus N(0, 0.1²I). For odd n the first arm has the extra point.
void two_spirals(Points& out, uint32_t seed) {
  int n = static_cast<int>(out.cols()), half = n / 2, first = n - half;
  for (int i = 0; i < first; ++i) {
    double r = std::sqrt(u01(seed, kStreamA, i)) * 3 * kPi;
    Vec2 d(-std::cos(r) * r + 0.5 * u01(seed, kStreamB, i), std::sin(r) * r + 0.5 * u01(seed, kStreamC, i));
    out.col(i) = d / 3.0 + 0.1 * randn2(seed, kStreamNoise, i);
    if (i < half) out.col(first + i) = -d / 3.0 + 0.1 * randn2(seed, kStreamNoise, first + i);
  }
}

// 5 classes; features f = (1 + 0.3 z₁, 0.1 z₂); angle = 2πc/5 + 0.25·exp(f₁); point = 2 fᵀR(angle)
// with R = [[cos, −sin], [sin, cos]] (einsum "ti,tij->tj"), i.e. f rotated by −angle. FFJORD draws
// 5·(n/5) points; the n mod 5 extra ones go one each to the first classes.
void pinwheel(Points& out, uint32_t seed) {
  int n = static_cast<int>(out.cols());
  int i = 0;
  for (int c = 0; c < 5; ++c) {
    int count = n / 5 + (c < n % 5 ? 1 : 0);
    for (int k = 0; k < count; ++k, ++i) {
      Vec2 z = randn2(seed, kStreamNoise, i);
      double f0 = 1.0 + 0.3 * z.x(), f1 = 0.1 * z.y();
      double a = 2 * kPi * c / 5 + 0.25 * std::exp(f0);
      out.col(i) = 2.0 * Vec2(f0 * std::cos(a) + f1 * std::sin(a), -f0 * std::sin(a) + f1 * std::cos(a));
    }
  }
}

GaussianMixture eight_gaussians_mixture() {
  std::vector<GaussianComponent> comps;
  const double sd = 0.5 / 1.414;
  for (int k = 0; k < 8; ++k) comps.push_back({1.0 / 8, eight_center(k) * 4.0 / 1.414, sd * sd * Mat2::Identity()});
  return GaussianMixture(std::move(comps));
}

GaussianMixture ncsn_mixture() {
  return GaussianMixture({{0.2, Vec2(-5, -5), Mat2::Identity()}, {0.8, Vec2(5, 5), Mat2::Identity()}});
}

}  // namespace

const std::vector<std::string>& toy_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const ToyInfo& t : kToys) v.emplace_back(t.name);
    return v;
  }();
  return names;
}

Points toy_samples(std::string_view name, int n, uint32_t seed) {
  const ToyInfo& toy = find_toy(name);
  if (n < 0)
    throw InputError("toy data set '" + std::string(name) + "': count must be >= 0 (got " + std::to_string(n) + ")");
  Points out(2, n);
  switch (toy.id) {
    case Toy::eight_gaussians: eight_gaussians(out, seed); break;
    case Toy::checkerboard: checkerboard(out, seed); break;
    case Toy::rings: rings(out, seed); break;
    case Toy::circles: circles(out, seed); break;
    case Toy::moons: moons(out, seed); break;
    case Toy::swissroll: swissroll(out, seed); break;
    case Toy::two_spirals: two_spirals(out, seed); break;
    case Toy::pinwheel: pinwheel(out, seed); break;
    case Toy::ncsn: out = ncsn_mixture().sample(n, seed); break;
  }
  return out;
}

std::optional<GaussianMixture> toy_mixture(std::string_view name) {
  switch (find_toy(name).id) {
    case Toy::eight_gaussians: return eight_gaussians_mixture();
    case Toy::ncsn: return ncsn_mixture();
    default: return std::nullopt;
  }
}

double toy_entropy(std::string_view name) { return find_toy(name).entropy; }

}  // namespace scorelab
