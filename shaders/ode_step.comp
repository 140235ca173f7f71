#version 430 core
// One step of the probability-flow ODE dx/dt = f(t)·x − ½g(t)²·s(x, t) from t to t + h, h < 0
// (core/samplers/probability_flow.cpp), every stage in the same invocation. Level table rows:
// u_level = t, u_level + 1 = t + h/2, u_level + 2 = t + h (core evaluates sde.level() at each).
#include "particles.glsl"
#include "score.glsl"

uniform uint u_level;
uniform int u_solver;      // 0 Euler, 1 Heun, 2 RK4 (core's OdeSolver)
uniform float u_h;         // h
uniform float u_half_h;    // 0.5·h
uniform float u_sixth_h;   // h/6

// k[b] = f·x[b] − ½g²·s(x[b]) at a level.
void rhs(uint level, vec2 x[SCORE_BATCH], out vec2 k[SCORE_BATCH]) {
  score_batch(x, level, k);
  for (int b = 0; b < SCORE_BATCH; ++b) k[b] = probability_flow(level, x[b], k[b]);
}

void main() {
  uint j0 = batch_start();
  if (j0 >= u_count) return;
  vec2 x[SCORE_BATCH], k1[SCORE_BATCH], k2[SCORE_BATCH], k3[SCORE_BATCH], k4[SCORE_BATCH], y[SCORE_BATCH];
  load_batch(j0, x);
  rhs(u_level, x, k1);
  if (u_solver == 0) {
    for (int b = 0; b < SCORE_BATCH; ++b) x[b] += u_h * k1[b];
  } else if (u_solver == 1) {  // Heun: trapezoid on an Euler predictor (EDM)
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_h * k1[b];
    rhs(u_level + 2u, y, k2);
    for (int b = 0; b < SCORE_BATCH; ++b) x[b] += u_half_h * (k1[b] + k2[b]);
  } else {
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_half_h * k1[b];
    rhs(u_level + 1u, y, k2);
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_half_h * k2[b];
    rhs(u_level + 1u, y, k3);
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + u_h * k3[b];
    rhs(u_level + 2u, y, k4);
    for (int b = 0; b < SCORE_BATCH; ++b) x[b] += u_sixth_h * (k1[b] + 2.0 * k2[b] + 2.0 * k3[b] + k4[b]);
  }
  for (int b = 0; b < SCORE_BATCH; ++b)
    if (j0 + uint(b) < u_count) store_particle(j0 + uint(b), x[b]);
}
