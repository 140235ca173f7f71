// The live sampler of the Particles layer, advanced a few steps per frame on the GUI thread, its
// positions recorded for the scrubber and the trails. Where the particles live is an engine: the
// CPU one here (a core Sampler, frames in a FrameHistory) or the GPU one (app/lab/gpu_particle_engine:
// the GpuSampler's buffer and a ring of frames on the GPU). GL-free: tests/app/test_particle_run.cpp.
#pragma once

#include <memory>
#include <optional>

#include "app/plane/frame_history.hpp"
#include "core/samplers/sampler.hpp"

namespace scorelab {

class GpuParticleEngine;  // gpu_particle_engine.hpp

// A particle population, its stepper and its recorded frames. Frame indices run 0 … frames() − 1,
// oldest first; an engine may forget old frames (memory budget) but always keeps the newest.
class ParticleEngine {
 public:
  virtual ~ParticleEngine() = default;
  virtual int num_steps() const = 0;
  virtual NoiseLevel level_at(int k) const = 0;  // before step k, as core's Sampler
  virtual int count() const = 0;                 // particles N
  virtual int step(int k) = 0;                   // step k; returns score evaluations per particle
  virtual void record(int step) = 0;             // the positions after `step` become the newest frame
  virtual int frames() const = 0;
  virtual int step_of(int frame) const = 0;
  virtual void restore(int frame) = 0;           // positions ← that frame; later frames are dropped
  virtual Points download(int frame) const = 0;  // (2, N) a recorded frame, to the CPU
  virtual Points positions() const = 0;          // (2, N) the current positions, to the CPU

  // Steps in slices, for engines that can spread a step over frames (the GPU one): runs up to
  // `work` particle-steps of step k (count() = the whole step), beginning it unless it is the step
  // under way (another one under way is abandoned). True when step k is complete, its positions
  // current and `nfe` its score evaluations per particle. Until then positions() and the frames
  // stay those of the last completed step. Default: the whole step at once.
  virtual bool step_slice(int k, long work, int& nfe) {
    (void)work;
    nfe = step(k);
    return true;
  }
  virtual int step_under_way() const { return -1; }  // the step begun and not complete; -1: none
  virtual double step_progress() const { return 0.0; }  // the fraction of its work done
  virtual void abandon_step() {}  // drops the step under way (positions stay the last completed)
  virtual bool slices_steps() const { return false; }
  // The typed handle of a GPU engine (its buffers, its score); null for the CPU engine. The lab
  // asks this instead of a dynamic_cast wherever it needs the GPU side.
  virtual GpuParticleEngine* as_gpu() { return nullptr; }
  // Takes over what it can reuse of the engine it replaces (the CPU engine: its frames' storage),
  // just before that one goes.
  virtual void take_storage_of(ParticleEngine& old) { (void)old; }
  // One particle up close (the GUI's "follow"): engines that can trace a step record the terms of
  // the followed column's update; trace() is null on those that cannot (the GPU one).
  virtual void follow(std::optional<int> column) { (void)column; }
  virtual std::optional<int> followed() const { return std::nullopt; }
  virtual const StepTrace* trace() const { return nullptr; }
};

// The CPU engine: core's Sampler over Points; frames as floats in a FrameHistory.
class CpuParticleEngine final : public ParticleEngine {
 public:
  // x0: (2, N) initial positions (recorded as frame 0 at step 0).
  CpuParticleEngine(std::unique_ptr<Sampler> sampler, Points x0);
  int num_steps() const override { return sampler_->num_steps(); }
  NoiseLevel level_at(int k) const override { return sampler_->level_at(k); }
  int count() const override { return static_cast<int>(x_.cols()); }
  int step(int k) override { return sampler_->step(k, x_); }
  void record(int step) override { history_.push(step, x_); }
  int frames() const override { return history_.size(); }
  int step_of(int frame) const override { return history_.step_of(frame); }
  void restore(int frame) override;
  Points download(int frame) const override { return history_.frame(frame).cast<double>(); }
  Points positions() const override { return x_; }
  const FrameHistory& history() const { return history_; }
  void take_storage_of(ParticleEngine& old) override;
  void follow(std::optional<int> column) override { sampler_->follow(column); }
  std::optional<int> followed() const override {
    const std::optional<Eigen::Index>& c = sampler_->followed();
    return c ? std::optional<int>(static_cast<int>(*c)) : std::nullopt;
  }
  const StepTrace* trace() const override { return &sampler_->trace(); }

 private:
  std::unique_ptr<Sampler> sampler_;
  Points x_;
  FrameHistory history_;
};

class ParticleRun {
 public:
  // Starts over on the CPU from initial_particles(config, noise). `score` must outlive the run (the
  // GUI passes its ScoreHandle). Throws InputError for an invalid config, keeping the previous run.
  void restart(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score);
  // Starts over with any engine (its initial positions recorded as frame 0).
  void start(std::unique_ptr<ParticleEngine> engine, const SamplerConfig& config);

  // Hands the run over to another engine holding the current particles (same count), at the same
  // step and NFE; the old engine's frames go (the scrubber starts again at this step).
  void switch_engine(std::unique_ptr<ParticleEngine> engine);

  // Runs up to `steps` more sampler steps (fewer at the end) and records a frame. Returns the steps done.
  // A step under way in slices is finished first (it counts as one).
  int advance(int steps);
  // A slice of the next step: up to `work` particle-steps (count() = the whole step; engines that
  // cannot slice run it whole). When the step completes it is counted and recorded as by advance(1).
  // Returns the fraction of a step this call did (the engine's estimate of the work), 0 when finished.
  double advance_slice(long work);
  bool step_under_way() const { return engine_ && engine_->step_under_way() >= 0; }
  // Continues from recorded frame i: its positions become the particles, later frames are dropped
  // (a step under way is abandoned). The RNG is counter-based per (seed, particle, step), so the
  // continuation draws the same noise.
  void rewind_to(int i);

  bool started() const { return engine_ != nullptr; }
  bool finished() const { return engine_ && step_ >= engine_->num_steps(); }
  int step() const { return step_; }
  int num_steps() const { return engine_ ? engine_->num_steps() : 0; }
  long nfe() const { return nfe_; }                // score evaluations per particle so far
  NoiseLevel level() const;                        // the level the particles are at now
  NoiseLevel level_at_step(int k) const;           // the level before step k
  int count() const { return engine_ ? engine_->count() : 0; }
  int frames() const { return engine_ ? engine_->frames() : 0; }
  int step_of(int frame) const { return engine_->step_of(frame); }
  // The current particles (2, N), downloaded when they live on the GPU: for metrics and export, not per frame.
  Points particles() const { return engine_ ? engine_->positions() : Points(2, 0); }
  const SamplerConfig& config() const { return config_; }
  ParticleEngine* engine() const { return engine_.get(); }
  // Changes whenever the positions may have changed (start, advance, rewind): views redraw then.
  long generation() const { return generation_; }
  // The CPU engine's frames; null on another engine.
  const FrameHistory* cpu_history() const;

 private:
  std::unique_ptr<ParticleEngine> engine_;
  SamplerConfig config_;
  int step_ = 0;
  long nfe_ = 0;
  long generation_ = 0;
};

// Sampler steps to run this frame within a time budget: as many of the `requested` as fit
// `budget_s` at `seconds_per_step` (the measured cost of one step; ≤ 0: unknown, all requested),
// at least 1 so a run always moves. requested ≥ 1.
int budgeted_steps(int requested, double seconds_per_step, double budget_s);

// The same for the frame loop: when one step alone costs more than the budget (millions of
// particles), a step runs only once seconds_since_step ≥ 2·max(seconds_per_step, step_extra_s) —
// step_extra_s: how much longer a frame with a step takes than one without (the step and the redraw
// of the moved particles) — so about a third of the time goes to stepping and the frames between
// stay responsive. An outlier extra (a first frame that compiled kernels) counts as at most
// 3 steps + 0.5 s.
int steps_this_frame(int requested, double seconds_per_step, double budget_s, double seconds_since_step,
                     double step_extra_s = 0.0);

// A running estimate of seconds per step (exponential average over frames) and of the steps per
// frame actually run, for the panel's "1.2 steps/frame" (or "0.02 steps/frame" when steps are sliced).
struct StepPace {
  double seconds_per_step = 0.0;  // 0: not measured yet
  double steps_per_frame = 0.0;
  double seconds_per_frame = 0.0;  // the frame period (drawing included); 0: not measured yet
  // A playing frame that ran `steps` (≥ 0; a fraction when a step is sliced) steps in `seconds`.
  void add(double steps, double seconds);
  // The time from one playing frame to the next (what "finishes in" divides by).
  void add_frame_period(double seconds);
  void reset() { *this = StepPace{}; }
};

// ---- Slow motion: one step every k frames (lectures: the start of a run is visible) -------------

// Counts playing frames; due() is true on one frame in every `frames_per_step` (k ≤ 1: every frame),
// the first one included, so a restarted run moves at once. A paused or scrubbed frame is not
// counted (the caller does not call it then).
class SlowMotion {
 public:
  bool due(int frames_per_step);
  void reset() { waited_ = 0; }

 private:
  int waited_ = 0;  // frames since the last due one
};

// "Finishes in about N s": seconds until the `steps_left` steps are run at the measured pace, or
// −1 while it is unknown (no frame period yet). Playing at `steps_per_frame` requested steps a
// frame (the measured steps/frame when the budget caps them), or one step every `frames_per_step`
// frames (slow motion, k > 1); a step dearer than the frames it should take sets the pace itself.
double finish_seconds(int steps_left, const StepPace& pace, int steps_per_frame, int frames_per_step);

// True when one step costs more than the frame's budget: the particle count should come down (the
// Particles panel says so).
inline bool step_exceeds_budget(const StepPace& pace, double budget_s) {
  return pace.seconds_per_step > 0.0 && pace.seconds_per_step > budget_s;
}

// ---- Steps dearer than a frame, in slices of particles (engines with slices_steps()) -------------

// What a playing frame runs: `steps` whole steps, or (slice > 0) a slice of `slice` particle-steps
// of the next one (count = N is a whole step).
struct FrameSteps {
  int steps = 0;
  long slice = 0;
};

// Particle-steps a probe slice runs when the cost of a step is not known yet (the first frames):
// never a whole step of unknown cost, which at 10⁶ particles could freeze the window for seconds.
inline constexpr long kProbeSlice = 16384;

// On an engine that slices steps: whole steps (budgeted_steps) while one fits the budget; a step
// dearer than the budget advances by budget_s / seconds_per_step of a step a frame (at least one
// particle-step) so that each frame does about a budget's worth of particle work; unknown cost:
// whole steps up to kProbeSlice particles, else a probe slice. requested ≥ 1, count ≥ 1.
FrameSteps plan_sliced_frame(int requested, double seconds_per_step, double budget_s, int count);

}  // namespace scorelab
