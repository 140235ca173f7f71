#version 430 core
// One step of the probability-flow ODE dx/dt = f(t)·x − ½g(t)²·s(x, t) from t to t + h, h < 0
// (core/samplers/probability_flow.cpp), every stage in the same invocation.
// Euler, Heun and RK4 as stages of one loop, so that the score (a whole network) is compiled once,
// not once per stage of every solver: stage i scores y_i = x + a_i·k_{i−1} (y_0 = x) at level row
// u_level + u_stage_row[i] — rows 0, 1, 2 are t, t + h/2, t + h, as core evaluates sde.level() —
// with a = (·, h) for Heun and (·, h/2, h/2, h) for RK4, exactly core's expressions.
#include "particles.glsl"
#include "score.glsl"

uniform uint u_level;
uniform int u_solver;           // 0 Euler, 1 Heun, 2 RK4 (core's OdeSolver)
uniform int u_stages;           // 1, 2, 4
uniform float u_stage_coef[4];  // a_i
uniform uint u_stage_row[4];
uniform float u_h;              // h
uniform float u_half_h;         // 0.5·h
uniform float u_sixth_h;        // h/6

void main() {
  uint j0 = batch_start();
  if (j0 >= u_end) return;
  vec2 x[SCORE_BATCH], y[SCORE_BATCH], s[SCORE_BATCH], k[4][SCORE_BATCH];
  load_batch(j0, x);
  for (int i = 0; i < u_stages; ++i) {
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = i == 0 ? x[b] : x[b] + u_stage_coef[i] * k[i - 1][b];
    uint level = u_level + u_stage_row[i];
    score_batch(y, level, s);
    for (int b = 0; b < SCORE_BATCH; ++b) k[i][b] = probability_flow(level, y[b], s[b]);
  }
  for (int b = 0; b < SCORE_BATCH; ++b) {
    if (u_solver == 0) x[b] += u_h * k[0][b];
    else if (u_solver == 1) x[b] += u_half_h * (k[0][b] + k[1][b]);  // Heun: trapezoid (EDM)
    else x[b] += u_sixth_h * (k[0][b] + 2.0 * k[1][b] + 2.0 * k[2][b] + k[3][b]);
    if (j0 + uint(b) < u_end) store_particle(j0 + uint(b), x[b]);
  }
}
