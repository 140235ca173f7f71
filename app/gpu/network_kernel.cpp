#include "app/gpu/network_kernel.hpp"

#include <atomic>
#include <cstdlib>
#include <iostream>

#include "app/gl/compute.hpp"

namespace scorelab {

const char* to_string(NetworkKernel kernel) { return kernel == NetworkKernel::fused ? "fused" : "lanes"; }

std::optional<NetworkKernel> parse_network_kernel(std::string_view name) {
  if (name == "fused") return NetworkKernel::fused;
  if (name == "lanes") return NetworkKernel::lanes;
  return std::nullopt;
}

bool is_software_renderer(std::string_view gl_renderer) {
  for (std::string_view soft : {"llvmpipe", "softpipe", "swrast"})
    if (gl_renderer.find(soft) != std::string_view::npos) return true;
  return false;
}

namespace {
// -1: not probed; else the NetworkKernel the probe measured faster.
std::atomic<int> probed_{-1};
}  // namespace

void set_probed_network_kernel(NetworkKernel kernel) { probed_ = static_cast<int>(kernel); }

std::optional<NetworkKernel> probed_network_kernel() {
  const int k = probed_.load();
  if (k < 0) return std::nullopt;
  return static_cast<NetworkKernel>(k);
}

NetworkKernel choose_network_kernel(std::string_view gl_renderer, const char* env_override, std::string* warning,
                                    std::optional<NetworkKernel> probed) {
  if (env_override != nullptr && *env_override != '\0') {
    if (const auto forced = parse_network_kernel(env_override)) return *forced;
    if (warning)
      *warning = "SCORELAB_GPU_KERNEL=" + std::string(env_override) +
                 " is not a network kernel (fused or lanes); choosing by the renderer";
  }
  if (is_software_renderer(gl_renderer)) return NetworkKernel::lanes;
  return probed.value_or(NetworkKernel::fused);
}

NetworkKernel default_network_kernel() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  std::string warning;
  const NetworkKernel kernel =
      choose_network_kernel(renderer ? renderer : "", std::getenv("SCORELAB_GPU_KERNEL"), &warning, probed_network_kernel());
  static std::atomic<bool> warned{false};
  if (!warning.empty() && !warned.exchange(true)) std::cerr << "scorelab: " << warning << "\n";
  return kernel;
}

}  // namespace scorelab
