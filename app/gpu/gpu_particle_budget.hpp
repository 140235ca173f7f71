// How many particles the GPU path holds on this device (issue 16: the 4·10⁶ cap becomes what the
// device's memory allows, up to kMaxParticles on a large card). Three limits, the tightest wins:
// the GPU's free memory (where the driver reports it), the host's (start positions and downloads
// live there; software renderers and integrated GPUs keep their buffers there too), and the storage
// block: the trail ring is read as one block and holds at least two frames.
#pragma once

#include <optional>

#include "core/particle_budget.hpp"

namespace scorelab {

// GPU bytes a particle costs: its position, the sliced step's working copy and PC's scratch (vec2
// each), and the trail ring's two frames (its other frames come from kTrailRingBytes).
inline constexpr double kGpuBytesPerParticle = 5 * 8.0;
// Host bytes a GPU particle costs: its start position (double) and their float upload, a download of
// the positions (double) for the metrics and the finite check, and the CPU stand-in that holds the
// run while the GUI's worker compiles the kernels (positions in double, its first frame in float).
inline constexpr double kHostBytesPerGpuParticle = 16.0 + 8.0 + 16.0 + 16.0 + 8.0;
// The trail ring's budget (GpuParticleEngine::kRingBudgetBytes), taken whatever the count.
inline constexpr double kTrailRingBytes = double(size_t{256} << 20);

struct GpuMemoryFacts {
  std::optional<MemoryReport> gpu;   // free GPU memory, where the driver reports it
  std::optional<MemoryReport> host;  // the host's available memory
  bool shares_host_memory = false;   // software renderer, or no GPU figure: buffers count against the host
  double max_block_bytes = 0.0;      // GL_MAX_SHADER_STORAGE_BLOCK_SIZE
};

// The budget from the facts (pure: tests/gpu/test_gpu_particle_budget.cpp feeds it cards it has not got).
ParticleBudget gpu_particle_budget(const GpuMemoryFacts& facts);

// The facts of the GL context current on this thread (needs 4.3).
GpuMemoryFacts query_gpu_memory_facts();

// gpu_particle_budget(query_gpu_memory_facts()).
ParticleBudget gpu_particle_budget();

}  // namespace scorelab
