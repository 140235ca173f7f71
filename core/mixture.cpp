#include "core/mixture.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/parallel.hpp"
#include "core/rng.hpp"

namespace scorelab {

namespace {
constexpr int kMaxStackComponents = 64;  // beyond this, log_terms uses heap scratch
}

GaussianMixture::GaussianMixture(std::vector<GaussianComponent> components)
    : components_(std::move(components)) {
  if (components_.empty()) throw InputError("a mixture needs at least one component");
  double total = 0;
  for (size_t k = 0; k < components_.size(); ++k) {
    const auto& c = components_[k];
    std::string where = "component " + std::to_string(k) + ": ";
    if (!(std::isfinite(c.weight) && c.weight > 0)) throw InputError(where + "weight must be positive");
    if (!c.mean.allFinite()) throw InputError(where + "mean must be finite");
    if (!c.cov.allFinite() || std::abs(c.cov(0, 1) - c.cov(1, 0)) > 1e-9 * (1 + c.cov.norm()))
      throw InputError(where + "covariance must be finite and symmetric");
    if (!(c.cov(0, 0) > 0 && c.cov.determinant() > 1e-12 * c.cov(0, 0) * c.cov(1, 1)))
      throw InputError(where + "covariance must be positive definite");
    total += c.weight;
  }
  cache_.reserve(components_.size());
  for (auto& c : components_) {
    c.weight /= total;
    Mat2 cov = 0.5 * (c.cov + c.cov.transpose());
    Cached z;
    z.mean = c.mean;
    z.precision = cov.inverse();
    z.log_norm = std::log(c.weight) - 0.5 * std::log(cov.determinant()) - std::log(2.0 * std::numbers::pi);
    z.chol = cov.llt().matrixL();
    cache_.push_back(z);
  }
}

GaussianMixture GaussianMixture::noised(double m, double s) const {
  std::vector<GaussianComponent> out = components_;
  for (auto& c : out) {
    c.mean *= m;
    c.cov = m * m * c.cov + s * s * Mat2::Identity();
  }
  return GaussianMixture(std::move(out));
}

double GaussianMixture::log_terms(const Vec2& x, double* logits, Vec2* g) const {
  double max_logit = -std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < cache_.size(); ++k) {
    const Cached& c = cache_[k];
    Vec2 d = x - c.mean;
    Vec2 pd = c.precision * d;
    g[k] = -pd;
    logits[k] = c.log_norm - 0.5 * d.dot(pd);
    max_logit = std::max(max_logit, logits[k]);
  }
  double sum = 0;
  for (size_t k = 0; k < cache_.size(); ++k) sum += std::exp(logits[k] - max_logit);
  return max_logit + std::log(sum);
}

namespace {
// Scratch for one point's per-component terms, on the stack for ordinary mixture sizes.
struct Scratch {
  explicit Scratch(int k) {
    if (k > kMaxStackComponents) {
      heap_logits.resize(k);
      heap_g.resize(k);
      logits = heap_logits.data();
      g = heap_g.data();
    }
  }
  double stack_logits[kMaxStackComponents];
  Vec2 stack_g[kMaxStackComponents];
  double* logits = stack_logits;
  Vec2* g = stack_g;
  std::vector<double> heap_logits;
  std::vector<Vec2> heap_g;
};
}  // namespace

// Beyond |x| ~ 1e154 every quadratic form dᵀΣ⁻¹d overflows, all logits are −inf and the ratio above
// is 0/0. There the quadratic terms dominate everything else by a factor of |x|², so the nearest
// component in the Mahalanobis sense takes all the weight (ties share it): the forms are compared
// after scaling d by 1/|x|, which cannot overflow. The score −Σ⁻¹d stays finite up to ~1e307.
Vec2 GaussianMixture::far_responsibilities(const Vec2& x, double* r, Vec2* g) const {
  double scale = 0;
  for (const Cached& c : cache_) scale = std::max(scale, (x - c.mean).cwiseAbs().maxCoeff());
  if (!(scale > 0) || !std::isfinite(scale)) return Vec2::Constant(std::numeric_limits<double>::quiet_NaN());
  double nearest = std::numeric_limits<double>::infinity();
  for (int k = 0; k < size(); ++k) {
    const Vec2 d = (x - cache_[k].mean) / scale;
    r[k] = d.dot(cache_[k].precision * d);
    nearest = std::min(nearest, r[k]);
  }
  int ties = 0;
  for (int k = 0; k < size(); ++k) ties += (r[k] == nearest);
  Vec2 mean_g = Vec2::Zero();
  for (int k = 0; k < size(); ++k) {
    r[k] = r[k] == nearest ? 1.0 / ties : 0.0;
    mean_g += r[k] * g[k];
  }
  return mean_g;
}

// rₖ = exp(logitₖ − max)/Σⱼ exp(logitⱼ − max), normalised by the sum itself and not as exp(logitₖ − log p):
// far from the data |logit| ~ 1e27, log p = max + log(Σ) rounds to max, and tied components would
// each get rₖ = 1 (at |x| = 3·10¹³ on 8gaussians three ties tripled the score).
Vec2 GaussianMixture::responsibilities(const Vec2& x, double* r, Vec2* g) const {
  log_terms(x, r, g);
  const double max_logit = *std::max_element(r, r + size());
  if (!std::isfinite(max_logit)) return far_responsibilities(x, r, g);
  double sum = 0;
  for (int k = 0; k < size(); ++k) sum += r[k] = std::exp(r[k] - max_logit);
  Vec2 mean_g = Vec2::Zero();
  for (int k = 0; k < size(); ++k) {
    r[k] /= sum;
    mean_g += r[k] * g[k];
  }
  return mean_g;
}

double GaussianMixture::log_prob(const Vec2& x) const {
  Scratch s(size());
  return log_terms(x, s.logits, s.g);
}

Vec2 GaussianMixture::score(const Vec2& x) const {
  Scratch s(size());
  return responsibilities(x, s.logits, s.g);
}

// ∇² log p = Σₖ rₖ((gₖ − ḡ)(gₖ − ḡ)ᵀ − Σₖ⁻¹), ḡ = Σₖ rₖ gₖ: THEORY §1's Σ rₖ gₖgₖᵀ − ḡḡᵀ written as the
// responsibilities' covariance of g, in two passes. The one-pass form cancels far from the data
// (‖g‖² ~ 1e30 at |x| = 1e14 left the divergence, and the ODE's NLL, wrong by 1e35 nats).
Mat2 GaussianMixture::hessian_log_prob(const Vec2& x) const {
  Scratch s(size());
  const Vec2 mean_g = responsibilities(x, s.logits, s.g);
  Mat2 h = Mat2::Zero();
  for (int k = 0; k < size(); ++k) {
    if (!(s.logits[k] > 0)) continue;  // rₖ = 0 adds nothing (and 0·∞ far out would be NaN)
    const Vec2 d = s.g[k] - mean_g;
    h += s.logits[k] * (d * d.transpose() - cache_[k].precision);
  }
  return h;
}

int GaussianMixture::most_responsible(const Vec2& x) const {
  Scratch s(size());
  log_terms(x, s.logits, s.g);
  int best = 0;
  for (int k = 1; k < size(); ++k)
    if (s.logits[k] > s.logits[best]) best = k;
  return best;
}

void GaussianMixture::log_prob(const Points& x, Scalars& out) const {
  out.resize(x.cols());
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    Scratch s(size());
    for (Eigen::Index i = begin; i < end; ++i) out[i] = log_terms(x.col(i), s.logits, s.g);
  });
}

void GaussianMixture::score(const Points& x, Points& out) const {
  out.resize(2, x.cols());
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    Scratch s(size());
    for (Eigen::Index i = begin; i < end; ++i) out.col(i) = responsibilities(x.col(i), s.logits, s.g);
  });
}

void GaussianMixture::score_and_divergence(const Points& x, Points& out, Scalars& div) const {
  out.resize(2, x.cols());
  div.resize(x.cols());
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    Scratch s(size());
    for (Eigen::Index i = begin; i < end; ++i) {
      // tr ∇² log p = Σₖ rₖ(‖gₖ − ḡ‖² − tr Σₖ⁻¹), two passes (see hessian_log_prob)
      const Vec2 mean_g = responsibilities(x.col(i), s.logits, s.g);
      double tr = 0;
      for (int k = 0; k < size(); ++k)  // rₖ = 0 adds nothing (and 0·∞ far out would be NaN)
        if (s.logits[k] > 0) tr += s.logits[k] * ((s.g[k] - mean_g).squaredNorm() - cache_[k].precision.trace());
      out.col(i) = mean_g;
      div[i] = tr;
    }
  });
}

std::vector<int> GaussianMixture::sample_components(int n, uint32_t seed, uint32_t stream) const {
  std::vector<int> out(std::max(n, 0));
  for (int i = 0; i < n; ++i) {
    double u = uniform01(seed, stream, static_cast<uint32_t>(i));
    int k = 0;
    double acc = components_[0].weight;
    while (k + 1 < size() && u > acc) acc += components_[++k].weight;
    out[i] = k;
  }
  return out;
}

Points GaussianMixture::sample(int n, uint32_t seed, uint32_t stream) const {
  Points out(2, n);
  // Stream `stream` picks components, stream + 1 draws the Gaussian noise: independent draws per point.
  const std::vector<int> component = sample_components(n, seed, stream);
  for (int i = 0; i < n; ++i) {
    const int k = component[i];
    out.col(i) = cache_[k].mean + cache_[k].chol * normal2(seed, stream + 1, static_cast<uint32_t>(i));
  }
  return out;
}

Vec2 GaussianMixture::mean() const {
  Vec2 m = Vec2::Zero();
  for (const auto& c : components_) m += c.weight * c.mean;
  return m;
}

Mat2 GaussianMixture::covariance() const {
  Vec2 mu = mean();
  Mat2 cov = Mat2::Zero();
  for (const auto& c : components_) cov += c.weight * (c.cov + (c.mean - mu) * (c.mean - mu).transpose());
  return cov;
}

void MixtureScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  mixture_.noised(level).score(x, out);
}

void MixtureScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                        Scalars& div) const {
  mixture_.noised(level).score_and_divergence(x, out, div);
}

void MixtureScore::log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const {
  mixture_.noised(level).log_prob(x, out);
}

}  // namespace scorelab
