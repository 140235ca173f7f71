// The GPU engine of the GUI's particle run (app/lab/particle_run.hpp): the particles live in a GL
// buffer stepped by compute kernels (a GpuSampler, or the forward process's kernel), and the recorded
// frames in a ring of K copies of that buffer on the GPU (glCopyBufferSubData: no CPU round trip).
// The renderer draws points and trails straight from these buffers (app/render/particle_view.hpp); only
// download() and positions() read back, on demand (metrics, export). A GL context must be current.
//
// A step can run in slices of particles over several frames (step_slice; gpu::SlicedStep): until it
// completes, particle_buffer(), positions() and the ring hold the last completed step — what is
// drawn is always one whole population at one step (see app/gpu/sliced_step.hpp for why).
#pragma once

#include <memory>
#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"
#include "app/lab/particle_run.hpp"
#include "core/score_function.hpp"

namespace scorelab {

// Where frames are in a ring buffer: frame slot r holds `stride` vec2 at r·stride.
struct GpuRingView {
  GLuint buffer = 0;
  int stride = 0;    // vec2 per slot (N)
  int capacity = 0;  // slots
};

class GpuParticleEngine final : public ParticleEngine {
 public:
  static constexpr size_t kRingBudgetBytes = size_t{256} << 20;
  // Ring slots: as many frames of `count` particles as fit budget_bytes, within [2, 1024], and no
  // more than a run of num_steps can record (num_steps + 1).
  static int ring_capacity(int count, int num_steps, size_t budget_bytes);

  // A reverse sampler (GpuSampler) over the GPU twin of `score`, from x0 (2, N). Throws InputError
  // for a bad config and when the score has no GPU twin (the ideal score of a point set).
  GpuParticleEngine(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score,
                    const Points& x0, size_t ring_budget_bytes = kRingBudgetBytes);
  // The same over weights already on the GPU (the lab's shared upload of its network; not null).
  GpuParticleEngine(const SamplerConfig& config, const NoiseConfig& noise, std::shared_ptr<const GpuScore> score,
                    const Points& x0, size_t ring_budget_bytes = kRingBudgetBytes);
  // The forward process (core/forward_process.hpp) of `steps` steps from x0 (2, N).
  static std::unique_ptr<GpuParticleEngine> forward(const SamplerConfig& config, const NoiseConfig& noise, int steps,
                                                    const Points& x0, size_t ring_budget_bytes = kRingBudgetBytes);
  ~GpuParticleEngine() override;

  // The score to follow from the next step (a newer snapshot, or exact ↔ learned). Weights of the
  // same architecture are swapped in place; another kind or shape rebuilds the kernels. Returns
  // false (keeping the old score) when it has no GPU twin. The forward process ignores it. A step
  // under way in slices finishes with the score it began with (the new one applies from the next).
  bool set_score(const ScoreFunction& score);
  // Whether set_score(score) would keep the kernels (only new weights): false when it would compile
  // new ones, which the GUI does off its thread instead (lab.cpp). Uploads the weights to find out.
  bool kernels_fit(const ScoreFunction& score) const;
  // The same for weights already on the GPU (the lab's one upload per snapshot, shared with the
  // field arrows): bound as they are, nothing packed or uploaded here; no check uploads either.
  bool set_score(std::shared_ptr<const GpuScore> score);
  bool kernels_fit(const GpuScore& score) const;
  // The buffer of the network weights the next step binds (0: not a network): the tests' check
  // that the particles and the arrows bind one upload.
  GLuint weight_buffer() const;
  GpuParticleEngine* as_gpu() override { return this; }
  // Starts over from x (2, count()): the particles of another engine at the same step (a hand-over
  // from the CPU path). Recorded frames are dropped; the caller records the first.
  void set_positions(const Points& x);

  int num_steps() const override;
  NoiseLevel level_at(int k) const override;
  int count() const override { return count_; }
  int step(int k) override;  // finishes step k when it is under way
  bool step_slice(int k, long work, int& nfe) override;
  int step_under_way() const override { return under_way_; }
  double step_progress() const override;
  void abandon_step() override;
  bool slices_steps() const override { return true; }
  void record(int step) override;
  int frames() const override;
  int step_of(int frame) const override;
  void restore(int frame) override;
  Points download(int frame) const override;
  Points positions() const override;

  GLuint particle_buffer() const;  // N vec2, the positions after the last completed step
  GpuRingView ring() const { return {ring_.id(), count_, capacity_}; }
  int slot_of(int frame) const;    // the ring slot holding recorded frame `frame`

 private:
  class Stepper;
  class SamplerStepper;
  class ForwardStepper;
  GpuParticleEngine(std::unique_ptr<Stepper> stepper, const Points& x0, size_t ring_budget_bytes);
  long absolute(int frame) const { return oldest_ + frame; }

  std::unique_ptr<Stepper> stepper_;
  int count_ = 0;
  int capacity_ = 0;
  gl::Buffer ring_;
  std::vector<int> slot_steps_;  // the sampler step of the frame in each slot
  long total_ = 0;               // frames recorded since the start (the newest is total_ − 1)
  long oldest_ = 0;              // the oldest frame still in the ring (frames oldest_ … total_ − 1)
  int under_way_ = -1;           // the step begun and not complete (-1: none)
  int under_way_nfe_ = 0;        // its score evaluations per particle
};

// Particle-steps per second of the scene's sampler on each path, measured on n particles for about
// budget_s each (one short probe; the GPU side includes compiling nothing it has not compiled).
struct ParticleSpeed {
  double cpu = 0.0;  // particle-steps/s; 0: not measured
  double gpu = 0.0;
  std::string gpu_error;  // why the GPU side could not run
};
ParticleSpeed measure_particle_speed(const SamplerConfig& config, const NoiseConfig& noise,
                                     const ScoreFunction& score, int n, double budget_s);

}  // namespace scorelab
