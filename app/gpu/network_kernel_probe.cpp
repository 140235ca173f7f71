#include "app/gpu/network_kernel_probe.hpp"

#include <chrono>
#include <cstdlib>

#include "app/gpu/gpu_sampler.hpp"
#include "core/nn/mlp.hpp"
#include "core/samplers/sampler.hpp"

namespace scorelab {

namespace {

// Particle-steps/s of Langevin at a fixed level on `score` (first step untimed: compile, upload).
double langevin_rate(const GpuScore& score, int n, int steps) {
  SamplerConfig config;
  config.kind = SamplerKind::langevin;
  config.langevin_sigma = 0.5;
  config.eps = 0.01;
  config.steps = steps + 1;
  config.particles = n;
  config.init.kind = InitKind::uniform;
  const NoiseConfig noise;
  GpuSampler sampler(config, noise, score);
  sampler.set_particles(initial_particles(config, noise));
  sampler.step(0);
  sampler.finish();
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 1; k <= steps; ++k) sampler.step(k);
  sampler.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return double(n) * steps / std::max(seconds, 1e-9);
}

}  // namespace

std::optional<NetworkKernelProbe> probe_network_kernels() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  const char* forced = std::getenv("SCORELAB_GPU_KERNEL");
  if (is_software_renderer(renderer ? renderer : "") || (forced && parse_network_kernel(forced))) return std::nullopt;
  ModelConfig model;
  model.hidden = {64, 64};
  auto net = std::make_shared<Mlp<float>>(model);
  net->init(1);
  net->set_data_rms(1.0);
  const std::shared_ptr<const Mlp<float>> shared = net;
  NetworkKernelProbe probe;
  probe.lanes_rate = langevin_rate(GpuScore(shared, NetworkKernel::lanes), 65536, 4);
  const GpuScore fused(shared, NetworkKernel::fused);
  probe.fused_rate = fused.kernel() == NetworkKernel::fused ? langevin_rate(fused, 65536, 4) : 0.0;
  probe.faster = probe.fused_rate >= probe.lanes_rate ? NetworkKernel::fused : NetworkKernel::lanes;
  set_probed_network_kernel(probe.faster);
  return probe;
}

}  // namespace scorelab
