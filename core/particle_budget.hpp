// How many particles a run may have: a fixed ceiling for scenes, and below it what the memory of the
// device that steps them allows (issue 16: a large card holds 10⁸, a laptop's GPU or the CPU fewer).
// Past the budget a run is refused with one line that names the limit and what sets it, instead of
// an allocation that fails deep in a driver or takes the machine's memory. Pure, but for
// host_available_memory (/proc/meminfo): tests/core/test_particle_budget.cpp.
#pragma once

#include <optional>
#include <string>

namespace scorelab {

// The ceiling of scene.sampler.particles and of --particles: what the largest card holds (two 800 MB
// frames of 10⁸ vec2 fit one storage block of 2 GiB, as NVIDIA's drivers report).
inline constexpr int kMaxParticles = 100'000'000;

// Free memory as a device reports it, and where the figure comes from (for the message).
struct MemoryReport {
  double free_bytes = 0.0;
  std::string source;  // e.g. "GPU memory (GL_NVX_gpu_memory_info)", "host memory (MemAvailable)"
};

// The most particles a run may have here, and why (what sets the limit), for messages and tooltips.
struct ParticleBudget {
  int max_particles = kMaxParticles;
  std::string why;  // e.g. "half of 139.2 GiB free GPU memory (GL_NVX_gpu_memory_info) at 48 bytes a particle"
};

// A run takes at most this share of the free memory a device reports: the rest stays with the
// driver, the window, the density and arrow buffers, and the other programs on the machine.
inline constexpr double kUsableMemoryShare = 0.5;

// Peak bytes a particle costs core's samplers (x, the score, the noise, a Heun or PC predictor's
// copies, in double; `scorelab sample --sampler ode --particles 1000000` peaks at ~110 bytes a
// particle) plus the CSV writer's row: the CPU path's figure, with margin.
inline constexpr double kCpuBytesPerParticle = 160.0;

// The budget from a memory report: ⌊(share · free − fixed_bytes) / bytes_per_particle⌋, within
// [1, kMaxParticles]. fixed_bytes: what the run takes whatever its size (e.g. a trail ring).
ParticleBudget memory_budget(const MemoryReport& memory, double bytes_per_particle, double fixed_bytes = 0.0);

// The tighter of two budgets (the first on a tie).
ParticleBudget tighter(const ParticleBudget& a, const ParticleBudget& b);

// MemAvailable from /proc/meminfo (what the kernel can give without swapping); none where unreadable.
std::optional<MemoryReport> host_available_memory();

// The CPU path's budget: host memory at kCpuBytesPerParticle; the ceiling where memory is unknown.
ParticleBudget cpu_particle_budget();

// "5000000 particles are more than this run can hold: at most 4194304 (why). Use fewer particles."
std::string too_many_particles(long long requested, const ParticleBudget& budget);

// Throws InputError(too_many_particles(…)) when requested > budget.max_particles.
void check_particle_budget(long long requested, const ParticleBudget& budget);

// "139.2 GiB", "512.0 MiB": a measured amount of memory for a message (core/file_io's format_bytes
// writes exact limits).
std::string format_memory(double bytes);

}  // namespace scorelab
