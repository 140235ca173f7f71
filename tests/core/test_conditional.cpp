// Conditional sampling (core/conditional.hpp, THEORY.md §6): class guidance on a mixture is exact at
// w = 1, the exact posterior of an inverse problem matches rejection sampling, and the approximate
// observation guidance is measured against it (reported, not asserted small: it is an approximation).
#include <doctest/doctest.h>

#include <cmath>

#include "core/conditional.hpp"
#include "core/metrics.hpp"
#include "core/rng.hpp"
#include "core/samplers/sampler.hpp"

using namespace scorelab;

namespace {

GaussianMixture three_modes() {
  Mat2 a, b, c;
  a << 0.5, 0.2, 0.2, 0.3;
  b << 0.3, -0.1, -0.1, 0.4;
  c << 0.6, 0, 0, 0.15;
  return GaussianMixture({{0.5, Vec2(-2, -1), a}, {0.3, Vec2(2, -1), b}, {0.2, Vec2(0, 2), c}});
}

SamplerConfig pc_config(int particles) {
  SamplerConfig c;
  c.kind = SamplerKind::pc;
  c.steps = 300;
  c.snr = 0.16;
  c.particles = particles;
  c.seed = 4;
  c.init.kind = InitKind::prior;
  return c;
}

NoiseConfig vp() {
  NoiseConfig n;
  n.kind = NoiseKind::vp;
  return n;
}

// MMD² of a sample against a mixture, and the bound of its two-sample noise floor at the same size.
std::pair<double, double> mmd_and_bound(const Points& x, const GaussianMixture& truth) {
  const int n = int(x.cols());
  const Points ref = truth.sample(n, 77);
  const std::vector<double> bw = default_bandwidths(ref);
  const TruthSampler draw = [&](int k, uint32_t seed) { return truth.sample(k, seed); };
  return {mmd2_unbiased(x, ref, bw), mmd2_noise_floor(draw, n, 40, bw, 9).bound};
}

}  // namespace

TEST_CASE("class guidance: w = 0 is the plain score, w = 1 the component's, and ∇log rₖ in between") {
  const GaussianMixture mix = three_modes();
  const Points x = mix.sample(64, 1) * 1.5;
  const NoiseLevel level{0.4, 0.7, 0.6};
  Points plain, guided0, guided1, guided3, comp;
  MixtureScore(mix).score(x, level, plain);
  MixtureScore(class_conditional(mix, 2)).score(x, level, comp);
  ClassGuidedScore(mix, {2, 0.0}).score(x, level, guided0);
  ClassGuidedScore(mix, {2, 1.0}).score(x, level, guided1);
  ClassGuidedScore(mix, {2, 3.0}).score(x, level, guided3);
  CHECK((guided0 - plain).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((guided1 - comp).cwiseAbs().maxCoeff() < 1e-12);
  // w·∇log rₖ with rₖ = π₂N₂,ₜ/pₜ, by central differences of log rₖ.
  const GaussianMixture noised = mix.noised(level), one = class_conditional(mix, 2).noised(level);
  const double h = 1e-5;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    Vec2 grad;
    for (int d = 0; d < 2; ++d) {
      Vec2 e = Vec2::Zero();
      e[d] = h;
      const auto log_r = [&](const Vec2& p) { return one.log_prob(p) - noised.log_prob(p); };
      grad[d] = (log_r(x.col(j) + e) - log_r(x.col(j) - e)) / (2 * h);
    }
    CHECK((guided3.col(j) - plain.col(j) - 3.0 * grad).norm() < 1e-5 * (1 + grad.norm()));
  }
}

TEST_CASE("class guidance at w = 1 with the exact score samples the exact p(x | k)" *
          doctest::test_suite("statistical")) {
  const GaussianMixture mix = three_modes();
  for (int k : {0, 2}) {
    CAPTURE(k);
    const ClassGuidedScore score(mix, {k, 1.0});
    const Points x = sample(pc_config(2000), vp(), score).x;
    const auto [mmd, bound] = mmd_and_bound(x, class_conditional(mix, k));
    CHECK(mmd < bound);
    // The other modes are empty: every sample's most responsible component is k.
    CHECK(mode_weights(mix, x)[k] > 0.99);
  }
  // w = 4 sharpens the class: the samples move to where the classifier is surest, log r₁(x) higher
  // on average than under p(x | 1) itself (w = 1); component 1 lies 4 from component 0. It does not narrow the component: near its core
  // r₁ ≈ 1 already and the guidance term vanishes.
  const auto mean_log_r = [&](const Points& p) {
    Scalars log_all, log_one;
    mix.log_prob(p, log_all);
    class_conditional(mix, 1).log_prob(p, log_one);
    return (log_one.array() + std::log(mix.components()[1].weight) - log_all.array()).mean();
  };
  const Points w1 = sample(pc_config(2000), vp(), ClassGuidedScore(mix, {1, 1.0})).x;
  const Points w4 = sample(pc_config(2000), vp(), ClassGuidedScore(mix, {1, 4.0})).x;
  MESSAGE("mean log r_1 under the samples: w = 1 " << mean_log_r(w1) << ", w = 4 " << mean_log_r(w4));
  CHECK(mean_log_r(w4) > 0.5 * mean_log_r(w1));  // log r < 0: at least halfway closer to certainty
}

TEST_CASE("the exact posterior of a mixture matches rejection sampling" * doctest::test_suite("statistical")) {
  const GaussianMixture prior = three_modes();
  const Observation obs{Vec2(1, 0.5), 0.3, 0.4};
  const GaussianMixture post = exact_posterior(prior, obs);
  // Rejection: draw from the prior, keep with probability N(y; aᵀx, σ²)/max = exp(−(y − aᵀx)²/2σ²).
  const Points draws = prior.sample(200000, 5);
  std::vector<Eigen::Index> kept;
  for (Eigen::Index j = 0; j < draws.cols(); ++j) {
    const double r = obs.y - obs.a.dot(draws.col(j));
    if (uniform01(11, uint32_t(j), 0) < std::exp(-0.5 * r * r / (obs.sigma * obs.sigma))) kept.push_back(j);
  }
  REQUIRE(kept.size() > 2000);
  Points accepted(2, 2000);
  for (int i = 0; i < 2000; ++i) accepted.col(i) = draws.col(kept[size_t(i)]);
  const auto [mmd, bound] = mmd_and_bound(accepted, post);
  CHECK(mmd < bound);
}

TEST_CASE("observation guidance over the exact score: how far the approximation lands from the posterior" *
          doctest::test_suite("statistical")) {
  const GaussianMixture prior = three_modes();
  const Observation obs{Vec2(1, 0), 1.5, 0.2};
  auto base = std::make_shared<MixtureScore>(prior);
  const ObservationGuidedScore guided(base, obs);
  const Points x = sample(pc_config(2000), vp(), guided).x;
  REQUIRE(x.allFinite());
  const auto [mmd, bound] = mmd_and_bound(x, exact_posterior(prior, obs));
  MESSAGE("approximate guidance, y = x1 + n = 1.5, sigma_y 0.2: MMD^2 " << mmd << " against a noise floor of " << bound);
  // The observation holds on average: aᵀx is near y (within a few σ_y plus the approximation's bias).
  CHECK(std::abs((obs.a.transpose() * x).mean() - obs.y) < 0.5);
}

TEST_CASE("observation guidance: its divergence matches central differences") {
  auto base = std::make_shared<MixtureScore>(three_modes());
  const ObservationGuidedScore guided(base, Observation{Vec2(0.6, -0.8), 0.2, 0.3});
  const Points x = three_modes().sample(16, 2);
  const NoiseLevel level{0.5, 0.6, 0.8};
  Points s, sp, sm;
  Scalars div;
  guided.score_and_divergence(x, level, s, div);
  const double h = 1e-5;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    double fd = 0;
    for (int d = 0; d < 2; ++d) {
      Points p = x.col(j), m = x.col(j);
      p(d, 0) += h;
      m(d, 0) -= h;
      guided.score(p, level, sp);
      guided.score(m, level, sm);
      fd += (sp(d, 0) - sm(d, 0)) / (2 * h);
    }
    CHECK(div[j] == doctest::Approx(fd).epsilon(1e-5));
  }
}

TEST_CASE("condition and observation specs: read, and refused with one line naming the problem") {
  const ClassCondition c = parse_class_condition("class=2,w=4.5", 3);
  CHECK(c.component == 2);
  CHECK(c.weight == 4.5);
  const Observation o = parse_observation("A=[1,0.5],y=-1.5,sigma=0.1");
  CHECK(o.a == Vec2(1, 0.5));
  CHECK(o.y == -1.5);
  CHECK(o.sigma == 0.1);
  const auto error = [](auto f) {
    try {
      f();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error([] { parse_class_condition("class=3", 3); }) == "--condition: class=3: expected a component index in [0, 2]");
  CHECK(error([] { parse_class_condition("w=2", 3); }) == "--condition: missing class=K");
  CHECK(error([] { parse_class_condition("class=1,w=nan", 3); }) == "--condition: w='nan': expected a finite number");
  CHECK(error([] { parse_class_condition("klass=1", 3); }) == "--condition: unknown key 'klass' (expected class, w)");
  CHECK(error([] { parse_observation("A=[0,0],y=1"); }) == "--observe: A=[0,0]: must not be zero");
  CHECK(error([] { parse_observation("A=[1,0],y=1,sigma=0"); }) == "--observe: sigma=0: expected a value in [0.001, 1000]");
  CHECK(error([] { parse_observation("A=1,y=1"); }) == "--observe: A=1: expected [a1,a2]");
  CHECK(error([] { parse_observation("A=[1,0]"); }) == "--observe: missing y=Y");
}
