// scorelab sample --scene S (--exact | --model M) [--sampler NAME] [--steps N] [--sigma s] [--particles N] [--seed K]
//                 [--condition class=K,w=W] [--observe "A=[a1,a2],y=Y,sigma=S"]
//                 --out samples.csv [--trajectory traj.csv] [--record-every K] [--backend cpu|gpu]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "app/cli/commands.hpp"
#include "app/cli/progress.hpp"
#include "app/cli/score_source.hpp"
#include "app/gpu/gpu_sample.hpp"
#include "core/particle_budget.hpp"
#include "core/conditional.hpp"
#include "core/nn/guided_network.hpp"
#include "core/csv.hpp"
#include "core/file_io.hpp"
#include "core/data_source.hpp"
#include "core/samplers/sampler.hpp"

namespace scorelab {

namespace {
struct SampleOptions {
  std::string scene_path, out, trajectory, sampler;
  ScoreSourceOptions source;
  int particles = 0;  // 0: the scene's
  int steps = 0;      // 0: the scene's
  long long seed = -1;  // < 0: the scene's
  double sigma = -2;     // langevin's σ; < -1: the scene's
  int record_every = 0;  // 0: about 100 frames
  std::string backend = "cpu";  // cpu: core's samplers; gpu: the compute kernels (headless EGL)
  std::string condition;  // class guidance on a mixture (THEORY.md §6)
  std::string observe;    // an inverse problem's observation
};

// The score with the conditions of --condition and --observe applied (core/conditional.hpp).
std::shared_ptr<const ScoreFunction> conditioned_score(const SampleOptions& o, const Scene& scene,
                                                       std::shared_ptr<const ScoreFunction> score) {
  const auto* network = dynamic_cast<const NetworkScore*>(score.get());
  if (!o.condition.empty() && network && network->net().classes() > 0) {
    // A class-conditional model: classifier-free guidance, (1 − w)·s(x, t, ∅) + w·s(x, t, k).
    const ClassCondition c = parse_class_condition(o.condition, network->net().classes());
    auto guided = std::make_shared<ClassifierFreeScore>(network->shared_net(), c.component, c.weight);
    guided->set_trained_sigma(network->trained_sigma());
    score = std::move(guided);
  } else if (!o.condition.empty()) {
    const std::optional<GaussianMixture> mixture = exact_mixture(scene.data);
    if (!mixture || !o.source.exact)
      throw InputError("--condition: class guidance needs --exact and mixture data (the classifier rₖ(x, t) is exact only "
                       "for a mixture), or a class-conditional --model (trained with \"conditional\": true)");
    score = std::make_shared<ClassGuidedScore>(*mixture, parse_class_condition(o.condition, mixture->size()));
  }
  if (!o.observe.empty()) score = std::make_shared<ObservationGuidedScore>(score, parse_observation(o.observe));
  return score;
}

// The trajectory's cost, said before the run (issue 17): both backends stream frames to the file as
// they come, so only the disk is at stake (a note).
void check_trajectory_size(int particles, int steps, int every) {
  const double frames = steps / every + 2.0;
  const double file = frames * particles * 40.0;  // "step,particle,x,y\n" is ~40 bytes a row
  if (file > 1e9)
    std::fprintf(stderr, "scorelab sample: note: the trajectory file will be about %.1f GB (%.0f frames of %d particles)\n",
                 file / 1e9, frames, particles);
}

// What a run reports as it goes, on either backend: recorded frames stream into `trajectory`; a
// progress line when the run is long. `work` estimates the cost in score terms: particles × steps, times
// the data points for the ideal score of a point set (a sum over every point: 10⁶ points make minutes);
// from 10¹¹, tens of seconds and more (the grid-accelerated ideal score is faster).
SampleObserver run_observer(int steps, double work, std::optional<TrajectoryWriter>& trajectory,
                            std::optional<ProgressBar>& progress) {
  SampleObserver observer;
  if (trajectory) observer.frame = [&trajectory](int step, const Points& x) { trajectory->frame(step, x); };
  if (work >= 1e11) {
    progress.emplace("scorelab sample", steps, "steps");
    observer.step = [&progress](int done, int) { progress->update(done); };
  }
  return observer;
}

int run_sample(const SampleOptions& o) {
  // Both outputs before any work: a bad --trajectory must not leave a fresh --out behind.
  check_output_path(o.out, "--out");
  if (!o.trajectory.empty()) check_output_path(o.trajectory, "--trajectory");
  if (!o.trajectory.empty() && std::filesystem::absolute(o.trajectory) == std::filesystem::absolute(o.out))
    throw InputError("--trajectory: the same file as --out (" + clip_for_message(o.out) + ")");
  if (o.backend == "gpu" && (!o.condition.empty() || !o.observe.empty()))
    throw InputError("--condition and --observe run on the CPU only (--backend cpu)");
  Scene scene = load_scene(o.scene_path);
  SamplerConfig config = scene.sampler;
  if (!o.sampler.empty()) config.kind = parse_sampler_kind(o.sampler);
  if (o.particles > 0) config.particles = o.particles;
  if (o.steps > 0) config.steps = o.steps;
  if (o.seed >= 0) config.seed = static_cast<uint32_t>(o.seed);
  if (o.sigma > -2) config.langevin_sigma = o.sigma;
  validate(config, "sampler");
  // The GPU's budget is checked once its context exists (sample_on_gpu).
  if (o.backend == "cpu") check_particle_budget(config.particles, cpu_particle_budget());
  LoadedScore source = load_score_source(o.source, scene);
  const bool source_has_density = source.has_density;
  // Plain Langevin follows one level: for a model trained at train.sigma, that one (unless the scene
  // names its own), not σ_min, where such a network was never trained.
  if (config.kind == SamplerKind::langevin && config.langevin_sigma < 0 && source.trained_sigma)
    config.langevin_sigma = *source.trained_sigma;
  const std::shared_ptr<const ScoreFunction> conditioned =
      conditioned_score(o, scene, std::shared_ptr<const ScoreFunction>(std::move(source.score)));
  const ScoreFunction* score = conditioned.get();
  auto sampler = make_sampler(config, scene.noise, *score);
  if (!sampler->note().empty()) std::fprintf(stderr, "scorelab sample: note: %s\n", sampler->note().c_str());
  int every = 0;
  if (!o.trajectory.empty()) every = o.record_every > 0 ? o.record_every : std::max(1, sampler->num_steps() / 100);
  if (every > 0) check_trajectory_size(config.particles, sampler->num_steps(), every);
  const double terms = o.source.exact && !source_has_density ? double(training_points(scene.data).cols()) : 1.0;
  const double work = double(config.particles) * sampler->num_steps() * terms;
  std::optional<TrajectoryWriter> trajectory;  // frames go to the file as they come, never all in memory
  if (!o.trajectory.empty()) trajectory.emplace(o.trajectory);
  std::optional<ProgressBar> progress;
  const SampleObserver observer = run_observer(sampler->num_steps(), work, trajectory, progress);
  SampleRun run = o.backend == "gpu"
                      ? sample_on_gpu(config, scene.noise, *score, every, observer).run
                      : run_sampler(*sampler, initial_particles(config, scene.noise), every, observer);
  if (!run.x.allFinite()) throw InputError(std::string("the sampler diverged (non-finite particles); ") + divergence_hint(config.kind));
  // The large file first: if it fails (a full disk), --out has not been touched either.
  if (trajectory) trajectory->commit();
  write_points_csv(o.out, run.x);
  std::fprintf(stderr, "scorelab sample: %d particles, %s, %d steps, NFE %ld per particle, %s -> %s\n",
               config.particles, to_string(config.kind), sampler->num_steps(),
               run.nfe * score->evaluations_per_score(), o.backend.c_str(),
               o.out.c_str());
  return 0;
}
}  // namespace

CommandRunner add_sample_command(CLI::App& app) {
  auto o = std::make_shared<SampleOptions>();
  CLI::App* cmd = app.add_subcommand("sample", "Run a sampler and write the particles as CSV (x,y)");
  cmd->add_option("--scene", o->scene_path, "Scene JSON")->required()->check(CLI::ExistingFile);
  add_score_source_flags(*cmd, o->source);
  cmd->add_option("--sampler", o->sampler, "langevin | annealed | em | pc | ode | ddpm (default: the scene's)")
      ->check(CLI::IsMember({"langevin", "annealed", "em", "pc", "ode", "ddpm"}));
  cmd->add_option("--steps", o->steps, "N discretisation steps (langevin: T; annealed: T per level is the scene's; "
                                       "default: the scene's)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--sigma", o->sigma, "langevin: the noise level of the score it follows (0: the data; "
                                       "-1: the schedule's smallest; default: the scene's)")
      ->check(CLI::Range(-1.0, 1e4));
  cmd->add_option("--particles", o->particles, "Number of particles (default: the scene's)")->check(CLI::Range(1, kMaxParticles));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scene's)")->check(CLI::Range(0LL, 4294967295LL));
  cmd->add_option("--out", o->out, "Output CSV of the final particles")->required();
  cmd->add_option("--trajectory", o->trajectory, "Also write the trajectories (step,particle,x,y)")->check(non_empty_path());
  cmd->add_option("--condition", o->condition, "Class guidance on a mixture (with --exact): class=K,w=W samples with "
                                               "∇log pₜ + w·∇log rₖ; w = 1 is the exact p(x | k). With a class-conditional "
                                               "--model: classifier-free guidance (1 − w)·s(x,t,∅) + w·s(x,t,k)");
  cmd->add_option("--observe", o->observe, "Guidance by an observation y = aᵀx + n, n ~ N(0, σ²): \"A=[a1,a2],y=Y,sigma=S\" "
                                           "(the approximation pₜ(y|x) ≈ N(y; aᵀx/m, σ² + (s/m)²‖a‖²))");
  cmd->add_option("--backend", o->backend, "cpu (core, default) | gpu (GLSL compute, headless EGL)")
      ->check(CLI::IsMember({"cpu", "gpu"}));
  cmd->add_option("--record-every", o->record_every, "Trajectory: record every K steps (default: ~100 frames)")
      ->check(CLI::Range(1, 1000000));
  return [o] { return run_sample(*o); };
}

}  // namespace scorelab
