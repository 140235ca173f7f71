// core/samplers/: the samplers (THEORY.md §4): one interface (this file), one file per sampler, all
// over a ScoreFunction; step_coefficients holds the per-step scalars the CPU samplers and the GPU host share.
//
// A sampler is a fixed sequence of steps over the whole particle population, so the GUI can advance
// it a step per frame, the CLI can run it to the end, and a GPU kernel can mirror one step per
// dispatch. Particle j draws its noise at step k from the counter-based RNG as
// normal2(seed, j, k·draws_per_step + d), so results do not depend on batching or threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sampler_config.hpp"
#include "core/schedules.hpp"
#include "core/rng.hpp"
#include "core/score_function.hpp"

namespace scorelab {

// A followed particle's step written as THEORY.md writes it, term by term (the GUI's close-up draws
// each term as an arrow at the particle and fills the numbers into the formula).
struct StepTerm {
  std::string symbol;  // e.g. "g²·s·h"
  Vec2 value = Vec2::Zero();
};
struct StepTrace {
  std::string formula;          // the update, e.g. "x ← x − [f − g²s]·h + g√h·z"
  int step = -1;                // the step index k it explains (-1: none yet)
  Vec2 before = Vec2::Zero();   // the particle before the step
  std::vector<StepTerm> terms;  // after = before + Σ terms (to rounding)
};

// Where a step records the terms of the followed column; off when nothing is followed.
class StepTracer {
 public:
  StepTracer() = default;
  StepTracer(StepTrace* trace, Eigen::Index column) : trace_(trace), column_(column) {}
  bool on() const { return trace_ != nullptr; }
  Eigen::Index column() const { return column_; }
  void add(const char* symbol, const Vec2& value) const {
    if (trace_) trace_->terms.push_back({symbol, value});
  }

 private:
  StepTrace* trace_ = nullptr;
  Eigen::Index column_ = 0;
};

class Sampler {
 public:
  Sampler(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score)
      : config_(config), noise_(noise), sde_(noise), score_(score) {}
  virtual ~Sampler() = default;

  virtual int num_steps() const = 0;
  // Advances x (2, N) by step k in [0, num_steps()); returns the score evaluations per particle it made.
  // Particle column j is RNG stream first_particle + j.
  virtual int step(int k, Points& x, uint32_t first_particle = 0) = 0;
  // The noise level the particles are at before step k (k = num_steps(): at the end).
  virtual NoiseLevel level_at(int k) const = 0;

  const SamplerConfig& config() const { return config_; }
  // A remark for the user about how the sampler runs (a clamped level, a step size past its stability
  // bound); empty when there is none. The CLI prints it on stderr, the GUI in the particles panel.
  const std::string& note() const { return note_; }

  // Follows one particle (column `column` of the x given to step()): every step then records the
  // terms of its update in trace(). nullopt stops following. Costs one branch per update.
  void follow(std::optional<Eigen::Index> column) {
    followed_ = column;
    trace_ = StepTrace{};
  }
  const std::optional<Eigen::Index>& followed() const { return followed_; }
  const StepTrace& trace() const { return trace_; }

 protected:
  // Starts the trace of step k (when following a column of x): its formula and the position.
  StepTracer begin_trace(int k, const char* formula, const Points& x);
  Vec2 noise(uint32_t particle, uint32_t counter) const { return normal2(config_.seed, particle, counter); }
  // x ← (x + s²·score(x))/m: Tweedie's posterior mean E[x₀ | x] at the given level.
  void tweedie(int k, Points& x, const NoiseLevel& level);

  SamplerConfig config_;
  NoiseConfig noise_;
  Sde sde_;
  const ScoreFunction& score_;
  Points s_;  // score scratch (2, N)
  std::string note_;
  std::optional<Eigen::Index> followed_;
  StepTrace trace_;
};

// Builds the sampler named in config. Throws InputError where the pair makes no sense
// (e.g. DDPM on a sub-VP schedule).
std::unique_ptr<Sampler> make_sampler(const SamplerConfig& config, const NoiseConfig& noise,
                                      const ScoreFunction& score);

// Initial particles (2, config.particles): uniform box or the schedule's prior N(0, prior_std² I).
Points initial_particles(const SamplerConfig& config, const NoiseConfig& noise);

struct SampleRun {
  Points x;                   // (2, N) final particles
  std::vector<Points> frames;  // recorded positions, when asked for
  std::vector<int> frame_steps;  // step index of each frame (0 = initial)
  long nfe = 0;               // score evaluations per particle
};

// Runs every step from x0. record_every > 0 records the initial particles, every record_every-th
// step, and the final particles.
SampleRun run_sampler(Sampler& sampler, Points x0, int record_every = 0);

// What a run reports as it goes: each recorded frame (to stream it, e.g. to a file, instead of keeping
// it in SampleRun::frames: 4·10⁶ particles × 100 frames would be 6.4 GB) and each finished step (for a
// progress line). Either may be empty.
struct SampleObserver {
  std::function<void(int step, const Points& x)> frame;
  std::function<void(int done, int total)> step;
};
// As above, with frames handed to observer.frame instead of kept (SampleRun::frames stays empty).
SampleRun run_sampler(Sampler& sampler, Points x0, int record_every, const SampleObserver& observer);

// The sampler's full run from its configured initial particles.
SampleRun sample(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score,
                 int record_every = 0);

}  // namespace scorelab
