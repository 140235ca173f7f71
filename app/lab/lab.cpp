#include "app/lab/lab_state.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "app/gl/capabilities.hpp"
#include "app/gl/gl.hpp"
#include "app/lab/lab_gpu.hpp"
#include "core/data_source.hpp"
#include "core/forward_process.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

void rebuild_trainer(LabState& lab, const LoadedScene& loaded) {
  const Scene& scene = loaded.scene;
  lab.trainer.reset();
  set_learned(lab, nullptr, nullptr);
  lab.trainer_error.clear();
  try {
    const TrainConfig train = parse_train_config(scene.train, scene.noise.kind);
    check_train_data(train, scene.data);
    const LabelledTraining labelled = labelled_training(train, parse_model_config(scene.model), scene.data, loaded.points);
    lab.trainer = std::make_unique<Trainer>(loaded.points, scene.noise, labelled.model, train, lab.exact, labelled.labels);
    lab.trainer->set_threads(1);  // the other core draws the frames
  } catch (const std::exception& e) {
    lab.trainer_error = e.what();
  }
}

void init_lab(LabState& lab, const LoadedScene& scene) {
  lab.exact = std::shared_ptr<const ScoreFunction>(exact_score(scene.scene.data));
  lab.heatmap_key.clear();
  rebuild_trainer(lab, scene);
  restart_sampler(lab, scene);
}

std::shared_ptr<const ScoreFunction> sampler_target(const LabState& lab) {
  if (lab.particles.source == ScoreSource::learned && lab.learned) return conditioned_target(lab, lab.learned);
  return conditioned_target(lab, lab.exact);
}

namespace {

// The forward playback is as long as the reverse run, so both directions play at the same pace.
int forward_steps(const Sampler& reverse) { return std::clamp(reverse.num_steps(), 10, 5000); }

// The run's initial positions: the sampler's start (prior or box), or the training points noised to ε.
Points start_positions(const LabState& lab, const LoadedScene& scene) {
  const SamplerConfig& c = scene.scene.sampler;
  if (lab.particles.forward) return forward_start(scene.points, c.particles, scene.scene.noise, c.seed);
  return initial_particles(c, scene.scene.noise);
}

// The GPU engine's maker for the scene from its start positions (a GL context current when called).
// `uploaded`: the target's weights already on the GPU (the lab's shared upload), or null to build them.
GpuEngineFactory gpu_factory(const LabState& lab, const LoadedScene& scene, const Sampler& reverse,
                             std::shared_ptr<const ScoreFunction> target, std::shared_ptr<const GpuScore> uploaded) {
  const SamplerConfig config = scene.scene.sampler;
  const NoiseConfig noise = scene.scene.noise;
  const bool forward = lab.particles.forward;
  const int steps = forward_steps(reverse);
  const Points x0 = start_positions(lab, scene);
  return [=]() -> std::unique_ptr<GpuParticleEngine> {
    if (forward) return GpuParticleEngine::forward(config, noise, steps, x0);
    if (uploaded) return std::make_unique<GpuParticleEngine>(config, noise, uploaded, x0);
    return std::make_unique<GpuParticleEngine>(config, noise, *target, x0);
  };
}

void start_cpu(LabState& lab, const LoadedScene& scene, std::unique_ptr<Sampler> reverse) {
  const SamplerConfig& c = scene.scene.sampler;
  std::unique_ptr<Sampler> stepper = std::move(reverse);
  if (lab.particles.forward) stepper = make_forward_process(c, scene.scene.noise, forward_steps(*stepper));
  lab.run.start(std::make_unique<CpuParticleEngine>(std::move(stepper), start_positions(lab, scene)), c);
}

// The run on the GPU: built at once without a GL worker; with one, the run starts on the CPU while the
// worker compiles the kernels (take_ready_gpu hands it over). Throws, with the reason shown in the
// panel, when the GPU cannot run it (the caller then starts on the CPU with `reverse`).
void start_gpu(LabState& lab, const LoadedScene& scene, std::unique_ptr<Sampler>& reverse) {
  if (glad_glGetString == nullptr || glGetString(GL_RENDERER) == nullptr) throw std::runtime_error("no GL context");
  // Below GL 4.3 (no compute shaders): the panel's note says why the run is on the CPU.
  if (std::string off = gl::compute_off_reason(); !off.empty()) throw std::runtime_error(std::move(off));
  const std::shared_ptr<const ScoreFunction> target = sampler_target(lab);
  // Built here: a network target binds the lab's one upload of it; on the worker: its own build.
  const bool inline_build = !compile_off_thread(lab);
  const std::shared_ptr<const GpuScore> uploaded =
      inline_build && !lab.particles.forward && target == lab.learned ? uploaded_network_of(lab) : nullptr;
  GpuEngineFactory make = gpu_factory(lab, scene, *reverse, target, uploaded);
  if (!inline_build) {
    start_cpu(lab, scene, std::move(reverse));
    build_gpu_async(lab, std::move(make), target);
    return;
  }
  lab.run.start(make(), scene.scene.sampler);
  lab.gpu_score_source = target.get();
  lab.gpu_score_change = target == lab.learned ? lab.network_change : 0;
}

}  // namespace

void restart_sampler(LabState& lab, const LoadedScene& scene) {
  lab.sampler_score.set(sampler_target(lab));
  lab.run_score_lowest = lab.sampler_score.lowest_noise(discrete_levels(scene.scene.noise).back().s);
  lab.scrub = -1;
  lab.finite = FiniteCheck{};
  lab.pace.reset();
  lab.slow_motion.reset();
  lab.stepping_frame_s = 0.0;
  lab.frame_stepped = false;
  lab.backend_note.clear();
  lab.gpu_score_source = nullptr;
  lab.gpu_score_change = 0;
  lab.gpu_build = GpuBuild{};  // a build under way for the old run is dropped (the worker finishes it)
  lab.run_noise = scene.scene.noise;
  try {
    // Validates the config first, so a bad value is reported as such and not as a GPU problem.
    std::unique_ptr<Sampler> reverse = make_sampler(scene.scene.sampler, scene.scene.noise, lab.sampler_score);
    if (lab.particles.backend == ParticleBackend::gpu && !lab.particles.forward)
      lab.backend_note = cpu_first_reason(lab, *lab.sampler_score.get());
    if (!lab.backend_note.empty()) lab.particles.backend = ParticleBackend::cpu;  // the switch shows it
    // Past what the path holds: one line naming the limit (a refused run, the banner), not a
    // failed allocation deep in the driver or minutes of CPU steps.
    check_particle_budget(scene.scene.sampler.particles, lab_particle_budget(lab));
    if (lab.particles.backend == ParticleBackend::gpu && lab.backend_note.empty()) {
      try {
        start_gpu(lab, scene, reverse);
        lab.sampler_error.clear();
        return;
      } catch (const std::exception& e) {
        lab.backend_note = e.what();
      }
    }
    if (lab.particles.backend == ParticleBackend::gpu)  // the GPU could not run it: the CPU's budget now
      check_particle_budget(scene.scene.sampler.particles,
                            cpu_path_budget(lab, "the particles run on the CPU path (" + lab.backend_note + ")"));
    start_cpu(lab, scene, std::move(reverse));
    lab.sampler_error.clear();
  } catch (const std::exception& e) {
    lab.sampler_error = e.what();
  }
}

void set_learned(LabState& lab, std::shared_ptr<const NetworkScore> net, std::shared_ptr<const Snapshot> snapshot) {
  const bool changed = net != lab.learned;
  lab.learned = std::move(net);
  lab.snapshot = std::move(snapshot);
  if (changed) ++lab.network_change;  // the one event every view of the learned score keys on
}

std::shared_ptr<const GpuScore> uploaded_network_of(LabState& lab) {
  return lab.uploaded.get(lab.learned.get(), lab.network_change);
}

namespace {

// The trainer's newest snapshot, taken once per frame: a new version is one network change.
void take_new_snapshot(LabState& lab) {
  if (!lab.trainer) return;
  std::shared_ptr<const Snapshot> snap = lab.trainer->snapshot();
  if (snap && (!lab.snapshot || snap->version != lab.snapshot->version))
    set_learned(lab, trained_score(snap->net, lab.trainer->train_config()), snap);
}

// The sampler's score between steps: the run continues with the new one (exact ↔ learned, or the
// network of a new change, counted once).
void follow_sampler_target(LabState& lab) {
  lab.sampler_score.set(sampler_target(lab));
  if (lab.sampler_score.get() == lab.learned.get() && lab.learned && lab.particles_change != lab.network_change) {
    lab.particles_change = lab.network_change;
    ++lab.deliveries.particles;
  }
}

}  // namespace

void update_lab(LabState& lab) {
  take_new_snapshot(lab);
  follow_sampler_target(lab);
  collect_speed(lab);
  take_ready_gpu(lab);
  follow_score_on_gpu(lab);
  GpuParticleEngine* gpu = lab.run.started() ? lab.run.engine()->as_gpu() : nullptr;
  if (!lab.particles.playing || lab.scrub >= 0 || !lab.run.started() || lab.run.finished()) return;
  // A population past the CPU's interactive size waits for its GPU kernels instead of stepping the
  // CPU stand-in (one CPU step of 10⁸ particles would hold the window for minutes).
  if (!gpu && lab.gpu_build.pending() && lab.run.count() > kCpuInteractiveParticles) return;
  // Large populations: as many of the requested steps as fit the time budget. A step dearer than
  // the budget runs in slices of particles on the GPU, about a budget's worth each frame (the
  // particles on screen change when it completes); on the CPU it runs on some frames only, so the
  // window stays responsive in between.
  const auto start = std::chrono::steady_clock::now();
  // The previous frame's length, drawing included: with a step, or (averaged) without one.
  const double previous = std::chrono::duration<double>(start - lab.frame_start).count();
  if (lab.frame_stepped) lab.stepping_frame_s = previous;
  else if (lab.frame_start.time_since_epoch().count() != 0)
    lab.idle_frame_s = lab.idle_frame_s > 0.0 ? 0.8 * lab.idle_frame_s + 0.2 * previous : previous;
  if (lab.frame_start.time_since_epoch().count() != 0) lab.pace.add_frame_period(previous);
  lab.frame_start = start;
  // Slow motion: one step on one frame in k (a frame between steps is not a measured one).
  const bool slow = lab.particles.frames_per_step > 1;
  if (!lab.slow_motion.due(lab.particles.frames_per_step)) {
    lab.frame_stepped = false;
    return;
  }
  const double budget = 1e-3 * lab.particles.budget_ms;
  const int requested = slow ? 1 : std::max(1, lab.particles.steps_per_frame);
  double done = 0.0;  // steps run this frame, a fraction for a slice
  if (lab.run.engine()->slices_steps()) {
    const FrameSteps plan = plan_sliced_frame(requested, lab.pace.seconds_per_step, budget, lab.run.count());
    if (plan.slice > 0) {
      done = lab.run.advance_slice(plan.slice);
    } else {
      // Whole steps; one left under way by slices (the cost fell below the budget) counts for its rest.
      const double begun = lab.run.step_under_way() ? lab.run.engine()->step_progress() : 0.0;
      const int steps = lab.run.advance(plan.steps);
      done = steps > 0 ? steps - begun : 0.0;
    }
  } else {
    const double since = std::chrono::duration<double>(start - lab.last_step_time).count();
    done = lab.run.advance(steps_this_frame(requested, lab.pace.seconds_per_step, budget, since,
                                            std::max(0.0, lab.stepping_frame_s - lab.idle_frame_s)));
  }
  // GL queues the kernels: wait for them, so the pace measures the steps and not their submission
  // (the frame draws these particles next anyway).
  if (gpu && done > 0.0) glFinish();
  const auto end = std::chrono::steady_clock::now();
  lab.frame_stepped = done > 0.0;
  if (done > 0.0) lab.last_step_time = end;
  lab.pace.add(done, std::chrono::duration<double>(end - start).count());
}

NoiseLevel field_level(const LabState& lab, const NoiseConfig& noise) {
  if (lab.field.follow_sampler && lab.run.started()) {
    const int i = shown_frame_index(lab);
    return lab.run.level_at_step(lab.run.step_of(i));
  }
  const Sde sde(noise);
  return sde.level(std::clamp(static_cast<double>(lab.field.t), sde.sampling_eps(), 1.0));
}

int shown_frame_index(const LabState& lab) {
  const int frames = lab.run.frames();
  if (lab.scrub >= 0 && lab.scrub < frames) return lab.scrub;
  return frames - 1;
}

Points shown_particles(const LabState& lab) {
  if (!lab.run.started()) return Points(2, 0);
  const int i = shown_frame_index(lab);
  return i == lab.run.frames() - 1 ? lab.run.particles() : lab.run.engine()->download(i);
}

bool software_gl() {
  if (glad_glGetString == nullptr) return false;
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  return renderer != nullptr && std::strstr(renderer, "llvmpipe") != nullptr;
}

}  // namespace scorelab
