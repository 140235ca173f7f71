// Particle counts sized by the GPU (issue 16): the budget from a device's facts (cards this machine
// has not got, fed as facts), the facts of the real context (llvmpipe here), and a Lab on the GPU
// path that refuses one particle past its budget with the line that names it.
#include <doctest/doctest.h>

#include "app/gpu/gpu_particle_budget.hpp"
#include "app/lab/lab.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

TEST_CASE("the tightest of storage block, GPU memory and host memory sets the budget") {
  // A datacenter card (NVIDIA reports a 2 GiB block): the ceiling of 10⁸.
  GpuMemoryFacts h200{MemoryReport{139.0 * kGiB, "GPU memory (test)"}, MemoryReport{120.0 * kGiB, "host memory (test)"},
                      false, 2147483647.0};
  CHECK(gpu_particle_budget(h200).max_particles == kMaxParticles);
  // A laptop's card with 4 GiB free: its memory, at the GPU bytes a particle, less the trail ring.
  GpuMemoryFacts laptop = h200;
  laptop.gpu = MemoryReport{4.0 * kGiB, "GPU memory (test)"};
  laptop.host = MemoryReport{16.0 * kGiB, "host memory (test)"};
  const ParticleBudget l = gpu_particle_budget(laptop);
  CHECK(l.max_particles == int((2.0 * kGiB - kTrailRingBytes) / kGpuBytesPerParticle));
  CHECK(l.why.find("GPU memory (test)") != std::string::npos);
  // Little host memory: the host's share for the start positions and downloads limits it.
  laptop.host = MemoryReport{2.0 * kGiB, "host memory (test)"};
  CHECK(gpu_particle_budget(laptop).max_particles == int(1.0 * kGiB / kHostBytesPerGpuParticle));
  // llvmpipe: buffers in host memory, a 128 MiB block: two frames of vec2 in it.
  GpuMemoryFacts soft{std::nullopt, MemoryReport{20.0 * kGiB, "host memory (test)"}, true, 128.0 * 1024 * 1024};
  const ParticleBudget s = gpu_particle_budget(soft);
  CHECK(s.max_particles == 8388608);
  CHECK(s.why.find("storage block") != std::string::npos);
  // An integrated GPU with no memory query: host memory at both costs.
  GpuMemoryFacts shared{std::nullopt, MemoryReport{1.0 * kGiB, "host memory (test)"}, true, 2147483647.0};
  CHECK(gpu_particle_budget(shared).max_particles ==
        int((0.5 * kGiB - kTrailRingBytes) / (kHostBytesPerGpuParticle + kGpuBytesPerParticle)));
}

TEST_CASE("this context's facts give a budget within the block and the ceiling") {
  SCORELAB_REQUIRE_GPU();
  const GpuMemoryFacts facts = query_gpu_memory_facts();
  CHECK(facts.max_block_bytes >= 16.0 * 1024 * 1024);  // GL 4.3's minimum
  REQUIRE(facts.host.has_value());
  const ParticleBudget b = gpu_particle_budget();
  CHECK(b.max_particles >= 1);
  CHECK(b.max_particles <= kMaxParticles);
  CHECK(double(b.max_particles) * 16.0 <= facts.max_block_bytes);
  MESSAGE("GPU particle budget here: ", b.max_particles, " (", b.why, ")");
}

TEST_CASE("a Lab on the GPU path refuses one particle past the budget, naming it, and runs at the budget") {
  SCORELAB_REQUIRE_GPU();
  LoadedScene scene = load_scene_for_view(default_scene_path());
  scene.scene.sampler.kind = SamplerKind::em;
  scene.scene.sampler.steps = 2;
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::gpu;
  lab.set_particles(p);
  scene.scene.sampler.particles = 1000;
  lab.load(scene);
  lab.run_synchronously();
  REQUIRE(lab.sampler_error().empty());
  const ParticleBudget budget = lab.particle_budget();
  scene.scene.sampler.particles = budget.max_particles + 1;
  if (budget.max_particles == kMaxParticles) return;  // the ceiling: validate() refuses more (test_particle_budget)
  lab.load(scene);
  const std::string refused = lab.sampler_error();
  CHECK(refused.find("at most " + std::to_string(budget.max_particles)) != std::string::npos);
  REQUIRE(lab.run_failure().has_value());
  CHECK(lab.run_failure()->line().find(std::to_string(budget.max_particles + 1)) != std::string::npos);
  // The CPU path's ceiling is its own: 4·10⁶ at an interactive rate.
  p.backend = ParticleBackend::cpu;
  lab.set_particles(p);
  scene.scene.sampler.particles = 4000001;
  lab.load(scene);
  CHECK(lab.sampler_error().find("at most 4000000") != std::string::npos);
  CHECK(lab.particle_budget().why.find("CPU path") != std::string::npos);
}

}  // namespace
}  // namespace scorelab
