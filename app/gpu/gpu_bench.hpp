// GPU throughput figures for `scorelab bench` (figures, not tests): particle-steps/s of the compute
// kernels with the exact mixture score and with the reference networks at several N, the density
// grid time, and the shader compile times — measured in one run on a headless EGL context.
#pragma once

#include <string>
#include <vector>

namespace scorelab {

struct GpuBenchFigure {
  std::string key;    // stable JSON key, e.g. "gpu_langevin_net64_1e5"
  std::string label;  // human-readable
  double value = 0;
  std::string unit;   // "particle-steps/s", "s", "FLOP"
};

struct GpuBenchOptions {
  std::vector<int> particle_counts{10000, 100000, 1000000};
  bool networks = true;      // 3 → 64 → 64 → 2 and 3 → 128 → 128 → 128 → 2 (silu, random weights)
  bool density = true;       // 256² grid, 100 RK4 steps of the ODE likelihood (exact mixture, 64-wide net)
  double min_seconds = 0.3;  // timed steps per figure run at least this long (and at least one step)
};

struct GpuBenchReport {
  bool available = false;  // false: no GL 4.3 context (why says so), figures empty
  std::string why;
  std::string renderer;    // GL_RENDERER
  std::vector<GpuBenchFigure> figures;
};

// Makes its own headless context; call it when no other GL context is current on this thread.
GpuBenchReport run_gpu_bench(const GpuBenchOptions& options = {});

}  // namespace scorelab
