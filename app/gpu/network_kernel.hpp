// Which of the two network kernels a GpuScore compiles: "lanes" (shaders/mlp.glsl: each invocation
// evaluates 8 particles alone, weights from uniform blocks; right for software renderers, where an
// invocation is one SIMD lane) or "fused" (shaders/mlp_fused.glsl: a workgroup evaluates its
// particles together through shared memory; right for hardware GPUs, where 8 particles' activations
// spill out of the registers). Chosen once per GL context from the renderer, overridable with
// SCORELAB_GPU_KERNEL=fused|lanes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scorelab {

enum class NetworkKernel { lanes, fused };

const char* to_string(NetworkKernel kernel);
// "lanes" / "fused"; nullopt for anything else.
std::optional<NetworkKernel> parse_network_kernel(std::string_view name);

// Mesa's CPU rasterisers: GL_RENDERER contains llvmpipe, softpipe or swrast.
bool is_software_renderer(std::string_view gl_renderer);

// The choice for a renderer and an override (the value of SCORELAB_GPU_KERNEL, null when unset):
// the override when it names a kernel; else lanes on software renderers; on hardware the measured
// probe's answer when there is one (network_kernel_probe.hpp), else fused. An override that names
// no kernel is ignored, and `warning` (when given) says so in one line.
NetworkKernel choose_network_kernel(std::string_view gl_renderer, const char* env_override,
                                    std::string* warning = nullptr,
                                    std::optional<NetworkKernel> probed = std::nullopt);

// The measured probe's answer for this process (set once it has run on hardware; none before).
void set_probed_network_kernel(NetworkKernel kernel);
std::optional<NetworkKernel> probed_network_kernel();

// choose_network_kernel for the current GL context's GL_RENDERER and the process's
// SCORELAB_GPU_KERNEL; a bad value is reported once on stderr. A GL context must be current.
NetworkKernel default_network_kernel();

}  // namespace scorelab
