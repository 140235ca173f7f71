// The GPU twin of core's Sampler (core/samplers/sampler.hpp): the same steps over the particle
// population, each one dispatch of a compute kernel over all particles (predictor–corrector: a
// reduction pass for the population-mean ‖s‖ per corrector step, then the update). Same seed,
// same RNG counters, same per-step coefficients (taken from core in double), float per particle.
//
// The particles live in a GL buffer of N float pairs sized at run time (no cap besides memory;
// 4·10⁶ particles are 32 MB), which the point renderer can draw directly. A GL context must be
// current while a GpuSampler is made, used and destroyed.
#pragma once

#include <memory>
#include <vector>

#include "app/gl/objects.hpp"
#include "app/gpu/gpu_score.hpp"
#include "core/samplers/sampler.hpp"

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
  // N vec2 (float) positions: bind as GL_SHADER_STORAGE_BUFFER or as a vertex buffer (stride 8).
  GLuint particle_buffer() const { return particles_.id(); }

  // Advances every particle by step k in [0, num_steps()); returns score evaluations per particle.
  // With record, the positions after the step also go to the trajectory ring (when it has capacity).
  int step(int k, bool record = false);

  // The trajectory ring: `capacity` frames of N positions on the GPU (0: none; at most 1024 and
  // capacity·N < 2³²). Frame f (the f-th recorded step) is kept in slot f % capacity.
  void set_trajectory_capacity(int capacity);
  int trajectory_capacity() const { return ring_capacity_; }
  long frames_recorded() const { return frames_recorded_; }
  GLuint trajectory_buffer() const { return ring_.id(); }
  Points trajectory_frame(long frame) const;  // throws std::out_of_range if no longer in the ring

  void finish() const;  // waits for the GPU (timing)

  // Call after the GpuScore this sampler reads was replaced in place (a newer network snapshot of the
  // same shape): the level table is uploaded again at the next step (a network's time features
  // belong to the network).
  void invalidate_levels() { table_.key.clear(); }

 private:
  struct Programs;
  void upload_levels(const std::vector<GpuLevel>& levels);
  void bind_particles(bool record) const;
  void dispatch(const gl::Program& p, bool record, int batch);
  int tweedie_step(int k, bool record);
  int langevin_step(int k, bool record);
  int em_step(double t, uint32_t counter, bool record);
  int pc_step(int k, double t, bool record);
  int ode_step(double t, bool record);
  int ddpm_step(int k, double t, bool record);

  SamplerConfig config_;
  NoiseConfig noise_;
  Sde sde_;
  const GpuScore& score_;
  std::unique_ptr<ScoreFunction> null_score_;
  std::unique_ptr<Sampler> schedule_;  // core's sampler, for num_steps, level_at and time_at
  std::unique_ptr<Programs> programs_;
  double h_ = 0;  // time step of time-grid samplers: (1 − ε)/N
  int count_ = 0;
  uint32_t first_particle_ = 0;
  gl::Buffer particles_, ring_, scratch_, sums_, dummy_;
  int ring_capacity_ = 0;
  long frames_recorded_ = 0;
  GpuLevelTable table_;  // this step's levels
};

// core's run_sampler on the GPU: all steps from x0, reading back the initial particles, every
// record_every-th step and the final ones when record_every > 0 (frames on the host; the ring is
// for the GUI's trails).
SampleRun run_gpu_sampler(GpuSampler& sampler, const Points& x0, int record_every = 0);

}  // namespace scorelab
