// A Lab whose particles step on the CPU (the app tests have no GL context), loaded with `scene`.
#pragma once

#include "app/lab/lab.hpp"

namespace scorelab::test {

inline Lab cpu_lab(const LoadedScene& scene) {
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;
  lab.set_particles(p);
  lab.load(scene);
  return lab;
}

}  // namespace scorelab::test
