#ifndef SCORELAB_ODE_SOLVER_GLSL
#define SCORELAB_ODE_SOLVER_GLSL
// One explicit step of the probability-flow ODE dx/dt = f(t)·x − ½g(t)²·s(x, t) for a batch, from t
// to t + h (core/samplers/probability_flow.cpp and core/likelihood.cpp): Euler, Heun or RK4, chosen
// by u_solver. Shared by ode_step.comp (positions) and density.comp, which defines ODE_DIVERGENCE 1
// to integrate the log-density increment beside x: dℓ/dt = ∇·f − ½g(t)²·∇·s(x, t).
//
// Stage i scores y_i = x + a_i·k_{i−1} (y_0 = x) at level row row0 + u_stage_row[i] — rows 0, 1, 2
// are t, t + h/2, t + h, as core evaluates sde.level() — with a = (·, h) for Heun and
// (·, h/2, h/2, h) for RK4, exactly core's expressions; set by gpu::set_solver_uniforms.
//
// Why two forms of the same arithmetic, on llvmpipe (Mesa 22.3, one SIMD lane per invocation): a
// value derived from a loop counter is per-lane, so in a rolled stage loop the level row — and every
// load of the mixture's components it indexes — becomes a gather, and k[i] a stack array. With the
// stages written out, the rows are uniforms plus constants: the ODE sampler with an 8-component
// mixture (65536 particles × 99 RK4 steps) took 0.90 → 0.75 s idle (1.9 → 1.2 s with the other core
// busy). A network is too big to compile four times (minutes on llvmpipe), and its weight reads
// dominate anyway: it keeps one score call site in a rolled loop.
#ifndef ODE_DIVERGENCE
#define ODE_DIVERGENCE 0
#endif

uniform int u_solver;           // 0 Euler, 1 Heun, 2 RK4 (core's OdeSolver)
uniform int u_stages;           // 1, 2, 4
uniform float u_stage_coef[4];  // a_i
uniform uint u_stage_row[4];
uniform float u_h;              // h
uniform float u_half_h;         // 0.5·h
uniform float u_sixth_h;        // h/6

// k = f(t)·y − ½g²·s(y) at `level`; with ODE_DIVERGENCE, d = ∇·f − ½g²·∇·s (else 0).
void ode_rhs(uint level, vec2 y[SCORE_BATCH], out vec2 k[SCORE_BATCH], out float d[SCORE_BATCH]) {
#if ODE_DIVERGENCE
  float div[SCORE_BATCH];
  score_div_batch(y, level, k, div);
  for (int b = 0; b < SCORE_BATCH; ++b) d[b] = level_drift_div(level) - level_half_g2(level) * div[b];
#else
  score_batch(y, level, k);
  for (int b = 0; b < SCORE_BATCH; ++b) d[b] = 0.0;
#endif
  for (int b = 0; b < SCORE_BATCH; ++b) k[b] = probability_flow(level, y[b], k[b]);
}

// y = x + a·k (a stage's input).
void ode_stage_input(vec2 x[SCORE_BATCH], float a, vec2 k[SCORE_BATCH], out vec2 y[SCORE_BATCH]) {
  for (int b = 0; b < SCORE_BATCH; ++b) y[b] = x[b] + a * k[b];
}

// Advances (x, l) by one step of u_solver with the level rows of t at row0.
void ode_solver_step(uint row0, inout vec2 x[SCORE_BATCH], inout float l[SCORE_BATCH]) {
#ifdef SCORE_MLP
  vec2 y[SCORE_BATCH], k[4][SCORE_BATCH];
  float d[4][SCORE_BATCH];
  for (int i = 0; i < u_stages; ++i) {
    for (int b = 0; b < SCORE_BATCH; ++b) y[b] = i == 0 ? x[b] : x[b] + u_stage_coef[i] * k[i - 1][b];
    vec2 ks[SCORE_BATCH];
    float ds[SCORE_BATCH];
    ode_rhs(row0 + u_stage_row[i], y, ks, ds);
    for (int b = 0; b < SCORE_BATCH; ++b) {
      k[i][b] = ks[b];
      d[i][b] = ds[b];
    }
  }
  vec2 k0[SCORE_BATCH] = k[0], k1[SCORE_BATCH] = k[1], k2[SCORE_BATCH] = k[2], k3[SCORE_BATCH] = k[3];
  float d0[SCORE_BATCH] = d[0], d1[SCORE_BATCH] = d[1], d2[SCORE_BATCH] = d[2], d3[SCORE_BATCH] = d[3];
#else
  // The stages that the solvers share, written out (constant stage indices: see the file comment).
  vec2 y[SCORE_BATCH], k0[SCORE_BATCH], k1[SCORE_BATCH], k2[SCORE_BATCH], k3[SCORE_BATCH];
  float d0[SCORE_BATCH], d1[SCORE_BATCH], d2[SCORE_BATCH], d3[SCORE_BATCH];
  ode_rhs(row0 + u_stage_row[0], x, k0, d0);
  if (u_solver >= 1) {
    ode_stage_input(x, u_stage_coef[1], k0, y);
    ode_rhs(row0 + u_stage_row[1], y, k1, d1);
  }
  if (u_solver >= 2) {
    ode_stage_input(x, u_stage_coef[2], k1, y);
    ode_rhs(row0 + u_stage_row[2], y, k2, d2);
    ode_stage_input(x, u_stage_coef[3], k2, y);
    ode_rhs(row0 + u_stage_row[3], y, k3, d3);
  }
#endif
  for (int b = 0; b < SCORE_BATCH; ++b) {
    if (u_solver == 0) {
      x[b] += u_h * k0[b];
      l[b] += u_h * d0[b];
    } else if (u_solver == 1) {  // Heun: trapezoid (EDM)
      x[b] += u_half_h * (k0[b] + k1[b]);
      l[b] += u_half_h * (d0[b] + d1[b]);
    } else {
      x[b] += u_sixth_h * (k0[b] + 2.0 * k1[b] + 2.0 * k2[b] + k3[b]);
      l[b] += u_sixth_h * (d0[b] + 2.0 * d1[b] + 2.0 * d2[b] + d3[b]);
    }
  }
}

#endif  // SCORELAB_ODE_SOLVER_GLSL
