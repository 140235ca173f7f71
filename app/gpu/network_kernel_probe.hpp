// The measured probe between the two network kernels (network_kernel.hpp) on a hardware GPU: the
// renderer rule says fused there, but a GPU whose shared memory is small or slow may run lanes
// faster. Run once at start on the GUI's GL worker (Lab::set_gl_worker), never on the UI thread:
// it compiles both kernels. Its answer then decides for every later default_network_kernel().
#pragma once

#include <optional>

#include "app/gpu/network_kernel.hpp"

namespace scorelab {

struct NetworkKernelProbe {
  double lanes_rate = 0, fused_rate = 0;  // particle-steps/s, Langevin, the reference 64-64 network
  NetworkKernel faster = NetworkKernel::fused;
};

// Times a few Langevin steps of the reference network 3 → 64 → 64 → 2 over 65536 particles on each
// kernel (compile and first step untimed) and records the faster (set_probed_network_kernel).
// Nullopt, recording nothing, on a software renderer (lanes there, unmeasured: the fused kernel's
// compile alone takes seconds on llvmpipe) or when SCORELAB_GPU_KERNEL forces a kernel. A GL
// context must be current.
std::optional<NetworkKernelProbe> probe_network_kernels();

}  // namespace scorelab
