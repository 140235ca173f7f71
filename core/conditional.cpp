#include "core/conditional.hpp"

#include <algorithm>
#include <cmath>


namespace scorelab {
namespace {

// "key=value" items split at commas outside brackets ("A=[1,0],y=1.5").
std::vector<std::pair<std::string, std::string>> spec_items(const std::string& spec, const std::string& what) {
  std::vector<std::pair<std::string, std::string>> items;
  std::string item;
  int depth = 0;
  auto flush = [&] {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError(what + ": '" + item + "': expected key=value");
    items.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    item.clear();
  };
  for (char c : spec) {
    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (c == ',' && depth == 0) flush();
    else item += c;
  }
  if (!item.empty() || items.empty()) flush();
  return items;
}

double spec_number(const std::string& key, const std::string& value, const std::string& what) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(v))
    throw InputError(what + ": " + key + "='" + value + "': expected a finite number");
  return v;
}

}  // namespace

ClassCondition parse_class_condition(const std::string& spec, int components, const std::string& what) {
  ClassCondition c;
  bool have_class = false;
  for (const auto& [key, value] : spec_items(spec, what)) {
    if (key == "class") {
      const double k = spec_number(key, value, what);
      if (k != std::floor(k) || k < 0 || k >= components)
        throw InputError(what + ": class=" + value + ": expected a component index in [0, " + std::to_string(components - 1) + "]");
      c.component = int(k);
      have_class = true;
    } else if (key == "w") {
      c.weight = spec_number(key, value, what);
      if (c.weight < 0 || c.weight > 100) throw InputError(what + ": w=" + value + ": expected a weight in [0, 100]");
    } else {
      throw InputError(what + ": unknown key '" + key + "' (expected class, w)");
    }
  }
  if (!have_class) throw InputError(what + ": missing class=K");
  return c;
}

Observation parse_observation(const std::string& spec, const std::string& what) {
  Observation o;
  bool have_y = false;
  for (const auto& [key, value] : spec_items(spec, what)) {
    if (key == "A") {
      if (value.size() < 2 || value.front() != '[' || value.back() != ']')
        throw InputError(what + ": A=" + value + ": expected [a1,a2]");
      const std::string inner = value.substr(1, value.size() - 2);
      const size_t comma = inner.find(',');
      if (comma == std::string::npos) throw InputError(what + ": A=" + value + ": expected [a1,a2]");
      o.a = Vec2(spec_number("A", inner.substr(0, comma), what), spec_number("A", inner.substr(comma + 1), what));
      if (o.a.norm() == 0) throw InputError(what + ": A=" + value + ": must not be zero");
    } else if (key == "y") {
      o.y = spec_number(key, value, what);
      have_y = true;
    } else if (key == "sigma") {
      o.sigma = spec_number(key, value, what);
      if (!(o.sigma >= 1e-3 && o.sigma <= 1e3)) throw InputError(what + ": sigma=" + value + ": expected a value in [0.001, 1000]");
    } else {
      throw InputError(what + ": unknown key '" + key + "' (expected A, y, sigma)");
    }
  }
  if (!have_y) throw InputError(what + ": missing y=Y");
  return o;
}

GaussianMixture class_conditional(const GaussianMixture& mixture, int k) {
  GaussianComponent c = mixture.components().at(size_t(k));
  c.weight = 1.0;
  return GaussianMixture({c});
}

GaussianMixture exact_posterior(const GaussianMixture& prior, const Observation& obs) {
  std::vector<GaussianComponent> post;
  std::vector<double> log_w;
  const double s2 = obs.sigma * obs.sigma;
  for (const GaussianComponent& c : prior.components()) {
    const Vec2 sa = c.cov * obs.a;
    const double v = obs.a.dot(sa) + s2;  // the variance of y under the component
    const double r = obs.y - obs.a.dot(c.mean);
    GaussianComponent p;
    p.mean = c.mean + sa * (r / v);
    p.cov = c.cov - sa * sa.transpose() / v;
    p.cov = 0.5 * (p.cov + p.cov.transpose());  // exact symmetry for the mixture's check
    log_w.push_back(std::log(c.weight) - 0.5 * (std::log(2 * M_PI * v) + r * r / v));
    post.push_back(p);
  }
  // Normalise in log space: an observation far in the tails must not underflow every weight to 0.
  const double top = *std::max_element(log_w.begin(), log_w.end());
  for (size_t k = 0; k < post.size(); ++k) post[k].weight = std::exp(log_w[k] - top);
  return GaussianMixture(std::move(post));
}

ClassGuidedScore::ClassGuidedScore(GaussianMixture mixture, ClassCondition condition)
    : all_(mixture), one_(class_conditional(mixture, condition.component)), w_(condition.weight) {}

void ClassGuidedScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  Points k;
  all_.score(x, level, out);
  one_.score(x, level, k);
  out = (1.0 - w_) * out + w_ * k;
}

void ClassGuidedScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const {
  Points k;
  Scalars div_k;
  all_.score_and_divergence(x, level, out, div);
  one_.score_and_divergence(x, level, k, div_k);
  out = (1.0 - w_) * out + w_ * k;
  div = (1.0 - w_) * div + w_ * div_k;
}

ObservationGuidedScore::ObservationGuidedScore(std::shared_ptr<const ScoreFunction> base, Observation obs)
    : base_(std::move(base)), obs_(obs) {}

double ObservationGuidedScore::coefficient(const NoiseLevel& level) const {
  const double m = std::max(level.m, 1e-12), r = level.s / m;
  const double v = obs_.sigma * obs_.sigma + r * r * obs_.a.squaredNorm();
  return 1.0 / (m * v);
}

void ObservationGuidedScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  base_->score(x, level, out);
  const double c = coefficient(level), m = std::max(level.m, 1e-12);
  const Eigen::RowVectorXd residual = (obs_.y - (obs_.a.transpose() * x).array() / m).matrix();
  out += c * obs_.a * residual;
}

void ObservationGuidedScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                                  Scalars& div) const {
  base_->score_and_divergence(x, level, out, div);
  const double c = coefficient(level), m = std::max(level.m, 1e-12);
  const Eigen::RowVectorXd residual = (obs_.y - (obs_.a.transpose() * x).array() / m).matrix();
  out += c * obs_.a * residual;
  div.array() -= c * obs_.a.squaredNorm() / m;  // ∇·[c (y − aᵀx/m) a] = −c‖a‖²/m
}

}  // namespace scorelab
