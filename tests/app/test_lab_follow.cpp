// One particle up close and conditional sampling, through the Lab's API on the CPU path (no GL):
//   1. the terms the lab exposes for the followed particle add up to that particle's actual step,
//      for every sampler, and start from where it was before the step;
//   2. following moves a run asked for on the GPU to the CPU and says why;
//   3. a condition wraps the particles' score: class guidance at w = 1 moves the particles to the
//      guided component, and the lab names the exact law it aims at.
#include <doctest/doctest.h>

#include "app/lab/lab.hpp"
#include "tests/app/cpu_lab.hpp"
#include "core/data_source.hpp"
#include "core/samplers/sampler.hpp"

namespace scorelab {
namespace {

LoadedScene small_scene(SamplerKind kind) {
  LoadedScene scene = load_scene_for_view(default_scene_path());  // 8gaussians, VP
  scene.scene.sampler.kind = kind;
  scene.scene.sampler.steps = 30;
  scene.scene.sampler.particles = 64;
  return scene;
}

using test::cpu_lab;

}  // namespace

TEST_CASE("the followed particle's terms add up to its actual step, for every sampler") {
  for (SamplerKind kind : {SamplerKind::langevin, SamplerKind::annealed, SamplerKind::em, SamplerKind::pc,
                           SamplerKind::ode, SamplerKind::ddpm}) {
    CAPTURE(to_string(kind));
    Lab lab = cpu_lab(small_scene(kind));
    REQUIRE(lab.sampler_error().empty());
    constexpr int j = 17;
    lab.follow_particle(j);
    REQUIRE(lab.followed_particle() == j);
    CHECK(lab.followed_step() == nullptr);  // no step yet
    for (int k = 0; k < 5; ++k) {
      const Vec2 before = lab.run().particles().col(j);
      REQUIRE(lab.advance(1) == 1);
      const Vec2 after = lab.run().particles().col(j);
      const StepTrace* trace = lab.followed_step();
      REQUIRE(trace != nullptr);
      CHECK(trace->step == lab.run().step() - 1);
      CHECK(!trace->formula.empty());
      REQUIRE(!trace->terms.empty());
      CHECK((trace->before - before).norm() <= 1e-12 * (1.0 + before.norm()));
      Vec2 sum = trace->before;
      for (const StepTerm& t : trace->terms) sum += t.value;
      // The step moved the particle (not a vacuous sum of zeros) and the terms say by how much.
      CHECK((after - before).norm() > 0.0);
      CHECK((sum - after).norm() <= 1e-9 * (1.0 + after.norm()));
      CHECK(lab.followed_position().has_value());
      CHECK((*lab.followed_position() - after).norm() == 0.0);
    }
  }
}

TEST_CASE("following moves a GPU run to the CPU, says why, and stops cleanly") {
  LoadedScene scene = small_scene(SamplerKind::em);
  Lab lab;
  lab.load(scene);  // asks for the GPU (no GL context here: it runs on the CPU anyway)
  lab.follow_particle(3);
  CHECK(lab.particles().backend == ParticleBackend::cpu);
  CHECK(lab.backend_note().find("following") != std::string::npos);
  lab.advance(2);
  REQUIRE(lab.followed_step() != nullptr);
  lab.update();
  CHECK(lab.followed_path().size() >= 1);
  lab.follow_particle(std::nullopt);
  CHECK(lab.followed_step() == nullptr);
  CHECK(!lab.followed_position());
  lab.follow_particle(1 << 20);  // no such particle: nothing followed
  CHECK(!lab.followed_particle());
}

TEST_CASE("class guidance at w = 1 samples the guided component, and the lab names its exact law") {
  LoadedScene scene = small_scene(SamplerKind::em);
  scene.scene.sampler.steps = 200;
  scene.scene.sampler.particles = 200;
  Lab lab = cpu_lab(scene);
  const std::optional<GaussianMixture> mixture = exact_mixture(scene.scene.data);
  REQUIRE(mixture);
  ConditionSettings c;
  c.kind = ConditionKind::class_guidance;
  c.guidance = {2, 1.0};
  lab.set_condition(c);
  CHECK(lab.condition_note().empty());
  REQUIRE(lab.condition_truth());
  const Vec2 mean = mixture->components()[2].mean;
  CHECK((lab.condition_truth()->mean() - mean).norm() < 1e-12);
  lab.advance(200);
  const Points x = lab.run().particles();
  int near = 0;
  for (Eigen::Index i = 0; i < x.cols(); ++i) near += mixture->most_responsible(x.col(i)) == 2;
  CHECK(near >= 190);  // unguided, about 1/8 of them would be
  // An observation: the exact posterior is a mixture; the run restarted with the guided score.
  c.kind = ConditionKind::observation;
  c.observation = Observation{Vec2(1, 0), 1.5, 0.1};
  lab.set_condition(c);
  CHECK(lab.run().step() == 0);
  REQUIRE(lab.condition_truth());
  CHECK(lab.condition_truth()->size() == mixture->size());  // each component updated
  // The observation pulls the law towards x₁ = 1.5 from the prior's mean.
  CHECK(std::abs(lab.condition_truth()->mean().x() - 1.5) < std::abs(mixture->mean().x() - 1.5));
  // A new scene (new data) starts unconditioned and follows nothing.
  lab.follow_particle(4);
  lab.load(scene);
  CHECK(lab.condition().kind == ConditionKind::none);
  CHECK(!lab.condition_truth());
  CHECK(!lab.followed_particle());
}

}  // namespace scorelab
