#include "core/gaussian_grid_field.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>
#include <vector>

namespace scorelab {

namespace {

// Kernel taps end where exp(−(j h)²/(2s²)) < e^−36 ≈ 2e-16 of the centre: below double rounding.
constexpr double kTapCutoff = 36;
// The 6-point stencil: nodes j0 − 2 .. j0 + 3 around a position between nodes j0 and j0 + 1.
constexpr int kBefore = 2, kAfter = 3, kStencil = 6;

// Lagrange basis of the nodes −2..3 at f ∈ [0, 1): L_k(f) = Π_{j≠k} (f − j)/(k − j). They sum to 1
// and reproduce polynomials up to degree 5 exactly.
std::array<double, kStencil> lagrange6(double f) {
  constexpr std::array<double, kStencil> denom = {-120, 24, -12, 12, -24, 120};
  std::array<double, kStencil> w;
  for (int k = 0; k < kStencil; ++k) {
    double num = 1;
    for (int j = 0; j < kStencil; ++j)
      if (j != k) num *= f - (j - kBefore);
    w[k] = num / denom[k];
  }
  return w;
}

// Node index j0 (as a double, floor) and offset f ∈ [0, 1) of a coordinate on a lattice.
double node_floor(double coordinate, double origin, double h, double& f) {
  const double t = (coordinate - origin) / h, j0 = std::floor(t);
  f = t - j0;
  return j0;
}

// Calls fn(b, e) on `threads` contiguous parts of [begin, end) at once (inline when threads ≤ 1).
template <typename F>
void split_range(long long begin, long long end, int threads, F&& fn) {
  const long long parts = std::max(1LL, std::min<long long>(threads, end - begin));
  std::vector<std::thread> pool;
  for (long long p = 1; p < parts; ++p)
    pool.emplace_back([&, p] { fn(begin + (end - begin) * p / parts, begin + (end - begin) * (p + 1) / parts); });
  fn(begin, begin + (end - begin) / parts);
  for (auto& t : pool) t.join();
}

}  // namespace

GaussianGridField::Size GaussianGridField::size_for(const Vec2& lo, const Vec2& hi, double s,
                                                    const GridFieldShape& shape) {
  const double h = s / shape.nodes_per_s, pad = shape.reach * s + (kAfter + 1) * h;
  const double taps = std::ceil(std::sqrt(2 * kTapCutoff) * shape.nodes_per_s);
  Size z;
  z.nx = static_cast<long long>(std::min(std::ceil((hi.x() - lo.x() + 2 * pad) / h) + 1, 1e9));
  z.ny = static_cast<long long>(std::min(std::ceil((hi.y() - lo.y() + 2 * pad) / h) + 1, 1e9));
  const double data_x = std::ceil((hi.x() - lo.x()) / h) + kStencil, data_y = std::ceil((hi.y() - lo.y()) / h) + kStencil;
  // y pass: 2 kernels over (data columns × data rows × taps); x pass: 3 outputs over every node
  // times the data columns within reach of the kernel.
  z.build_madds = 2 * data_x * data_y * (2 * taps + 1) + 3 * double(z.nx) * double(z.ny) * std::min(data_x, 2 * taps + 1);
  return z;
}

GaussianGridField::GaussianGridField(const Points& pts, const Vec2& lo, const Vec2& hi, double s,
                                     const GridFieldShape& shape, int threads)
    : s_(s), h_(s / shape.nodes_per_s) {
  const Size z = size_for(lo, hi, s, shape);
  nx_ = z.nx;
  ny_ = z.ny;
  const double pad = shape.reach * s + (kAfter + 1) * h_;
  origin_ = lo - Vec2(pad, pad);
  double f;
  dx0_ = static_cast<long long>(node_floor(lo.x(), origin_.x(), h_, f)) - kBefore;
  dx1_ = static_cast<long long>(node_floor(hi.x(), origin_.x(), h_, f)) + kAfter;
  dy0_ = static_cast<long long>(node_floor(lo.y(), origin_.y(), h_, f)) - kBefore;
  dy1_ = static_cast<long long>(node_floor(hi.y(), origin_.y(), h_, f)) + kAfter;
  taps_ = static_cast<int>(std::ceil(std::sqrt(2 * kTapCutoff) * shape.nodes_per_s));
  kernel_.resize(2 * taps_ + 1);
  dkernel_.resize(2 * taps_ + 1);
  for (int j = -taps_; j <= taps_; ++j) {
    const double d = j * h_;  // query node minus source node, in the points' units
    kernel_[j + taps_] = std::exp(-d * d / (2 * s * s));
    dkernel_[j + taps_] = -d / (s * s) * kernel_[j + taps_];
  }
  std::vector<double> hist(size_t(nx_ * ny_), 0.0), a(hist.size(), 0.0), b(hist.size(), 0.0);
  spread(pts, hist);
  split_range(dx0_, dx1_ + 1, threads, [&](long long x0, long long x1) { blur_y(hist, a, b, x0, x1); });
  hist = {};
  p_.assign(size_t(nx_ * ny_), 0.0);
  px_.assign(p_.size(), 0.0);
  py_.assign(p_.size(), 0.0);
  split_range(0, nx_, threads, [&](long long x0, long long x1) { blur_x(a, b, x0, x1); });
}

void GaussianGridField::spread(const Points& pts, std::vector<double>& hist) const {
  for (Eigen::Index i = 0; i < pts.cols(); ++i) {
    double fx, fy;
    const long long jx = static_cast<long long>(node_floor(pts(0, i), origin_.x(), h_, fx)) - kBefore;
    const long long jy = static_cast<long long>(node_floor(pts(1, i), origin_.y(), h_, fy)) - kBefore;
    const auto wx = lagrange6(fx), wy = lagrange6(fy);
    for (int a = 0; a < kStencil; ++a)
      for (int b = 0; b < kStencil; ++b) at(hist, jx + a, jy + b) += wx[a] * wy[b];
  }
}

// a(x, y) = Σ_k hist(x, k)·K(y − k), b likewise with ∂K, over the columns that hold points. Each
// source node adds its kernel to a contiguous run of its column (vectorised axpy).
void GaussianGridField::blur_y(const std::vector<double>& hist, std::vector<double>& a, std::vector<double>& b,
                               long long x0, long long x1) const {
  for (long long x = x0; x < x1; ++x) {
    const double* src = hist.data() + x * ny_;
    double *outa = a.data() + x * ny_, *outb = b.data() + x * ny_;
    for (long long k = dy0_; k <= dy1_; ++k) {
      const double v = src[k];
      if (v == 0) continue;
      const long long y0 = std::max(k - taps_, 0LL), y1 = std::min(k + taps_, ny_ - 1);
      const double *kk = kernel_.data() + (y0 - k + taps_), *dk = dkernel_.data() + (y0 - k + taps_);
      for (long long y = 0; y <= y1 - y0; ++y) {
        outa[y0 + y] += v * kk[y];
        outb[y0 + y] += v * dk[y];
      }
    }
  }
}

// p = a ∗ₓ K, px = a ∗ₓ ∂K, py = b ∗ₓ K: each output column is a sum of whole source columns.
void GaussianGridField::blur_x(const std::vector<double>& a, const std::vector<double>& b, long long x0, long long x1) {
  for (long long x = x0; x < x1; ++x) {
    using Column = Eigen::Map<Eigen::ArrayXd>;
    using ConstColumn = Eigen::Map<const Eigen::ArrayXd>;
    Column p(p_.data() + x * ny_, ny_), px(px_.data() + x * ny_, ny_), py(py_.data() + x * ny_, ny_);
    for (long long k = std::max(dx0_, x - taps_); k <= std::min(dx1_, x + taps_); ++k) {
      const ConstColumn ak(a.data() + k * ny_, ny_), bk(b.data() + k * ny_, ny_);
      const double kv = kernel_[x - k + taps_], dv = dkernel_[x - k + taps_];
      p += kv * ak;
      px += dv * ak;
      py += kv * bk;
    }
  }
}

bool GaussianGridField::read(const Vec2& u, double& density, Vec2& score) const {
  double fx, fy;
  const double jx = node_floor(u.x(), origin_.x(), h_, fx) - kBefore, jy = node_floor(u.y(), origin_.y(), h_, fy) - kBefore;
  if (!(jx >= 0 && jy >= 0 && jx + kStencil <= double(nx_) && jy + kStencil <= double(ny_))) return false;
  const auto wx = lagrange6(fx), wy = lagrange6(fy);
  double p = 0, gx = 0, gy = 0;
  for (int a = 0; a < kStencil; ++a) {
    const size_t row = size_t((static_cast<long long>(jx) + a) * ny_ + static_cast<long long>(jy));
    double cp = 0, cx = 0, cy = 0;
    for (int b = 0; b < kStencil; ++b) {
      cp += wy[b] * p_[row + b];
      cx += wy[b] * px_[row + b];
      cy += wy[b] * py_[row + b];
    }
    p += wx[a] * cp;
    gx += wx[a] * cx;
    gy += wx[a] * cy;
  }
  if (!(p > 0)) return false;
  density = p;
  score = Vec2(gx / p, gy / p);
  return true;
}

bool GaussianGridField::score(const Vec2& u, Vec2& out) const {
  double density;
  return read(u, density, out);
}

}  // namespace scorelab
