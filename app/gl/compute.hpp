// Small helpers shared by the compute kernels' hosts (app/gpu): building a compute program with
// compile-time #defines, dispatching over millions of particles, storage buffers and read-back.
// GL 4.3 core calls only (no DSA), so the 4.3 fallback context runs everything.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "app/gl/objects.hpp"
#include "core/sampler_config.hpp"

namespace scorelab::gpu {

// Binding points shared by every kernel (shaders/particles.glsl, sde.glsl, mixture_score.glsl,
// mlp.glsl); one table so that no two includes collide.
namespace binding {
inline constexpr GLuint kParticles = 0;   // SSBO vec2[N]
inline constexpr GLuint kTrajectory = 1;  // SSBO vec2[capacity·N], the trajectory ring
inline constexpr GLuint kScratch = 2;     // SSBO vec2[N], PC: the scores of the corrector step
inline constexpr GLuint kDensityState = 2;  // SSBO vec4[], density.comp: (x, ℓ) per band point (no particles there)
inline constexpr GLuint kLevels = 3;      // SSBO Level[], per-level noise and SDE coefficients
inline constexpr GLuint kMixture = 4;     // SSBO vec4[2·K·levels], prepared mixture components
inline constexpr GLuint kPartials = 5;    // SSBO float[], PC: per-workgroup sums of ‖s‖, then the mean
inline constexpr GLuint kProbeIn = 6;     // SSBO, probe/score-field inputs
inline constexpr GLuint kProbeOut = 7;    // SSBO, probe/score-field outputs
inline constexpr GLuint kMlpWeightsSsbo = 8;  // SSBO vec4[], the packed network (a layer too big for a UBO)
inline constexpr GLuint kMlpTime = 9;     // SSBO vec4[], the network's input features of t per level
inline constexpr GLuint kMlpHead = 0;     // UBO: header, dims, Fourier frequencies, biases
inline constexpr GLuint kMlpLayer0 = 1;   // UBO: weights of layer l at kMlpLayer0 + l
inline constexpr GLuint kMixtureUbo = 10; // UBO vec4[], the mixture components of ≤ 3 levels
// The ideal score of a point set (shaders/ideal_score.glsl) shares the mixture's and the network's
// storage bindings: a kernel holds one kind of score.
inline constexpr GLuint kIdealPoints = kMixture;  // SSBO vec2[n], the centred points sorted by cell
inline constexpr GLuint kIdealCells = kMlpTime;   // SSBO int[nx·ny + 1], each cell's first point
}  // namespace binding

// Invocations per workgroup of every per-particle kernel (shaders/particles.glsl local_size_x).
inline constexpr GLuint kParticleGroup = 64;

// Compiles shaders/<name> (includes expanded) with `defines` — lines such as "#define MIX_K 8" —
// inserted after its #version line, and links it. Throws gl::GlError with the driver's log.
gl::Program build_compute(std::string_view name, std::string_view defines = {});

// Runs the bound program over n invocations in groups of local_size, as a 2D grid of at most
// 65535 groups per row (the GL minimum), so N is not capped by the group count. The kernel's flat
// index is particle_index() in shaders/particles.glsl. No-op for n = 0.
void dispatch_flat(GLuint n, GLuint local_size);

// Every kernel reads what the previous one wrote through SSBOs, UBOs or images.
void storage_barrier();

// A GL_SHADER_STORAGE_BUFFER of `bytes` with optional initial data.
gl::Buffer make_storage(GLsizeiptr bytes, const void* data = nullptr, GLenum usage = GL_DYNAMIC_COPY);
// Re-specifies a buffer's storage and contents (orphaning the old storage), for per-step tables.
void respecify(GLenum target, const gl::Buffer& buffer, GLsizeiptr bytes, const void* data,
               GLenum usage = GL_DYNAMIC_DRAW);
// Copies bytes from a buffer to host memory (waits for the GPU).
void read_storage(const gl::Buffer& buffer, GLintptr offset, GLsizeiptr bytes, void* out);

// glProgramUniform by name; a name the compiler optimised away is ignored.
void set_uniform(const gl::Program& p, const char* name, float v);
void set_uniform(const gl::Program& p, const char* name, int v);
void set_uniform(const gl::Program& p, const char* name, unsigned v);
void set_uniform(const gl::Program& p, const char* name, float x, float y);

// The uniforms of the stage loop of ode_step.comp and density.comp for an explicit solver with step
// h: u_solver, u_stages, u_stage_coef[i] (a_i in y_i = x + a_i·k_{i−1}), u_stage_row[i] (level row
// offset: 0 = t, 1 = t + h/2, 2 = t + h), u_h, u_half_h = 0.5·h, u_sixth_h = h/6 — each
// coefficient computed in double as core computes it, then rounded once.
void set_solver_uniforms(const gl::Program& p, OdeSolver solver, double h);

GLint get_integer(GLenum name);
GLint get_integer(GLenum name, GLuint index);

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
  // share by weight (slice_particles() in app/gui/particle_run.hpp: at least one slice per call).
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
