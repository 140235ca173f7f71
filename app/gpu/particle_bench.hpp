// Particle and density throughput for `scorelab bench` (figures, not tests): the same reference
// configurations on the GPU compute kernels (headless EGL) and on core's CPU reference, measured in
// one run so that the GPU/CPU ratios compare like with like on a shared, noisy machine.
//   - Langevin particle-steps/s with the exact 8-component mixture score and with the reference
//     networks 3 → 64 → 64 → 2 and 3 → 128 → 128 → 128 → 2, at each N, the networks on both
//     kernels (lanes and fused, app/gpu/network_kernel.hpp);
//   - the model log-density on a 256² grid (VP, RK4 × 100 steps, exact divergence);
//   - shader compile times and FLOPs per particle-step.
#pragma once

#include <string>
#include <vector>

namespace scorelab {

struct BenchFigure {
  std::string key;    // stable JSON key, e.g. "gpu_langevin_net64_1e5", "cpu_density_256_net64"
  std::string label;  // human-readable
  double value = 0;
  std::string unit;   // "particle-steps/s", "s", "FLOP", ""
};

struct ParticleBenchOptions {
  std::vector<int> particle_counts{10000, 100000, 1000000};
  bool networks = true;      // the two reference networks (silu, seeded random weights)
  bool fused = true;         // the networks on the fused kernel too (the lanes kernel always runs)
  bool software = false;     // set by the bench: a software renderer times fused at the smallest N only
  bool density = true;       // 256² grid, 100 RK4 steps (exact mixture and the 64-wide network)
  double min_seconds = 0.3;  // each timed figure runs at least this long (and at least one step)
};

struct ParticleBenchReport {
  bool gpu_available = false;  // false: no GL 4.3 context (why says so); CPU figures are still there
  std::string why;
  std::string renderer;        // GL_RENDERER
  std::string network_kernel;  // the network kernel this renderer gets by default (network_kernel.hpp)
  std::vector<BenchFigure> figures;
};

// Makes its own headless context for the GPU half; call it when no GL context is current here.
ParticleBenchReport run_particle_bench(const ParticleBenchOptions& options = {});

}  // namespace scorelab
