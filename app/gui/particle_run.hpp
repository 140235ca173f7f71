// The live sampler of the Particles layer: a core Sampler advanced a few steps per frame on the
// GUI thread, its positions recorded for the scrubber and the trails. GL-free: tested in
// tests/app/test_particle_run.cpp.
#pragma once

#include <memory>

#include "app/render/frame_history.hpp"
#include "core/samplers/sampler.hpp"

namespace scorelab {

class ParticleRun {
 public:
  // Starts over from initial_particles(config, noise). `score` must outlive the run (the GUI passes
  // its ScoreHandle). Throws InputError for an invalid config, keeping the previous run.
  void restart(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score);

  // Runs up to `steps` more sampler steps (fewer at the end) and records a frame. Returns the steps done.
  int advance(int steps);
  // Continues from recorded frame i: its positions become the particles, later frames are dropped.
  // The RNG is counter-based per (seed, particle, step), so the continuation draws the same noise.
  void rewind_to(int i);

  bool started() const { return sampler_ != nullptr; }
  bool finished() const { return sampler_ && step_ >= sampler_->num_steps(); }
  int step() const { return step_; }
  int num_steps() const { return sampler_ ? sampler_->num_steps() : 0; }
  long nfe() const { return nfe_; }                // score evaluations per particle so far
  NoiseLevel level() const;                        // the level the particles are at now
  NoiseLevel level_at_step(int k) const;           // the level before step k
  const Points& particles() const { return x_; }   // (2, N)
  const FrameHistory& history() const { return history_; }
  const SamplerConfig& config() const { return config_; }

 private:
  std::unique_ptr<Sampler> sampler_;
  SamplerConfig config_;
  Points x_;
  int step_ = 0;
  long nfe_ = 0;
  FrameHistory history_;
};

}  // namespace scorelab
