// Every particle, schedule and training control at both ends (issue 17, "extreme controls"), through
// the lab's API on the CPU path (no window): each setting is either refused with one clear line (the
// Particles and Noise panels show it) or runs, and a run either keeps every particle finite or
// reports the divergence (the plane's failure banner, run_failure.hpp). Never a NaN drawn without a
// notice, never a hang: each case is bounded in steps and timed. The ends are the panels' slider
// ends and the scene file's limits (core's validate()), one beyond them for the refusals.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>

#include "app/lab/lab.hpp"
#include "core/particle_budget.hpp"
#include "core/data_source.hpp"
#include "core/samplers/sampler.hpp"
#include "core/training/training_run.hpp"

namespace scorelab {
namespace {

// What a case must end in: refused with a line; finite particles; or finite unless the lab reports a
// divergence (a Langevin step at the scene file's largest ε diverges by design: the banner says so).
enum class Expect { refused, finite, finite_or_reported };
enum class Outcome { not_paired, refused, finite, reported };

struct Case {
  const char* name;
  std::function<void(Scene&)> set;
  Expect expect;
};

constexpr double kCaseSeconds = 20.0;  // far above a case's cost (well under a second): a hang fails

const LoadedScene& base_scene() {
  static const LoadedScene scene = [] {
    LoadedScene s = load_scene_for_view(default_scene_path());  // 8 Gaussians, VP, PC
    s.scene.sampler.particles = 100;
    s.scene.sampler.steps = 60;
    return s;
  }();
  return scene;
}

bool one_clear_line(const std::string& message) {
  return !message.empty() && message.size() <= 300 && message.find('\n') == std::string::npos;
}

LoadedScene scene_for(SamplerKind kind, NoiseKind noise) {
  LoadedScene scene = base_scene();
  scene.scene.sampler.kind = kind;
  scene.scene.noise.kind = noise;
  if (noise == NoiseKind::geometric || noise == NoiseKind::ve) {
    scene.scene.noise.sigma_min = 0.01;
    scene.scene.noise.sigma_max = 10.0;
  }
  return scene;
}

// Whether the sampler runs on the schedule at all (DDPM wants a VP-type SDE, ...): a pairing refused
// before any control moves says nothing about the controls' ends.
bool pairing_runs(SamplerKind kind, NoiseKind noise) {
  const LoadedScene scene = scene_for(kind, noise);
  try {
    const std::unique_ptr<ScoreFunction> score = exact_score(scene.scene.data);
    (void)make_sampler(scene.scene.sampler, scene.scene.noise, *score);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

// Runs one case for one sampler: validation, the lab's run (at most `max_steps` steps), the verdict.
Outcome run_case(const Case& c, SamplerKind kind, NoiseKind noise, int max_steps = 400) {
  if (!pairing_runs(kind, noise)) return Outcome::not_paired;
  LoadedScene scene = scene_for(kind, noise);
  c.set(scene.scene);
  CAPTURE(c.name);
  CAPTURE(to_string(kind));
  CAPTURE(static_cast<int>(noise));
  const auto start = std::chrono::steady_clock::now();
  Outcome outcome = Outcome::refused;
  std::string refusal;
  try {
    validate(scene.scene.noise);
    validate(scene.scene.sampler);
  } catch (const InputError& e) {
    refusal = e.what();
  }
  if (refusal.empty()) {
    Lab lab;
    ParticleSettings p = lab.particles();
    p.backend = ParticleBackend::cpu;
    lab.set_particles(p);
    lab.load(scene);
    refusal = lab.sampler_error();
    if (refusal.empty()) {
      lab.advance(std::min(max_steps, lab.run().num_steps()));
      lab.check_particles_now();
      const Points x = lab.run().particles();
      const std::optional<RunFailure> failure = lab.run_failure();
      CHECK(x.cols() == scene.scene.sampler.particles);
      if (c.expect == Expect::refused) FAIL("accepted a setting that should be refused");
      if (c.expect == Expect::finite) CHECK(x.allFinite());
      outcome = x.allFinite() ? Outcome::finite : Outcome::reported;
      if (!x.allFinite()) {  // never a NaN on the plane without the banner saying so
        REQUIRE(failure.has_value());
        CHECK(failure->what.find("diverged") != std::string::npos);
        CHECK(one_clear_line(failure->line()));
      }
    }
  }
  if (!refusal.empty()) {
    CHECK(c.expect == Expect::refused);
    CHECK(one_clear_line(refusal));
  }
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < kCaseSeconds);
  return outcome;
}

const SamplerKind kSamplers[] = {SamplerKind::langevin, SamplerKind::annealed, SamplerKind::em,
                                 SamplerKind::pc,       SamplerKind::ode,      SamplerKind::ddpm};

}  // namespace

TEST_CASE("sampler controls at both ends: refused with a line, or finite, or the divergence reported") {
  const Case cases[] = {
      {"0 particles", [](Scene& s) { s.sampler.particles = 0; }, Expect::refused},
      {"1 particle", [](Scene& s) { s.sampler.particles = 1; }, Expect::finite},
      {"4000001 particles (one above the CPU path's ceiling, where the slider ends there)",
       [](Scene& s) { s.sampler.particles = 4000001; }, Expect::refused},
      {"0 steps", [](Scene& s) { s.sampler.steps = 0; }, Expect::refused},
      {"1 step", [](Scene& s) { s.sampler.steps = 1; }, Expect::finite},
      {"100000 steps (the file's limit), 400 of them run", [](Scene& s) { s.sampler.steps = 100000; },
       Expect::finite},
      {"100001 steps", [](Scene& s) { s.sampler.steps = 100001; }, Expect::refused},
      {"eps 0", [](Scene& s) { s.sampler.eps = 0.0; }, Expect::refused},
      {"eps 1e6", [](Scene& s) { s.sampler.eps = 1e6; }, Expect::refused},
      {"eps 1e-7 (the slider's end)", [](Scene& s) { s.sampler.eps = 1e-7; }, Expect::finite},
      {"eps 10 (the file's limit), 400 steps",
       [](Scene& s) {
         s.sampler.eps = 10.0;
         s.sampler.steps = 400;
       },
       Expect::finite_or_reported},
      {"1 Langevin step per level", [](Scene& s) { s.sampler.steps_per_level = 1; }, Expect::finite},
      {"1000 Langevin steps per level", [](Scene& s) { s.sampler.steps_per_level = 1000; }, Expect::finite},
      {"0 steps per level", [](Scene& s) { s.sampler.steps_per_level = 0; }, Expect::refused},
      {"snr 0.001", [](Scene& s) { s.sampler.snr = 0.001; }, Expect::finite},
      {"snr 1", [](Scene& s) { s.sampler.snr = 1.0; }, Expect::finite_or_reported},
      {"0 corrector steps", [](Scene& s) { s.sampler.corrector_steps = 0; }, Expect::finite},
      {"10 corrector steps", [](Scene& s) { s.sampler.corrector_steps = 10; }, Expect::finite_or_reported},
      {"S_churn 100", [](Scene& s) { s.sampler.s_churn = 100.0; }, Expect::finite},
  };
  int outcomes[4] = {};
  for (const Case& c : cases)
    for (SamplerKind kind : kSamplers) ++outcomes[static_cast<int>(run_case(c, kind, NoiseKind::vp))];
  MESSAGE("sampler ends: " << outcomes[1] << " refused, " << outcomes[2] << " finite, " << outcomes[3]
                           << " diverged and reported, " << outcomes[0] << " sampler/schedule pairs that do not run");
  // The banner's path is exercised: plain Langevin at the file's largest ε (cases[10]) diverges.
  REQUIRE(std::string(cases[10].name).rfind("eps 10", 0) == 0);
  CHECK(run_case(cases[10], SamplerKind::langevin, NoiseKind::vp) == Outcome::reported);
}

TEST_CASE("schedule controls at both ends, for every sampler") {
  const Case cases[] = {
      {"sigma_min = sigma_max", [](Scene& s) { s.noise.sigma_min = s.noise.sigma_max = 1.0; }, Expect::refused},
      {"sigma_min 1e-3, sigma_max 200 (the sliders' ends)",
       [](Scene& s) {
         s.noise.sigma_min = 1e-3;
         s.noise.sigma_max = 200.0;
       },
       Expect::finite_or_reported},
      {"sigma_min 10, sigma_max 10.5 (both near the top)",
       [](Scene& s) {
         s.noise.sigma_min = 10.0;
         s.noise.sigma_max = 10.5;
       },
       Expect::finite},
      {"2 levels", [](Scene& s) { s.noise.levels = 2; }, Expect::finite},
      {"1000 levels", [](Scene& s) { s.noise.levels = 1000; }, Expect::finite},
      {"1 level", [](Scene& s) { s.noise.levels = 1; }, Expect::refused},
  };
  for (const Case& c : cases)
    for (NoiseKind noise : {NoiseKind::geometric, NoiseKind::ve})
      for (SamplerKind kind : kSamplers) run_case(c, kind, noise);

  const Case betas[] = {
      {"beta_min = beta_max", [](Scene& s) { s.noise.beta_min = s.noise.beta_max = 1.0; }, Expect::finite},
      {"beta_min 1e-3, beta_max 100 (the sliders' ends)",
       [](Scene& s) {
         s.noise.beta_min = 1e-3;
         s.noise.beta_max = 100.0;
       },
       Expect::finite},
      {"beta_min 10, beta_max 0.1 (crossed)",
       [](Scene& s) {
         s.noise.beta_min = 10.0;
         s.noise.beta_max = 0.1;
       },
       Expect::refused},
      {"beta_min 0", [](Scene& s) { s.noise.beta_min = 0.0; }, Expect::refused},
  };
  for (const Case& c : betas)
    for (NoiseKind noise : {NoiseKind::vp, NoiseKind::subvp})
      for (SamplerKind kind : kSamplers) run_case(c, kind, noise);
}

TEST_CASE("the most particles the CPU path's panel allows run a step; one more is refused with the limit named") {
  const Case most{"4000000 particles", [](Scene& s) { s.sampler.particles = 4000000; }, Expect::finite};
  run_case(most, SamplerKind::em, NoiseKind::vp, 1);
  LoadedScene scene = base_scene();
  scene.scene.sampler.particles = 4000001;
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;
  lab.set_particles(p);
  lab.load(scene);
  CHECK(lab.sampler_error().find("at most 4000000") != std::string::npos);
  CHECK(one_clear_line(lab.sampler_error()));
  // Past the scene's ceiling (what the largest card holds): refused by validation, the ceiling named.
  SamplerConfig c = base_scene().scene.sampler;
  c.particles = kMaxParticles + 1;
  try {
    validate(c);
    FAIL("100000001 particles accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("100000000") != std::string::npos);
  }
}

TEST_CASE("learning rate, batch and EMA at both ends: refused with a line, or training stays finite or stops "
          "with a reason") {
  const LoadedScene& scene = base_scene();
  struct TrainCase {
    const char* name;
    std::function<void(TrainConfig&)> set;
    bool refused;
  };
  const TrainCase cases[] = {
      {"lr 0", [](TrainConfig& t) { t.lr = 0.0; }, true},
      {"lr 1e6", [](TrainConfig& t) { t.lr = 1e6; }, true},
      {"lr 1e-5 (the slider's end)", [](TrainConfig& t) { t.lr = 1e-5; }, false},
      {"lr 0.1 (the slider's end)", [](TrainConfig& t) { t.lr = 0.1; }, false},
      {"lr 1 (the file's limit)", [](TrainConfig& t) { t.lr = 1.0; }, false},
      {"batch 16", [](TrainConfig& t) { t.batch = 16; }, false},
      {"batch 4096", [](TrainConfig& t) { t.batch = 4096; }, false},
      {"batch 0", [](TrainConfig& t) { t.batch = 0; }, true},
      {"ema 0", [](TrainConfig& t) { t.ema = 0.0; }, false},
      {"ema 0.9999", [](TrainConfig& t) { t.ema = 0.9999; }, false},
      {"ema 1", [](TrainConfig& t) { t.ema = 1.0; }, true},
  };
  ModelConfig model;
  model.hidden = {32, 32};
  for (const TrainCase& c : cases) {
    CAPTURE(c.name);
    TrainConfig train = default_train_config(scene.scene.noise.kind);
    c.set(train);
    const auto start = std::chrono::steady_clock::now();
    try {
      validate(train);
      CHECK_FALSE(c.refused);
      TrainingRun run(scene.points, scene.scene.noise, model, train);
      std::string problem;
      for (int k = 0; k < 40 && problem.empty(); ++k) problem = run.step().problem;
      // Healthy: the network the field and particles would use is finite. Stopped: it says why (the
      // trainer keeps the last good weights, and the banner shows the reason).
      if (problem.empty()) CHECK(run.ema_net().params().allFinite());
      else CHECK(one_clear_line(problem));
    } catch (const InputError& e) {
      CHECK(c.refused);
      CHECK(one_clear_line(e.what()));
    }
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < kCaseSeconds);
  }
}

}  // namespace scorelab
