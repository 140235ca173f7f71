#include "app/gpu/particle_bench.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>

#include "app/gl/headless_context.hpp"
#include "app/gpu/gpu_density.hpp"
#include "app/gpu/gpu_sampler.hpp"
#include "app/gpu/network_kernel.hpp"
#include "app/plane/density_grid.hpp"
#include "core/likelihood.hpp"
#include "core/mixture.hpp"
#include "core/nn/mlp.hpp"
#include "core/nn/score_network.hpp"
#include "core/samplers/sampler.hpp"
#include "core/toy_data.hpp"

namespace scorelab {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string count_key(int n) {  // 10000 -> "1e4"
  const int e = int(std::lround(std::log10(double(n))));
  return std::pow(10.0, e) == double(n) ? "1e" + std::to_string(e) : std::to_string(n);
}

// Langevin at a fixed level (one score evaluation per particle-step): the cost of the score itself.
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

LikelihoodConfig density_config() {  // the grid: 100 ODE steps, RK4
  LikelihoodConfig lc;
  lc.steps = 100;
  lc.solver = OdeSolver::rk4;
  return lc;
}

// One score both paths evaluate: the exact mixture or a reference network with seeded weights.
struct ReferenceScore {
  std::string name;  // key part: "exact_8gauss", "net64", "net128"
  std::string what;  // label part
  std::shared_ptr<const Mlp<float>> net;  // null: the exact 8gaussians mixture
  bool density = false;                   // also time the 256² density grid

  // The lanes kernel for a network (the bench's figures of before); gpu_fused() the fused one.
  GpuScore gpu() const { return net ? GpuScore(net, NetworkKernel::lanes) : GpuScore(*toy_mixture("8gaussians")); }
  GpuScore gpu_fused() const { return GpuScore(net, NetworkKernel::fused); }
  std::unique_ptr<ScoreFunction> cpu() const {
    if (net) return std::make_unique<NetworkScore>(net);
    return std::make_unique<MixtureScore>(*toy_mixture("8gaussians"));
  }
};

ReferenceScore reference_network(const std::string& name, std::vector<int> hidden, bool density) {
  ReferenceScore r;
  r.name = name;
  r.what = "network 3";
  for (int w : hidden) r.what += " → " + std::to_string(w);
  r.what += " → 2";
  ModelConfig config;
  config.hidden = std::move(hidden);
  auto net = std::make_shared<Mlp<float>>(config);
  net->init(1);
  net->set_data_rms(1.0);
  r.net = std::move(net);
  r.density = density;
  return r;
}

double flops_per_forward(const Mlp<float>& net) {
  double macs = 0;
  for (int l = 0; l < net.layers(); ++l) macs += double(net.fan_in(l)) * net.fan_out(l);
  return 2.0 * macs;
}

// Steps a warm sampler (first step untimed: compile, allocation) for at least min_seconds.
template <typename Step>
double steps_per_s(Step&& step, double min_seconds) {
  int k = 0;
  step(k++);
  const Clock::time_point t0 = Clock::now();
  int steps = 0;
  do {
    step(k++);
    ++steps;
  } while (seconds_since(t0) < min_seconds);
  return steps / seconds_since(t0);
}

double gpu_particle_steps_per_s(const GpuScore& score, int n, double min_seconds, double* compile_seconds) {
  const NoiseConfig noise;
  const SamplerConfig config = langevin_config(n);
  const Clock::time_point t0 = Clock::now();
  GpuSampler sampler(config, noise, score);
  sampler.set_particles(initial_particles(config, noise));
  if (compile_seconds) {  // first use of the kernel: compile + first dispatch
    sampler.step(0);
    sampler.finish();
    *compile_seconds = seconds_since(t0);
  }
  return n * steps_per_s([&](int k) { sampler.step(k), sampler.finish(); }, min_seconds);
}

double cpu_particle_steps_per_s(const ScoreFunction& score, int n, double min_seconds) {
  const NoiseConfig noise;
  const SamplerConfig config = langevin_config(n);
  auto sampler = make_sampler(config, noise, score);
  Points x = initial_particles(config, noise);
  return n * steps_per_s([&](int k) { sampler->step(k, x); }, min_seconds);
}

void bench_langevin(const ReferenceScore& ref, const std::optional<GpuScore>& gpu,
                    const std::optional<GpuScore>& fused, const ScoreFunction& cpu,
                    const ParticleBenchOptions& options, ParticleBenchReport& report) {
  const std::string lanes = ref.net ? " (lanes kernel)" : "";
  for (size_t i = 0; i < options.particle_counts.size(); ++i) {
    const int n = options.particle_counts[i];
    const std::string suffix = ref.name + "_" + count_key(n), at = ref.what + ", N = " + count_key(n);
    double gpu_rate = 0;
    if (gpu) {
      double compile = 0;
      gpu_rate = gpu_particle_steps_per_s(*gpu, n, options.min_seconds, i == 0 ? &compile : nullptr);
      if (i == 0)
        report.figures.push_back({"gpu_compile_" + ref.name, "Langevin kernel compile (no shader cache) + first step, " + ref.what + lanes,
                                  compile, "s"});
      report.figures.push_back({"gpu_langevin_" + suffix, "GPU Langevin, " + at + lanes, gpu_rate, "particle-steps/s"});
    }
    // The same work on the fused kernel, beside the lanes figure. On a software renderer only at the
    // smallest N: there each barrier of the workgroup is a switch between invocations, and 3 × 128 at
    // N = 10⁶ would take minutes per step (the lanes kernel is the one that runs there).
    if (fused && (i == 0 || !options.software)) {
      double compile = 0;
      const double rate = gpu_particle_steps_per_s(*fused, n, options.min_seconds, i == 0 ? &compile : nullptr);
      if (i == 0)
        report.figures.push_back({"gpu_compile_fused_" + ref.name, "Langevin kernel compile (no shader cache) + first step, " + ref.what + " (fused kernel)",
                                  compile, "s"});
      report.figures.push_back({"gpu_langevin_fused_" + suffix, "GPU Langevin, " + at + " (fused kernel)", rate, "particle-steps/s"});
      report.figures.push_back({"gpu_fused_over_lanes_" + suffix, "  fused / lanes", rate / gpu_rate, ""});
    }
    const double cpu_rate = cpu_particle_steps_per_s(cpu, n, options.min_seconds);
    report.figures.push_back({"cpu_langevin_" + suffix, "CPU Langevin, " + at, cpu_rate, "particle-steps/s"});
    if (gpu) report.figures.push_back({"gpu_over_cpu_langevin_" + suffix, "  GPU / CPU", gpu_rate / cpu_rate, ""});
  }
}

// Seconds of the 256² density on `gpu` (compile + one row first, reported as its own figure).
double gpu_density_seconds(const GpuScore& gpu, const std::string& key, const std::string& what,
                           ParticleBenchReport& report) {
  const NoiseConfig noise;  // VP
  Clock::time_point t0 = Clock::now();
  GpuDensity density(gpu, noise, density_config());
  density.set_grid(DensityGrid{});  // 256²
  density.compute_rows(0, 1);       // compile + one row
  density.read_back();
  report.figures.push_back({"gpu_compile_density_" + key, "Density kernel compile (no shader cache) + one row, " + what,
                            seconds_since(t0), "s"});
  t0 = Clock::now();
  density.compute_all();
  density.read_back();
  return seconds_since(t0);
}

void bench_density(const ReferenceScore& ref, const std::optional<GpuScore>& gpu,
                   const std::optional<GpuScore>& fused, bool software, const ScoreFunction& cpu,
                   ParticleBenchReport& report) {
  const NoiseConfig noise;  // VP
  const DensityGrid grid;   // 256²
  const std::string what = "density 256² grid, VP, RK4 × 100 steps, " + ref.what;
  const std::string lanes = ref.net ? " (lanes kernel)" : "";
  double gpu_seconds = 0;
  if (gpu) {
    gpu_seconds = gpu_density_seconds(*gpu, ref.name, ref.what + lanes, report);
    report.figures.push_back({"gpu_density_256_" + ref.name, "GPU " + what + lanes, gpu_seconds, "s"});
  }
  if (fused && !software) {  // on a software renderer far too slow (per-barrier switches); lanes runs there
    const double s = gpu_density_seconds(*fused, "fused_" + ref.name, ref.what + " (fused kernel)", report);
    report.figures.push_back({"gpu_density_256_fused_" + ref.name, "GPU " + what + " (fused kernel)", s, "s"});
  }
  const Points x = density_grid_rows(grid, 0, grid.height);
  const Clock::time_point t0 = Clock::now();
  ode_log_likelihood(cpu, noise, x, density_config());
  const double cpu_seconds = seconds_since(t0);
  report.figures.push_back({"cpu_density_256_" + ref.name, "CPU " + what, cpu_seconds, "s"});
  if (gpu) report.figures.push_back({"cpu_over_gpu_density_" + ref.name, "  CPU time / GPU time" + lanes,
                                     cpu_seconds / gpu_seconds, ""});
}

}  // namespace

ParticleBenchReport run_particle_bench(const ParticleBenchOptions& options) {
  ParticleBenchReport report;
  // Compile figures are what a first start costs: Mesa's on-disk shader cache would make them a cache
  // read. Mesa reads this when the context's screen is made, so it is put back right after.
  const char* cache_setting = std::getenv("MESA_SHADER_CACHE_DISABLE");
  const std::string saved = cache_setting ? cache_setting : "";
  setenv("MESA_SHADER_CACHE_DISABLE", "true", 1);
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&report.why);
  if (cache_setting) setenv("MESA_SHADER_CACHE_DISABLE", saved.c_str(), 1);
  else unsetenv("MESA_SHADER_CACHE_DISABLE");
  report.gpu_available = context != nullptr;
  if (context) {
    report.renderer = context->renderer();
    report.network_kernel = to_string(default_network_kernel());
  }

  ParticleBenchOptions run = options;
  run.software = context && context->is_software();
  std::vector<ReferenceScore> references(1);
  references[0] = {"exact_8gauss", "exact 8-component mixture score", nullptr, true};
  if (options.networks) {
    references.push_back(reference_network("net64", {64, 64}, true));
    references.push_back(reference_network("net128", {128, 128, 128}, false));
  }
  for (const ReferenceScore& ref : references) {
    if (ref.net)
      report.figures.push_back({"flops_" + ref.name, "FLOPs per particle-step (forward), " + ref.what,
                                flops_per_forward(*ref.net), "FLOP"});
    std::optional<GpuScore> gpu, fused;
    if (context) gpu.emplace(ref.gpu());
    if (context && ref.net && options.fused) fused.emplace(ref.gpu_fused());
    const std::unique_ptr<ScoreFunction> cpu = ref.cpu();
    bench_langevin(ref, gpu, fused, *cpu, run, report);
    if (options.density && ref.density) bench_density(ref, gpu, fused, run.software, *cpu, report);
  }
  return report;
}

}  // namespace scorelab
