#include "app/gpu/gpu_bench.hpp"

#include <chrono>
#include <cmath>

#include "app/gl/headless_context.hpp"
#include "app/gpu/gpu_density.hpp"
#include "app/gpu/gpu_sampler.hpp"
#include "core/nn/mlp.hpp"
#include "core/toy_data.hpp"

namespace scorelab {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string count_key(int n) {  // 10000 -> "1e4"
  const int e = int(std::lround(std::log10(double(n))));
  return std::pow(10.0, e) == double(n) ? "1e" + std::to_string(e) : std::to_string(n);
}

// Langevin at a fixed level (one score evaluation per particle-step): the kernel cost of the score.
SamplerConfig langevin_config(int n) {
  SamplerConfig c;
  c.kind = SamplerKind::langevin;
  c.langevin_sigma = 0.5;
  c.eps = 0.01;
  c.steps = 100000;  // the most core allows; the bench runs far fewer
  c.particles = n;
  c.init.kind = InitKind::uniform;
  return c;
}

// Times steps on a warm sampler (kernels compiled by a first step) for at least min_seconds.
double particle_steps_per_s(GpuSampler& sampler, double min_seconds) {
  int k = 0;
  sampler.step(k++);
  sampler.finish();
  const Clock::time_point t0 = Clock::now();
  int steps = 0;
  do {
    sampler.step(k++);
    sampler.finish();
    ++steps;
  } while (seconds_since(t0) < min_seconds);
  return double(sampler.count()) * steps / seconds_since(t0);
}

std::shared_ptr<const Mlp<float>> reference_network(std::vector<int> hidden) {
  ModelConfig config;
  config.hidden = std::move(hidden);
  auto net = std::make_shared<Mlp<float>>(config);
  net->init(1);
  net->set_data_rms(1.0);
  return net;
}

double flops_per_forward(const Mlp<float>& net) {
  double macs = 0;
  for (int l = 0; l < net.layers(); ++l) macs += double(net.fan_in(l)) * net.fan_out(l);
  return 2.0 * macs;
}

void bench_score(const std::string& name, const std::string& what, const GpuScore& score,
                 const GpuBenchOptions& options, GpuBenchReport& report) {
  NoiseConfig noise;
  for (size_t i = 0; i < options.particle_counts.size(); ++i) {
    const int n = options.particle_counts[i];
    SamplerConfig config = langevin_config(n);
    const Clock::time_point t0 = Clock::now();
    GpuSampler sampler(config, noise, score);
    sampler.set_particles(initial_particles(config, noise));
    if (i == 0) {  // first use of the kernel: compile + first dispatch
      sampler.step(0);
      sampler.finish();
      report.figures.push_back({"gpu_compile_" + name, "Langevin kernel compile + first step, " + what,
                                seconds_since(t0), "s"});
    }
    report.figures.push_back({"gpu_langevin_" + name + "_" + count_key(n),
                              "GPU Langevin, " + what + ", N = " + count_key(n),
                              particle_steps_per_s(sampler, options.min_seconds), "particle-steps/s"});
  }
}

void bench_density(const std::string& name, const std::string& what, const GpuScore& score,
                   GpuBenchReport& report) {
  NoiseConfig noise;  // VP
  LikelihoodConfig lc;
  lc.steps = 100;
  lc.solver = OdeSolver::rk4;
  Clock::time_point t0 = Clock::now();
  GpuDensity density(score, noise, lc);
  DensityGrid grid;  // 256²
  density.set_grid(grid);
  density.compute_rows(0, 1);  // compile + one row
  density.read_back();
  report.figures.push_back({"gpu_compile_density_" + name, "Density kernel compile + one row, " + what,
                            seconds_since(t0), "s"});
  t0 = Clock::now();
  density.compute_all();
  density.read_back();
  report.figures.push_back({"gpu_density_256_" + name, "GPU density 256² grid, VP, RK4 × 100 steps, " + what,
                            seconds_since(t0), "s"});
}

}  // namespace

GpuBenchReport run_gpu_bench(const GpuBenchOptions& options) {
  GpuBenchReport report;
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&report.why);
  if (!context) return report;
  report.available = true;
  report.renderer = context->renderer();
  {
    const GpuScore mixture(*toy_mixture("8gaussians"));
    bench_score("exact_8gauss", "exact 8-component mixture score", mixture, options, report);
    if (options.density) bench_density("exact_8gauss", "exact 8-component mixture", mixture, report);
  }
  if (!options.networks) return report;
  const std::pair<const char*, std::vector<int>> nets[] = {{"net64", {64, 64}}, {"net128", {128, 128, 128}}};
  for (const auto& [name, hidden] : nets) {
    auto net = reference_network(hidden);
    std::string what = "network 3";
    for (int w : hidden) what += " → " + std::to_string(w);
    what += " → 2";
    report.figures.push_back({std::string("flops_") + name, "FLOPs per particle-step (forward), " + what,
                              flops_per_forward(*net), "FLOP"});
    const GpuScore score(net);
    bench_score(name, what, score, options, report);
    if (options.density && hidden.size() == 2) bench_density(name, what, score, report);
  }
  return report;
}

}  // namespace scorelab
