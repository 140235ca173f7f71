#version 430 core
// One step of the forward (noising) process (core/forward_process.cpp, ForwardProcess::step): the
// exact transition of the linear SDE from t_k to t_{k+1}, x ← a·x + c·z with z = normal2(seed, j, k + 1)
// and (a, c) from the host in double: a = m(t_{k+1})/m(t_k), c² = s(t_{k+1})² − a²·s(t_k)².
#include "particles.glsl"
#include "rng.glsl"

uniform float u_a;
uniform float u_c;
uniform uint u_counter;  // k + 1

void main() {
  uint j = batch_start();  // SCORE_BATCH 1: one particle per invocation
  if (j >= u_end) return;
  store_particle(j, u_a * particles[j] + u_c * normal2(u_seed, u_first + j, u_counter));
}
