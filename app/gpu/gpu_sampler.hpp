// Floor 3, app/gpu/: the GLSL twins of core only: this sampler, the scores (gpu_score), density
// (gpu_density), the score field (gpu_score_field, gpu_field_arrows), the sliced step
// (sliced_step.hpp) and the kernels' shared bindings (bindings.hpp). Below: app/gl, app/plane, core.
//
// The GPU twin of core's Sampler (core/samplers/sampler.hpp): the same steps over the particle
// population, each one pass of a compute kernel over all particles (predictor–corrector: per
// corrector step the scores with group sums of ‖s‖, their mean, the update; then the EM predictor).
// Same seed, same RNG counters, same per-step coefficients (taken from core in double), float per
// particle. A step may run whole or in slices of particles over several calls (begin_step,
// continue_step: a step dearer than a GUI frame), with bit-identical results (gpu::SlicedStep).
//
// The particles live in a GL buffer of N float pairs sized at run time (no cap besides memory;
// 4·10⁶ particles are 32 MB), which the point renderer can draw directly. A GL context must be
// current while a GpuSampler is made, used and destroyed.
#pragma once

#include <memory>
#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/sliced_step.hpp"
#include "app/gpu/gpu_score.hpp"
#include "core/samplers/sampler.hpp"
#include "core/samplers/step_coefficients.hpp"

namespace scorelab {

class GpuSampler {
 public:
  // Validates like core's make_sampler (InputError for bad values or pairs such as DDPM on sub-VP)
  // and compiles the kernels this sampler needs for score's kind. `score` must outlive the sampler.
  GpuSampler(const SamplerConfig& config, const NoiseConfig& noise, const GpuScore& score);
  ~GpuSampler();

  int num_steps() const;
  NoiseLevel level_at(int k) const;  // before step k, as core
  const SamplerConfig& config() const { return config_; }

  // Uploads x (2, N) as floats; particle j draws from RNG stream first_particle + j (as core's step).
  void set_particles(const Points& x, uint32_t first_particle = 0);
  Points particles() const;  // reads back (2, N)
  int count() const { return count_; }
  // N vec2 (float) positions after the last completed step: bind as GL_SHADER_STORAGE_BUFFER or as
  // a vertex buffer (stride 8). Its name changes when a sliced step completes (double buffering).
  GLuint particle_buffer() const { return slices_.positions().id(); }

  // Advances every particle by step k in [0, num_steps()); returns score evaluations per particle.
  // With record, the positions after the step also go to the trajectory ring (when it has capacity).
  // The same as begin_step(k, record) then continue_step() (abandons a step under way).
  int step(int k, bool record = false);

  // Step k in slices: begin_step sets it up (abandoning a step under way), each continue_step runs
  // up to `work` particle-steps of it (count() = all; at least one slice of 64·batch particles) and
  // returns true once it is complete. Until then particle_buffer(), particles() and the ring hold
  // the last completed step. Returns of begin_step: the step's score evaluations per particle.
  int begin_step(int k, bool record = false);
  bool continue_step(long work = gpu::SlicedStep::kWhole);  // std::logic_error with no step begun
  bool step_in_progress() const { return slices_.in_progress(); }
  double step_progress() const { return slices_.progress(); }  // fraction of its work done
  void abandon_step();

  // The trajectory ring: `capacity` frames of N positions on the GPU (0: none; at most 1024 and
  // capacity·N < 2³²). Frame f (the f-th recorded step) is kept in slot f % capacity.
  void set_trajectory_capacity(int capacity);
  int trajectory_capacity() const { return ring_capacity_; }
  long frames_recorded() const { return frames_recorded_; }
  GLuint trajectory_buffer() const { return ring_.id(); }
  // Throws std::out_of_range if no longer in the ring (also the oldest frame while a recording step
  // is under way in slices, or was abandoned: its slot is being rewritten).
  Points trajectory_frame(long frame) const;

  void finish() const;  // waits for the GPU (timing)

  // Call after the GpuScore this sampler reads was replaced in place (a newer network snapshot of the
  // same shape): the level table is uploaded again at the next step (a network's time features
  // belong to the network). Not while a step is under way (its passes would mix two scores).
  void invalidate_levels() { table_.key.clear(); }
  // Reads `score` from the next step: another GpuScore of the same kind and shape (equal defines()
  // and batch; the compiled kernels are kept), e.g. the lab's shared upload of a newer snapshot.
  // Throws InputError otherwise. Not while a step is under way. score must outlive this sampler.
  void set_score(const GpuScore& score);
  const GpuScore& score() const { return *score_; }

 private:
  struct Programs;
  // The passes of step k; each sets levels_ (the step's level rows) and nfe.
  std::vector<gpu::Pass> plan_step(int k, int& nfe);
  gpu::Pass score_pass(const gl::Program& p, double weight, std::function<void(const gl::Program&)> uniforms) const;
  std::vector<gpu::Pass> tweedie_step(int k);
  std::vector<gpu::Pass> langevin_step(int k);
  std::vector<gpu::Pass> em_step(int k, int& nfe);
  gpu::Pass em_pass(const ReverseSdeStep& st, uint32_t counter);
  std::vector<gpu::Pass> pc_step(int k, int& nfe);
  std::vector<gpu::Pass> ode_step(int k, int& nfe);
  std::vector<gpu::Pass> ddpm_step(int k);
  void set_shared(const gpu::Pass& pass) const;  // what every pass of this sampler shares

  SamplerConfig config_;
  NoiseConfig noise_;
  Sde sde_;
  const GpuScore* score_;  // never null
  std::unique_ptr<ScoreFunction> null_score_;
  std::unique_ptr<Sampler> schedule_;  // core's sampler, for num_steps and level_at
  SamplerGrid grid_;                   // core's nodes of the time-grid samplers
  std::unique_ptr<Programs> programs_;
  int count_ = 0;
  uint32_t first_particle_ = 0;
  gpu::SlicedStep slices_;  // the particle buffer and the step under way
  gl::Buffer ring_, scratch_, sums_, dummy_;
  int ring_capacity_ = 0;
  long frames_recorded_ = 0;
  long ring_clobbered_ = -1;  // a frame whose slot a recording step has begun to rewrite
  bool recording_ = false;    // the step under way writes the ring
  std::vector<GpuLevel> levels_;  // the step under way's level rows
  GpuLevelTable table_;  // this step's levels
};

// core's run_sampler on the GPU: all steps from x0, reading back the initial particles, every
// record_every-th step and the final ones when record_every > 0 (frames on the host; the ring is
// for the GUI's trails).
SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every = 0);
// As above, with each recorded frame handed to observer.frame as it is read back instead of kept
// (SampleRun::frames stays empty): core's streaming contract, so a long trajectory never sits in memory.
SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every, const SampleObserver& observer);

}  // namespace scorelab
