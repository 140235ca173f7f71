#include "app/gpu/gpu_particle_budget.hpp"

#include <cmath>

#include "app/gl/capabilities.hpp"
#include "app/gl/gl.hpp"
#include "app/gpu/network_kernel.hpp"

namespace scorelab {

ParticleBudget gpu_particle_budget(const GpuMemoryFacts& facts) {
  ParticleBudget budget{kMaxParticles, "ScoreLab's ceiling"};
  if (facts.max_block_bytes > 0) {
    const double fit = std::floor(facts.max_block_bytes / 16.0);  // two frames of vec2 in one block
    if (fit < budget.max_particles)
      budget = {static_cast<int>(std::max(fit, 1.0)),
                "two frames of them fill this GPU's storage block of " + format_memory(facts.max_block_bytes)};
  }
  if (facts.gpu && !facts.shares_host_memory)
    budget = tighter(budget, memory_budget(*facts.gpu, kGpuBytesPerParticle, kTrailRingBytes));
  if (facts.host) {
    const bool both = facts.shares_host_memory || !facts.gpu;
    budget = tighter(budget, memory_budget(*facts.host, kHostBytesPerGpuParticle + (both ? kGpuBytesPerParticle : 0.0),
                                           both ? kTrailRingBytes : 0.0));
  }
  return budget;
}

GpuMemoryFacts query_gpu_memory_facts() {
  GpuMemoryFacts facts;
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  facts.gpu = gl::gpu_free_memory();
  facts.host = host_available_memory();
  facts.shares_host_memory = !facts.gpu || is_software_renderer(renderer ? renderer : "");
  GLint64 block = 0;  // 64-bit: a driver may report more than 2 GiB
  glGetInteger64v(GL_MAX_SHADER_STORAGE_BLOCK_SIZE, &block);
  facts.max_block_bytes = static_cast<double>(block);
  return facts;
}

ParticleBudget gpu_particle_budget() { return gpu_particle_budget(query_gpu_memory_facts()); }

}  // namespace scorelab
