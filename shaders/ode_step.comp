#version 430 core
// One step of the probability-flow ODE from t to t + h, h < 0 (core/samplers/probability_flow.cpp):
// the solver of ode_solver.glsl over the particles, level rows u_level (t), + 1 (t + h/2), + 2 (t + h).
// On the EDM ladder (τ = σ) an optional churn comes first: x ← x + u_churn_std·z (Karras et al., Alg. 2).
#include "particles.glsl"
#include "rng.glsl"
#include "score.glsl"
#include "ode_solver.glsl"

uniform uint u_level;
uniform float u_churn_std;  // √(σ̂² − σ²)·S_noise, 0 without churn
uniform uint u_counter;     // k: the churn's RNG counter

void main() {
  uint j0 = batch_start();
  if (score_may_skip(j0, u_end)) return;
  vec2 x[SCORE_BATCH];
  float unused[SCORE_BATCH];  // no log-density here (ODE_DIVERGENCE 0)
  load_batch(j0, x);
  if (u_churn_std > 0.0)
    for (int b = 0; b < SCORE_BATCH; ++b) x[b] += u_churn_std * normal2(u_seed, u_first + j0 + uint(b), u_counter);
  ode_solver_step(u_level, x, unused);
  for (int b = 0; b < SCORE_BATCH; ++b)
    if (j0 + uint(b) < u_end) store_particle(j0 + uint(b), x[b]);
}
