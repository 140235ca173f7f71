// Configuration of a sampler run: which sampler, its parameters, how particles start.
#pragma once

#include <string_view>

#include "core/types.hpp"

namespace scorelab {

enum class SamplerKind { langevin, annealed, em, pc, ode, ddpm };
enum class OdeSolver { euler, heun, rk4 };
enum class InitKind { uniform, prior };

SamplerKind parse_sampler_kind(std::string_view name);  // langevin annealed em pc ode ddpm
const char* to_string(SamplerKind kind);
// What to change after a run of `kind` diverged (non-finite particles), for the CLI's error and the
// GUI's banner alike: only the Langevin samplers have a step size ε; the others discretise a fixed
// time interval, so more steps is the knob (and for PC, a smaller corrector snr).
const char* divergence_hint(SamplerKind kind);
OdeSolver parse_ode_solver(std::string_view name);  // euler heun rk4
const char* to_string(OdeSolver solver);

struct InitConfig {
  InitKind kind = InitKind::prior;  // prior: N(0, prior_std² I) of the noise schedule
  Vec2 low{-8.0, -8.0};             // uniform box
  Vec2 high{8.0, 8.0};
};

struct SamplerConfig {
  SamplerKind kind = SamplerKind::pc;
  double eps = 0.1;            // langevin: step ε in x ← x + ε·s + √(2ε)·z; annealed: base ε of αᵢ = ε·σᵢ²/σ_L²
  bool eps_auto = false;       // annealed: ε by Song & Ermon's technique 4 instead of eps (a scene without eps)
  int steps = 1000;            // langevin: T; em, pc, ode, ddpm: N discretisation steps
  int steps_per_level = 100;   // annealed: T steps at each level
  double snr = 0.16;           // pc: corrector signal-to-noise ratio r
  int corrector_steps = 1;     // pc: M Langevin corrector steps per predictor step
  OdeSolver solver = OdeSolver::rk4;  // ode: euler, heun, rk4; em: heun = stochastic Heun, else Euler–Maruyama
  // ode on the edm schedule: stochastic churn of Karras et al. 2022, Alg. 2 (S_churn = 0: deterministic).
  double s_churn = 0.0;
  double s_tmin = 0.0;
  double s_tmax = 1e30;  // "∞", finite so that a scene file can hold it
  double s_noise = 1.0;
  bool denoise = false;        // annealed, em, pc, ode: a final Tweedie step x ← x + s²·score
  double langevin_sigma = -1;  // langevin: σ of the score it follows; < 0: the schedule's smallest level; 0: the data
  int particles = 1280;
  uint32_t seed = 0;
  InitConfig init;
};

// Checks ranges; throws InputError naming the field under `prefix` (e.g. "sampler.eps: ...").
void validate(const SamplerConfig& config, std::string_view prefix = "sampler");

}  // namespace scorelab
