// scorelab bench [--json]: throughput figures of the CPU reference, measured in one run so that
// ratios between them mean something on a shared, noisy machine. Figures, not tests.
#include <Eigen/Dense>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli/commands.hpp"
#include "core/likelihood.hpp"
#include "core/samplers/sampler.hpp"
#include "core/toy_data.hpp"

namespace scorelab {

namespace {

using Clock = std::chrono::steady_clock;

// Runs fn repeatedly for at least min_seconds; returns seconds per call (best of the repeats).
template <typename F>
double time_per_call(F&& fn, double min_seconds = 0.5) {
  double best = 1e30, total = 0;
  int calls = 0;
  while (total < min_seconds || calls < 3) {
    auto t0 = Clock::now();
    fn();
    double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::min(best, dt);
    total += dt;
    ++calls;
  }
  return best;
}

// Single-precision GEMM, single-threaded Eigen, square n: 2n³ flops per product.
double gemm_gflops(int n) {
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
  double s = time_per_call([&] { c.noalias() = a * b; });
  return 2.0 * n * n * double(n) / s / 1e9;
}

// Langevin with the exact 8-component score (8gaussians) at N particles.
double langevin_particle_steps_per_s(int n) {
  MixtureScore score(*toy_mixture("8gaussians"));
  SamplerConfig c;
  c.kind = SamplerKind::langevin;
  c.langevin_sigma = 0.0;
  c.eps = 0.01;
  c.particles = n;
  NoiseConfig noise;
  auto sampler = make_sampler(c, noise, score);
  Points x = initial_particles(c, noise);
  int k = 0;
  const int steps = 5;
  double s = time_per_call([&] {
    for (int i = 0; i < steps; ++i) sampler->step(k++, x);
  });
  return double(n) * steps / s;
}

// ODE likelihood (VP, RK4, 200 steps, exact 8gaussians score) in points per second.
double ode_likelihood_points_per_s(int n) {
  GaussianMixture mix = *toy_mixture("8gaussians");
  MixtureScore score(mix);
  Points x = mix.sample(n, 1);
  NoiseConfig noise;
  double s = time_per_call([&] { ode_log_likelihood(score, noise, x); }, 0.2);
  return double(n) / s;
}

struct Figure {
  const char* key;
  const char* label;
  double value;
  const char* unit;
};

int run_bench(bool as_json) {
  std::vector<Figure> figures = {
      {"gemm_gflops", "Eigen SGEMM 512x512 (1 thread)", gemm_gflops(512), "GFLOP/s"},
      {"langevin_exact_8gauss_1e5", "Langevin, exact 8-component score, N = 1e5", langevin_particle_steps_per_s(100000),
       "particle-steps/s"},
      {"ode_nll_exact_8gauss", "ODE likelihood, exact score, VP, RK4 x 200 steps", ode_likelihood_points_per_s(2000),
       "points/s"},
  };
  if (as_json) {
    nlohmann::json j;
    for (const auto& f : figures) j[f.key] = {{"value", f.value}, {"unit", f.unit}, {"what", f.label}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& f : figures) std::printf("%-52s %14.4g  %s\n", f.label, f.value, f.unit);
  }
  return 0;
}

}  // namespace

CommandRunner add_bench_command(CLI::App& app) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("bench", "Print CPU throughput figures (not a test)");
  cmd->add_flag("--json", *as_json, "Print JSON instead of a table");
  return [as_json] { return run_bench(*as_json); };
}

}  // namespace scorelab
