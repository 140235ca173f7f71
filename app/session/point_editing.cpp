#include "app/session/point_editing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/rng.hpp"

namespace scorelab {
namespace {

// RNG stream of the brush (distinct from the data and sampler streams).
constexpr uint32_t kBrushStream = 0x62727368u;  // "brsh"

bool same_points(const Points& a, const Points& b) { return a.cols() == b.cols() && a == b; }

bool same_mixture(const GaussianMixture& a, const GaussianMixture& b) {
  if (a.size() != b.size()) return false;
  for (int k = 0; k < a.size(); ++k) {
    const GaussianComponent& x = a.components()[static_cast<size_t>(k)];
    const GaussianComponent& y = b.components()[static_cast<size_t>(k)];
    if (x.weight != y.weight || x.mean != y.mean || x.cov != y.cov) return false;
  }
  return true;
}

void normalise(std::vector<GaussianComponent>& components) {
  double total = 0.0;
  for (const GaussianComponent& c : components) total += c.weight;
  for (GaussianComponent& c : components) c.weight /= total;
}

}  // namespace

void brush_add(Points& points, const Vec2& center, double radius, int count, uint32_t seed, uint32_t& counter) {
  if (count <= 0) return;
  const Eigen::Index n = points.cols();
  points.conservativeResize(Eigen::NoChange, n + count);
  for (int j = 0; j < count; ++j, ++counter) {
    // Uniform in the disc: r = R·√u (area grows as r²), angle uniform.
    const double r = radius * std::sqrt(uniform01(seed, kBrushStream, 2u * counter));
    const double angle = 2.0 * std::numbers::pi * uniform01(seed, kBrushStream, 2u * counter + 1u);
    points.col(n + j) = center + r * Vec2(std::cos(angle), std::sin(angle));
  }
}

int erase_within(Points& points, const Vec2& center, double radius) {
  const double r2 = radius * radius;
  Eigen::Index kept = 0;
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    if ((points.col(j) - center).squaredNorm() <= r2) continue;
    if (kept != j) points.col(kept) = points.col(j);
    ++kept;
  }
  const int removed = static_cast<int>(points.cols() - kept);
  points.conservativeResize(Eigen::NoChange, kept);
  return removed;
}

std::optional<int> pick_nearest(const std::vector<Vec2>& world_points, const ViewTransform& view, const Vec2& screen,
                                double tolerance_px) {
  std::optional<int> best;
  double best_d2 = tolerance_px * tolerance_px;
  for (size_t k = 0; k < world_points.size(); ++k) {
    const double d2 = (view.world_to_screen(world_points[k]) - screen).squaredNorm();
    if (d2 <= best_d2) {
      best_d2 = d2;
      best = static_cast<int>(k);
    }
  }
  return best;
}

Mat2 covariance_from(double sigma_x, double sigma_y, double rho) {
  const double c = rho * sigma_x * sigma_y;
  Mat2 cov;
  cov << sigma_x * sigma_x, c, c, sigma_y * sigma_y;
  return cov;
}

SigmaRho sigma_rho(const Mat2& cov) {
  const double sx = std::sqrt(std::max(cov(0, 0), 0.0));
  const double sy = std::sqrt(std::max(cov(1, 1), 0.0));
  const double rho = sx > 0.0 && sy > 0.0 ? 0.5 * (cov(0, 1) + cov(1, 0)) / (sx * sy) : 0.0;
  return {sx, sy, rho};
}

void set_component_weight(std::vector<GaussianComponent>& components, int k, double weight) {
  const int n = static_cast<int>(components.size());
  if (k < 0 || k >= n) return;
  if (n == 1) {
    components[0].weight = 1.0;
    return;
  }
  const double w = std::clamp(weight, kMinWeight, 1.0 - kMinWeight * (n - 1));
  double others = 0.0;
  for (int i = 0; i < n; ++i)
    if (i != k) others += components[static_cast<size_t>(i)].weight;
  for (int i = 0; i < n; ++i) {
    GaussianComponent& c = components[static_cast<size_t>(i)];
    if (i == k) c.weight = w;
    else c.weight = others > 0.0 ? c.weight * (1.0 - w) / others : (1.0 - w) / (n - 1);
  }
}

void add_component(std::vector<GaussianComponent>& components, const Vec2& mean, double sigma) {
  normalise(components);
  const double k = static_cast<double>(components.size());
  for (GaussianComponent& c : components) c.weight *= k / (k + 1.0);
  components.push_back({1.0 / (k + 1.0), mean, sigma * sigma * Mat2::Identity()});
}

bool remove_component(std::vector<GaussianComponent>& components, int k) {
  if (components.size() <= 1 || k < 0 || k >= static_cast<int>(components.size())) return false;
  components.erase(components.begin() + k);
  normalise(components);
  return true;
}

bool same_data(const DataConfig& a, const DataConfig& b) {
  return a.kind == b.kind && a.toy == b.toy && a.count == b.count && a.seed == b.seed && a.file == b.file &&
         same_points(a.points, b.points) && same_mixture(a.mixture, b.mixture);
}

void DataUndoStack::push(const DataConfig& state) {
  if (capacity_ == 0) return;
  if (!states_.empty() && same_data(states_.back(), state)) return;
  states_.push_back(state);
  while (states_.size() > capacity_) states_.pop_front();
}

std::optional<DataConfig> DataUndoStack::pop() {
  if (states_.empty()) return std::nullopt;
  DataConfig top = std::move(states_.back());
  states_.pop_back();
  return top;
}

}  // namespace scorelab
