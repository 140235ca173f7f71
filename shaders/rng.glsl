#ifndef SCORELAB_RNG_GLSL
#define SCORELAB_RNG_GLSL
// Counter-based random numbers: the GLSL twin of core/rng.hpp, line for line, in uint32 arithmetic
// (GLSL uint wraps modulo 2^32 exactly as C++ uint32_t). A particle's noise is a pure function of
// (seed, stream, counter), so CPU and GPU draw the same numbers in any order.

// PCG-RXS-M-XS output permutation of one LCG step (Jarzynski & Olano, JCGT 2020, "pcg_hash").
uint pcg_hash(uint v) {
  uint state = v * 747796405u + 2891336453u;
  uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// Three nested rounds: each input word passes through a full permutation before the next is mixed in.
uint hash3(uint seed, uint stream, uint counter) {
  return pcg_hash(seed ^ pcg_hash(stream ^ pcg_hash(counter)));
}

// Uniform in the open interval (0, 1): (2k + 1) / 2^24 with k the top 23 bits of the hash.
// Exact in float: an integer below 2^24 times a power of two, so it equals core's double bit for bit.
float uniform01(uint seed, uint stream, uint counter) {
  uint k = ((hash3(seed, stream, counter) >> 9u) << 1u) | 1u;
  return float(k) * (1.0 / 16777216.0);
}

// Standard normal pair by Box–Muller from the uniforms at counters 2c and 2c + 1.
// In float: |error| ≲ 1e-6 against core's double (log, sqrt, cos, sin of the same exact uniforms).
vec2 normal2(uint seed, uint stream, uint counter) {
  float u1 = uniform01(seed, stream, 2u * counter);
  float u2 = uniform01(seed, stream, 2u * counter + 1u);
  float r = sqrt(-2.0 * log(u1));
  float theta = 6.283185307179586 * u2;
  return vec2(r * cos(theta), r * sin(theta));
}
#endif  // SCORELAB_RNG_GLSL
