// The sliced step: a particle step as a list of compute passes, run whole or in slices of particles
// over several calls (frames), bit-identical either way; and slice_particles, the arithmetic that
// decides each slice (GL-free, tested in tests/app/test_particle_pace.cpp).
#pragma once

#include <functional>
#include <limits>
#include <vector>

#include "app/gpu/bindings.hpp"

namespace scorelab::gpu {

// One pass of a particle step: a per-particle kernel (it includes shaders/particles.glsl) over all
// N particles, or a kernel of one workgroup between such passes (predictor–corrector's mean).
struct Pass {
  const gl::Program* program = nullptr;
  int batch = 1;        // particles per invocation (the kernel's SCORE_BATCH); 0: one workgroup
  double weight = 1.0;  // cost per particle, in score evaluations (> 0 unless batch is 0): slice sizes
  bool record = false;  // writes the trajectory ring (the step's last pass)
  std::function<void(const gl::Program&)> uniforms;  // its own uniforms, set before every dispatch
};

// A step of a particle population as a short list of passes over all N particles, run whole or in
// slices of particles over several calls (frames): a step dearer than a frame's time budget (10⁶
// particles through a network: 0.5–2 s on llvmpipe) then never freezes a frame. Owns the particle
// buffer.
//
// A sliced step is bit-identical to the whole one: a kernel reads and writes only its own particles
// and draws their noise by global index; a reduction (PC's sums of ‖s‖) sums workgroups of
// kParticleGroup·batch particles into slots by global group, and slices start on multiples of
// `align` (that many particles), so each group sums the same particles in the same order; the
// one-workgroup pass that combines them runs once every slice of the pass before is in.
//
// While a step is under way in slices its passes step a second buffer, a copy of the positions made
// when it begins; positions() keeps the last completed step until the step completes, then the two
// swap. So what draws or reads the particles (the view, the ring of frames, metrics, export) never
// sees a mix of two steps — nor the half-corrected positions between predictor–corrector's passes,
// a state no other path ever shows. A step run whole in one call works in place (no copy).
class SlicedStep {
 public:
  static constexpr long kWhole = std::numeric_limits<long>::max();

  void set_particles(const float* xy, int n);  // n vec2; abandons a step under way
  int count() const { return count_; }
  const gl::Buffer& positions() const { return positions_; }  // N vec2 after the last completed step

  // A step's passes (begun, not yet run); slice boundaries are multiples of `align`.
  void begin(std::vector<Pass> passes, long align);
  // Runs up to `work` particle-steps of the step begun (count(): all of it), each pass taking its
  // share by weight (slice_particles() below: at least one slice per call).
  // True when the step is complete (positions() then holds it). common(pass) sets what the owner's
  // passes share (seed, ring slot, score tables); this class sets u_count, u_offset, u_end and binds
  // the buffer being stepped at binding::kParticles. Throws std::logic_error with no step begun.
  bool run(long work, const std::function<void(const Pass&)>& common);
  bool in_progress() const { return !passes_.empty(); }
  double progress() const;  // the fraction of the step's work done (0 when none is under way)
  void abandon();           // positions() stays the last completed step

 private:
  void dispatch(const Pass& pass, long begin, long end, const std::function<void(const Pass&)>& common);

  gl::Buffer positions_, work_;  // work_: what a sliced step writes until it completes
  int count_ = 0;
  std::vector<Pass> passes_;  // the step under way; empty: none
  long align_ = 64;
  double total_weight_ = 0.0;  // Σ weight of the per-particle passes
  size_t pass_ = 0;            // the pass under way
  long next_ = 0;              // its next particle
  double done_ = 0.0;          // weighted particles run
  bool started_ = false, sliced_ = false;
};

}  // namespace scorelab::gpu

namespace scorelab {

// Particles of one pass to run now in a sliced step: all `remaining` when `affordable` (what is left
// of this call's budget, in particles of this pass) covers them; else `affordable` rounded down to a
// multiple of `align` (slices start on workgroup multiples: see SlicedStep below) —
// at least `align` (or the remaining) when nothing ran yet in this call (`first`), so every call
// moves; else possibly 0 (this call's budget is spent). remaining ≥ 0, align ≥ 1.
long slice_particles(long remaining, double affordable, long align, bool first);

}  // namespace scorelab
