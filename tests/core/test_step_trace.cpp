// Following one particle (Sampler::follow, the GUI's close-up): for every sampler, the recorded terms
// add up to the particle's actual step, and following changes no particle.
#include <doctest/doctest.h>

#include "core/mixture.hpp"
#include "core/samplers/sampler.hpp"

using namespace scorelab;

namespace {

GaussianMixture two_modes() {
  return GaussianMixture({{0.3, Vec2(-1.5, 0), Mat2::Identity() * 0.2}, {0.7, Vec2(1.5, 0.5), Mat2::Identity() * 0.3}});
}

struct Case {
  const char* name;
  SamplerKind kind;
  OdeSolver solver;
  NoiseKind noise;
  bool denoise;
  double churn;
};

}  // namespace

TEST_CASE("the followed particle's terms add up to its step, for every sampler; following changes nothing") {
  const Case cases[] = {
      {"langevin", SamplerKind::langevin, OdeSolver::rk4, NoiseKind::geometric, false, 0},
      {"annealed + denoise", SamplerKind::annealed, OdeSolver::rk4, NoiseKind::geometric, true, 0},
      {"em", SamplerKind::em, OdeSolver::euler, NoiseKind::vp, false, 0},
      {"em heun + denoise", SamplerKind::em, OdeSolver::heun, NoiseKind::vp, true, 0},
      {"pc", SamplerKind::pc, OdeSolver::euler, NoiseKind::ve, false, 0},
      {"ode euler", SamplerKind::ode, OdeSolver::euler, NoiseKind::vp, false, 0},
      {"ode heun edm churn", SamplerKind::ode, OdeSolver::heun, NoiseKind::edm, false, 10},
      {"ode rk4", SamplerKind::ode, OdeSolver::rk4, NoiseKind::subvp, false, 0},
      {"ddpm + denoise", SamplerKind::ddpm, OdeSolver::rk4, NoiseKind::vp, true, 0},
  };
  const MixtureScore score(two_modes());
  for (const Case& c : cases) {
    CAPTURE(c.name);
    SamplerConfig config;
    config.kind = c.kind;
    config.solver = c.solver;
    config.steps = 12;
    config.steps_per_level = 2;
    config.corrector_steps = 2;
    config.denoise = c.denoise;
    config.s_churn = c.churn;
    config.particles = 40;
    config.seed = 3;
    config.eps = 0.01;
    config.eps_auto = false;
    NoiseConfig noise;
    noise.kind = c.noise;
    noise.sigma_max = 5;
    noise.levels = 4;
    auto followed = make_sampler(config, noise, score), plain = make_sampler(config, noise, score);
    followed->follow(Eigen::Index(7));
    Points x = initial_particles(config, noise), y = x;
    for (int k = 0; k < followed->num_steps(); ++k) {
      CAPTURE(k);
      const Vec2 before = x.col(7);
      followed->step(k, x);
      plain->step(k, y);
      const StepTrace& t = followed->trace();
      REQUIRE(t.step == k);
      CHECK(!t.formula.empty());
      CHECK(t.before == before);
      REQUIRE(!t.terms.empty());
      Vec2 sum = Vec2::Zero();
      for (const StepTerm& term : t.terms) {
        CHECK(!term.symbol.empty());
        sum += term.value;
      }
      const Vec2 step = x.col(7) - before;
      CHECK((sum - step).norm() <= 1e-12 * (1 + before.norm() + step.norm()));
      CHECK(x == y);  // bit-identical: the trace only reads
    }
  }
}

TEST_CASE("a followed column outside the population records nothing; follow(nullopt) stops") {
  const MixtureScore score(two_modes());
  SamplerConfig config;
  config.kind = SamplerKind::em;
  config.particles = 5;
  NoiseConfig noise;
  noise.kind = NoiseKind::vp;
  auto sampler = make_sampler(config, noise, score);
  Points x = initial_particles(config, noise);
  sampler->follow(Eigen::Index(9));
  sampler->step(0, x);
  CHECK(sampler->trace().terms.empty());
  sampler->follow(Eigen::Index(2));
  sampler->step(1, x);
  CHECK(sampler->trace().terms.size() == 3);  // −f·x·h, g²·s·h, g√h·z
  sampler->follow(std::nullopt);
  sampler->step(2, x);
  CHECK(sampler->trace().step == -1);
}
