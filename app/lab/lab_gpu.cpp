#include "app/lab/lab_gpu.hpp"

#include <algorithm>
#include <chrono>

#include "app/gl/capabilities.hpp"
#include "app/gpu/gpu_particle_budget.hpp"

namespace scorelab {
namespace {

template <class T>
bool ready(const std::future<T>& f) {
  return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

void reset_pace(LabState& lab) {
  lab.pace.reset();  // the other path's cost per step says nothing about this one
  lab.stepping_frame_s = 0.0;
  lab.frame_stepped = false;
}


// The network change `score` stands for: the current one when it is the learned network, else 0.
uint64_t change_of(const LabState& lab, const ScoreFunction* score) {
  return score != nullptr && score == lab.learned.get() ? lab.network_change : 0;
}

// Whether `engine`'s kernels fit `score`; the learned network is checked against its shared upload
// (no upload of its own).
bool kernels_fit(LabState& lab, const GpuParticleEngine& engine, const ScoreFunction& score) {
  if (&score == lab.learned.get())
    if (const std::shared_ptr<const GpuScore> shared = uploaded_network_of(lab)) return engine.kernels_fit(*shared);
  return engine.kernels_fit(score);
}

// The kernels of the current score, built off the UI thread for the running (reverse) sampler.
void rebuild_for_current_score(LabState& lab) {
  const std::shared_ptr<const ScoreFunction> target = sampler_target(lab);
  if (std::string why = cpu_first_reason(lab, *target); !why.empty()) {
    lab.particles.backend = ParticleBackend::cpu;  // the switch shows where the particles are
    lab.backend_note = std::move(why);
    return;
  }
  const SamplerConfig config = lab.run.config();
  const NoiseConfig noise = lab.run_noise;
  const Points x0 = lab.run.particles();
  build_gpu_async(lab, [=] { return std::make_unique<GpuParticleEngine>(config, noise, *target, x0); }, target);
}

}  // namespace

// The run continues on the CPU from the current particles at the current step (a step under way in
// slices is dropped; the noise of each step is drawn from its counter, so nothing else changes).
void continue_on_cpu(LabState& lab) {
  ParticleEngine* engine = lab.run.engine();
  engine->abandon_step();
  Points x = engine->positions();
  std::unique_ptr<Sampler> sampler = make_sampler(lab.run.config(), lab.run_noise, lab.sampler_score);
  lab.run.switch_engine(std::make_unique<CpuParticleEngine>(std::move(sampler), std::move(x)));
  lab.gpu_score_source = nullptr;
  lab.gpu_score_change = 0;
  reset_pace(lab);
}

std::string cpu_first_reason(const LabState& lab, const ScoreFunction& score) {
  // Only the GUI (it has the worker) picks for the user; the exporter and the CLI do as told.
  if (!lab.gl_worker || dynamic_cast<const NetworkScore*>(&score) == nullptr || !software_gl()) return {};
  // Measured (default scene, shader cache off): the window's first dispatch of the network kernel
  // took 76 s, after the worker had compiled and run it — llvmpipe builds its machine code per
  // context at first dispatch, so no worker can do it for the window's context.
  return "a network on a software renderer (llvmpipe) steps faster on the CPU, and its GPU kernel would "
         "freeze the window for a minute or more at its first step";
}

bool compile_off_thread(const LabState& lab) { return lab.gl_worker && !software_gl(); }

void build_gpu_async(LabState& lab, GpuEngineFactory make, std::shared_ptr<const ScoreFunction> score) {
  lab.gpu_build.score = std::move(score);
  lab.gpu_build.wanted = std::make_shared<const bool>(true);
  const std::weak_ptr<const bool> wanted = lab.gpu_build.wanted;
  // Ahead of a queued speed probe: the run waits for this one.
  lab.gpu_build.engine = lab.gl_worker->submit([make = std::move(make), wanted]() -> std::unique_ptr<GpuParticleEngine> {
    if (wanted.expired()) return nullptr;  // restarted meanwhile: a compile of minutes saved
    std::unique_ptr<GpuParticleEngine> engine = make();
    // A first step: llvmpipe compiles a kernel at its first dispatch, not at glLinkProgram.
    engine->step(0);
    return engine;
  }, true);
}

void take_ready_gpu(LabState& lab) {
  if (!ready(lab.gpu_build.engine) || lab.scrub >= 0) return;  // scrubbing shows the CPU engine's frames
  GpuBuild build = std::move(lab.gpu_build);
  lab.gpu_build = GpuBuild{};
  std::unique_ptr<GpuParticleEngine> engine;
  try {
    engine = build.engine.get();
  } catch (const std::exception& e) {
    lab.backend_note = e.what();  // as when the GPU engine failed inline: the run stays on the CPU
    return;
  }
  if (!engine) return;
  if (!lab.particles.forward && !kernels_fit(lab, *engine, *lab.sampler_score.get())) {
    rebuild_for_current_score(lab);  // the score changed kind meanwhile (exact → learned)
    return;
  }
  engine->set_positions(lab.run.particles());  // the CPU engine is always at a step boundary
  lab.run.switch_engine(std::move(engine));
  lab.gpu_score_source = build.score.get();
  lab.gpu_score_change = change_of(lab, build.score.get());
  reset_pace(lab);
}

void follow_score_on_gpu(LabState& lab) {
  GpuParticleEngine* gpu = lab.run.started() ? lab.run.engine()->as_gpu() : nullptr;
  const ScoreFunction* score = lab.sampler_score.get();
  const uint64_t change = change_of(lab, score);
  if (gpu == nullptr || lab.particles.forward || (score == lab.gpu_score_source && change == lab.gpu_score_change))
    return;
  // New kernels: off the UI thread where that helps; on llvmpipe a network goes to the CPU instead.
  if (lab.gl_worker && !kernels_fit(lab, *gpu, *score) &&
      (!software_gl() || !cpu_first_reason(lab, *score).empty())) {
    continue_on_cpu(lab);
    rebuild_for_current_score(lab);
    return;
  }
  // A network: the lab's one upload of this change, shared with the arrows (nothing packed here).
  const std::shared_ptr<const GpuScore> shared = change != 0 ? uploaded_network_of(lab) : nullptr;
  const bool followed = shared ? gpu->set_score(shared) : gpu->set_score(*score);
  if (!followed) lab.backend_note = "the GPU kernels cannot follow this score";
  lab.gpu_score_source = score;
  lab.gpu_score_change = change;
}

void collect_speed(LabState& lab) {
  if (!ready(lab.speed_job)) return;
  try {
    lab.speed = lab.speed_job.get();
  } catch (const std::exception& e) {
    ParticleSpeed failed;
    failed.gpu_error = e.what();
    lab.speed = failed;
  }
}

void measure_particle_paths(LabState& lab, const LoadedScene& scene) {
  const std::shared_ptr<const ScoreFunction> score = sampler_target(lab);
  if (score == nullptr) return;
  // The same population size on both sides (the GPU's rate grows with N; the probe stays ~0.1 s).
  const int n = std::clamp(scene.scene.sampler.particles, 256, 8192);
  const SamplerConfig config = scene.scene.sampler;
  const NoiseConfig noise = scene.scene.noise;
  if (!lab.gl_worker) {
    lab.speed = measure_particle_speed(config, noise, *score, n, 0.05);
    return;
  }
  // Off the UI thread: its GPU side compiles the kernels (minutes for a network on llvmpipe). Not
  // while the run's own kernels are being built: one compile at a time, the run's first (the panel
  // asks again each frame while lab.speed is empty).
  lab.speed.reset();
  lab.speed_job = std::future<ParticleSpeed>();  // figures of another score would answer this request
  if (lab.gpu_build.pending()) return;
  lab.speed_job = lab.gl_worker->submit([=] { return measure_particle_speed(config, noise, *score, n, 0.05); });
}

ParticleBudget cpu_interactive_budget(const std::string& why_cpu) {
  const ParticleBudget interactive{kCpuInteractiveParticles, why_cpu + ": the most it steps at an interactive rate"};
  return tighter(interactive, cpu_particle_budget());
}

ParticleBudget cpu_path_budget(const LabState& lab, const std::string& why_cpu) {
  if (lab.interactive) return cpu_interactive_budget(why_cpu);
  ParticleBudget memory = cpu_particle_budget();  // the exporter: a frame waits for its steps
  memory.why = why_cpu + ": " + memory.why;
  return memory;
}

ParticleBudget lab_particle_budget(LabState& lab) {
  const bool gpu_context = glad_glGetString != nullptr && glGetString(GL_RENDERER) != nullptr;
  if (lab.particles.backend == ParticleBackend::gpu && gpu_context && gl::compute_available()) {
    if (!lab.gpu_budget) lab.gpu_budget = gpu_particle_budget();
    return *lab.gpu_budget;
  }
  std::string why = "the particles run on the CPU path";
  if (!lab.backend_note.empty()) why += " (" + lab.backend_note + ")";
  else if (gpu_context && !gl::compute_available()) why += " (" + gl::compute_off_reason() + ")";
  return cpu_path_budget(lab, why);
}

}  // namespace scorelab
