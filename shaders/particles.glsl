#ifndef SCORELAB_PARTICLES_GLSL
#define SCORELAB_PARTICLES_GLSL
// What every per-particle kernel shares: the flat invocation index over a 2D dispatch grid, the
// particle buffer, the optional trajectory ring, and batches: invocation i handles the particles
// u_offset + i·SCORE_BATCH … + SCORE_BATCH − 1 (1 for mixtures; see mlp.glsl for why networks batch).
// A dispatch covers the slice [u_offset, u_end) of the N particles: a step dearer than a frame runs
// in slices over several frames (app/gpu/compute.hpp, SlicedStep). A particle's index j — its RNG
// stream u_first + j and its ring slot — is global, so the result does not depend on the slicing.
// Binding points: app/gpu/compute.hpp.
#ifndef SCORE_BATCH
#define SCORE_BATCH 1
#endif

layout(local_size_x = 64) in;

// x: (N) float pairs, the layout the point renderer reads as a vertex attribute (no CPU round trip).
layout(std430, binding = 0) buffer Particles { vec2 particles[]; };
// The ring: slot r holds every particle's position after some step, at trajectory[r·N + j].
layout(std430, binding = 1) writeonly buffer Trajectory { vec2 trajectory[]; };

uniform uint u_count;        // N (the ring's stride)
uniform uint u_offset;       // first particle of this dispatch (a multiple of 64·SCORE_BATCH)
uniform uint u_end;          // one past its last particle (≤ N); invocations past it do nothing
uniform uint u_seed;         // the sampler's seed
uniform uint u_first;        // RNG stream of particle 0 (core's first_particle)
uniform int u_record_slot;   // ring slot to write after this step; < 0: no recording

// app/gpu/compute.cpp dispatch_flat(): rows of at most 65535 groups.
uint invocation_index() {
  return gl_WorkGroupID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x + gl_GlobalInvocationID.x;
}

uint batch_start() { return u_offset + invocation_index() * uint(SCORE_BATCH); }

// The batch's positions; slots past the slice get the origin (finite, never stored).
void load_batch(uint j0, out vec2 x[SCORE_BATCH]) {
  for (int b = 0; b < SCORE_BATCH; ++b) {
    uint j = j0 + uint(b);
    x[b] = j < u_end ? particles[j] : vec2(0.0);
  }
}

void store_particle(uint j, vec2 x) {
  particles[j] = x;
  if (u_record_slot >= 0) trajectory[uint(u_record_slot) * u_count + j] = x;
}

#endif  // SCORELAB_PARTICLES_GLSL
