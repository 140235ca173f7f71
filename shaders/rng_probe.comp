#version 430 core
// Test probe of rng.glsl (tests/gpu): for each (seed, stream, counter) triple, the hash, the
// uniform's bits and the normal pair's bits, for bit-level comparison with core/rng.hpp.
#include "rng.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 6) readonly buffer ProbeIn { uvec4 probe_in[]; };     // (seed, stream, counter, -)
layout(std430, binding = 7) writeonly buffer ProbeOut { uvec4 probe_out[]; };  // (hash3, u01, z.x, z.y)
uniform uint u_count;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= u_count) return;
  uvec4 q = probe_in[i];
  vec2 z = normal2(q.x, q.y, q.z);
  probe_out[i] = uvec4(hash3(q.x, q.y, q.z), floatBitsToUint(uniform01(q.x, q.y, q.z)), floatBitsToUint(z.x),
                       floatBitsToUint(z.y));
}
