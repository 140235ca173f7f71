// How many particles a run may have (core/particle_budget): the budget from a device's free memory,
// the scene's ceiling, and the one line a refused count gets.
#include <doctest/doctest.h>

#include "core/particle_budget.hpp"
#include "core/sampler_config.hpp"

using namespace scorelab;

TEST_CASE("a memory report gives half its free bytes, less the fixed part, at the bytes a particle costs") {
  const double gib = 1024.0 * 1024.0 * 1024.0;
  const ParticleBudget b = memory_budget({4.0 * gib, "GPU memory (test)"}, 40.0, 256.0 * 1024 * 1024);
  CHECK(b.max_particles == 46976204);  // (2 GiB − 256 MiB) / 40
  CHECK(b.why.find("4.0 GiB") != std::string::npos);
  CHECK(b.why.find("GPU memory (test)") != std::string::npos);
  CHECK(b.why.find("256.0 MiB") != std::string::npos);
  // A large card: the ceiling, and it says so.
  const ParticleBudget large = memory_budget({139.0 * gib, "GPU memory (test)"}, 40.0);
  CHECK(large.max_particles == kMaxParticles);
  CHECK(large.why.find("ceiling") != std::string::npos);
  // Less than the fixed part: one particle, not zero or a negative count.
  CHECK(memory_budget({1e6, "x"}, 40.0, 1e9).max_particles == 1);
  CHECK(memory_budget({std::nan(""), "x"}, 40.0).max_particles == 1);
  CHECK(tighter(b, large).max_particles == b.max_particles);
  CHECK(tighter(large, b).max_particles == b.max_particles);
}

TEST_CASE("past the budget: one line with the count, the limit and what sets it") {
  const ParticleBudget b{4194304, "two frames of them fill this GPU's storage block of 128.0 MiB"};
  CHECK_NOTHROW(check_particle_budget(4194304, b));
  try {
    check_particle_budget(4194305, b);
    FAIL("4194305 particles accepted");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("4194305") != std::string::npos);
    CHECK(m.find("at most 4194304") != std::string::npos);
    CHECK(m.find("storage block") != std::string::npos);
    CHECK(m.find('\n') == std::string::npos);
  }
}

TEST_CASE("the scene's ceiling is 10⁸ particles; the host's memory is read") {
  SamplerConfig c;
  c.particles = kMaxParticles;
  CHECK_NOTHROW(validate(c));
  c.particles = kMaxParticles + 1;
  CHECK_THROWS_AS(validate(c), InputError);
  const std::optional<MemoryReport> host = host_available_memory();
  REQUIRE(host.has_value());  // Linux: /proc/meminfo
  CHECK(host->free_bytes > 64.0 * 1024 * 1024);
  const ParticleBudget cpu = cpu_particle_budget();
  CHECK(cpu.max_particles >= 1);
  CHECK(cpu.max_particles <= kMaxParticles);
  CHECK(format_memory(1536.0) == "1.5 KiB");
  CHECK(format_memory(139.2 * 1024 * 1024 * 1024) == "139.2 GiB");
  CHECK(format_memory(12) == "12 bytes");
}
