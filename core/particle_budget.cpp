#include "core/particle_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/types.hpp"

namespace scorelab {

std::string format_memory(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  char text[48];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return text;
}

ParticleBudget memory_budget(const MemoryReport& memory, double bytes_per_particle, double fixed_bytes) {
  const double usable = kUsableMemoryShare * memory.free_bytes - fixed_bytes;
  const double fit = std::isfinite(usable) && bytes_per_particle > 0 ? std::floor(usable / bytes_per_particle) : 0.0;
  ParticleBudget b;
  b.max_particles = static_cast<int>(std::clamp(fit, 1.0, double(kMaxParticles)));
  if (fit >= kMaxParticles) {
    b.why = "ScoreLab's ceiling; " + format_memory(memory.free_bytes) + " of free " + memory.source + " holds more";
    return b;
  }
  std::ostringstream why;
  why << "half of " << format_memory(memory.free_bytes) << " free " << memory.source << " at "
      << bytes_per_particle << " bytes a particle";
  if (fixed_bytes > 0) why << ", less " << format_memory(fixed_bytes) << " for the trails";
  b.why = why.str();
  return b;
}

ParticleBudget tighter(const ParticleBudget& a, const ParticleBudget& b) {
  return b.max_particles < a.max_particles ? b : a;
}

std::optional<MemoryReport> host_available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:" && kib > 0) return MemoryReport{kib * 1024.0, "host memory (MemAvailable)"};
  return std::nullopt;
}

ParticleBudget cpu_particle_budget() {
  const std::optional<MemoryReport> host = host_available_memory();
  if (!host) return {kMaxParticles, "ScoreLab's ceiling (free memory unknown here)"};
  return memory_budget(*host, kCpuBytesPerParticle);
}

std::string too_many_particles(long long requested, const ParticleBudget& budget) {
  return std::to_string(requested) + " particles are more than this run holds: at most " +
         std::to_string(budget.max_particles) + " (" + budget.why + "). Use fewer particles";
}

void check_particle_budget(long long requested, const ParticleBudget& budget) {
  if (requested > budget.max_particles) throw InputError(too_many_particles(requested, budget));
}

}  // namespace scorelab
