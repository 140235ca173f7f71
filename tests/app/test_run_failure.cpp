// The failure banner's content and the lab's part in it (issue 17, class 6), without a window:
//   1. run_failure() says nothing when everything runs, and names the first failure in fixing order
//      (refused run, diverged particles, diverged training, refused training settings) with what to
//      change: a step size only for the samplers that have one;
//   2. a Lab whose Langevin run overflows reports the diverged particles; a stable one reports none;
//   3. the banner's white on dark red reads at ≥ 7:1 (projectors wash colours out).
#include <doctest/doctest.h>

#include <limits>

#include "app/lab/lab.hpp"
#include "app/plane/color_map.hpp"
#include "app/render/failure_banner.hpp"
#include "tests/app/cpu_lab.hpp"

namespace scorelab {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Lab langevin_lab(double eps) {
  LoadedScene scene = load_scene_for_view(default_scene_path());  // 8gaussians, VP
  scene.scene.sampler.kind = SamplerKind::langevin;
  scene.scene.sampler.eps = eps;
  scene.scene.sampler.steps = 200;
  scene.scene.sampler.particles = 100;
  return test::cpu_lab(scene);
}

}  // namespace

TEST_CASE("run_failure: none when all runs, else the first failure with what to change") {
  CHECK(!run_failure(RunHealth{}).has_value());
  RunHealth h;
  h.particles = 10;
  h.non_finite = 3;
  h.sampler = SamplerKind::langevin;
  std::optional<RunFailure> f = run_failure(h);
  REQUIRE(f.has_value());
  CHECK(f->what == "The sampler diverged: 3 of 10 particles are NaN or infinite");
  CHECK(has(f->change, "sampler.eps"));
  CHECK(f->line() == f->what + ". " + f->change);
  h.sampler = SamplerKind::ddpm;  // no step size to shrink (issue 17, class 7)
  CHECK(!has(run_failure(h)->change, "sampler.eps"));
  CHECK(!has(run_failure(h)->change, "smaller step"));
  CHECK(has(run_failure(h)->change, "more steps"));

  TrainerStatus diverged;
  diverged.state = TrainerState::diverged;
  diverged.message = "loss is nan at step 12";
  h.training = diverged;
  CHECK(has(run_failure(h)->what, "sampler diverged"));  // the particles first
  h.non_finite = 0;
  CHECK(has(run_failure(h)->what, "Training diverged and stopped (loss is nan at step 12)"));
  CHECK(has(run_failure(h)->what, "last good weights"));
  CHECK(has(run_failure(h)->change, "learning rate"));
  h.sampler_error = "scene.sampler.steps: must be an integer in [1, 100000]";
  CHECK(has(run_failure(h)->what, "refused: scene.sampler.steps"));  // a refused run before all

  RunHealth t;
  t.trainer_error = "scene.train.lr: must be in (0, 1]";
  CHECK(has(run_failure(t)->what, "training settings were refused: scene.train.lr"));
  t.training = TrainerStatus{};  // running: no failure of its own
  CHECK(run_failure(t).has_value());
}

TEST_CASE("count_non_finite counts columns with NaN or infinity once") {
  Points x = Points::Zero(2, 5);
  CHECK(count_non_finite(x) == 0);
  x(0, 1) = std::numeric_limits<double>::quiet_NaN();
  x(1, 1) = std::numeric_limits<double>::infinity();
  x(1, 3) = -std::numeric_limits<double>::infinity();
  CHECK(count_non_finite(x) == 2);
  CHECK(count_non_finite(Points(2, 0)) == 0);
}

TEST_CASE("a lab whose Langevin run overflows reports it; a stable one does not") {
  Lab diverging = langevin_lab(10.0);  // |1 − ε/(2σ²)| ≫ 1 at the data's small levels
  REQUIRE(diverging.sampler_error().empty());
  diverging.advance(200);
  diverging.check_particles_now();
  const std::optional<RunFailure> f = diverging.run_failure();
  REQUIRE(f.has_value());
  CHECK(has(f->what, "The sampler diverged"));
  CHECK(has(f->what, "of 100 particles"));
  CHECK(has(f->change, "sampler.eps"));
  diverging.restart();  // a new run starts clean
  CHECK(!diverging.run_failure().has_value());

  Lab stable = langevin_lab(1e-3);
  stable.advance(200);
  stable.check_particles_now();
  CHECK(!stable.run_failure().has_value());
}

TEST_CASE("the failure banner's text reads at 7:1 on its plate") {
  CHECK(contrast_ratio(failure_text_color(), failure_plate_color()) >= 7.0);
  CHECK(failure_plate_color().a == 1.0f);  // opaque: the same in both themes, over any picture
}

}  // namespace scorelab
