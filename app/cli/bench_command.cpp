// scorelab bench [--json]: throughput figures of the CPU reference, measured in one run so that
// ratios between them mean something on a shared, noisy machine. Figures, not tests.
#include <Eigen/Dense>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/cli/commands.hpp"
#include "app/export/export_bench.hpp"
#include "app/export/frame_bench.hpp"
#include "app/gui/window_bench.hpp"
#include "app/gpu/particle_bench.hpp"
#include "core/empirical_score.hpp"
#include "core/file_io.hpp"
#include "core/particle_budget.hpp"
#include "core/likelihood.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/training_run.hpp"
#include "core/samplers/sampler.hpp"
#include "core/scene.hpp"
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

// The vector ISA this binary was built for (Release builds use -march=native).
const char* widest_isa() {
#if defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#else
  return "SSE";
#endif
}

// Single-precision GEMM, single-threaded Eigen, square n: 2n³ flops per product.
double gemm_gflops(int n) {
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
  double s = time_per_call([&] { c.noalias() = a * b; });
  return 2.0 * n * n * double(n) / s / 1e9;
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

// GEMM of a hidden layer's shape: (128 × 128) · (128 × 512), the product training runs most.
double layer_gemm_gflops() {
  Eigen::MatrixXf w = Eigen::MatrixXf::Random(128, 128), h = Eigen::MatrixXf::Random(128, 512), out(128, 512);
  double s = time_per_call([&] { out.noalias() = w * h; }, 0.3);
  return 2.0 * 128 * 128 * 512 / s / 1e9;
}

// Σ fan_in·fan_out over the layers: the multiply-adds of one forward pass per column.
double macs_per_column(const Mlp<float>& net) {
  double macs = 0;
  for (int l = 0; l < net.layers(); ++l) macs += double(net.fan_in(l)) * net.fan_out(l);
  return macs;
}

// The reference configuration: 3 → 128 → 128 → 128 → 2, SiLU, batch 512, NCSN DSM, Adam,
// on the NCSN mixture, one thread.
struct TrainingFigures {
  double steps_per_s, flops_per_step, eval_points_per_s, eval_flops_per_point;
};
TrainingFigures training_figures() {
  GaussianMixture mix = *toy_mixture("ncsn");
  NoiseConfig noise;
  noise.kind = NoiseKind::geometric;
  noise.sigma_max = 20;
  noise.sigma_min = 1;
  TrainConfig train = default_train_config(noise.kind);
  train.batch = 512;
  TrainingRun run(mix.sample(10000, 0), noise, ModelConfig{}, train);
  run.set_threads(1);
  for (int i = 0; i < 20; ++i) run.step();  // warm up allocations
  const int steps = 50;
  double s = time_per_call([&] {
    for (int i = 0; i < steps; ++i) run.step();
  });
  TrainingFigures f;
  double macs = macs_per_column(run.net());
  f.steps_per_s = steps / s;
  f.flops_per_step = 3.0 * 2.0 * macs * train.batch;  // forward + backward (≈ 2× forward)
  NetworkScore score(std::make_shared<const Mlp<float>>(run.ema_net()));
  Points x = mix.sample(4096, 3), out;
  double e = time_per_call([&] { score.score(x, {0.5, 1.0, 5.0}, out); });
  f.eval_points_per_s = 4096 / e;
  f.eval_flops_per_point = 2.0 * macs;
  return f;
}

// A preset's sampler with the ideal score of its training points (10⁴), at its particle count (4000):
// steps per second over the whole run, full sum (EmpiricalScore::Method::exact) against the fast path.
// The fast path runs every step; the full sum (~0.1–0.3 s a step) times every stride-th step from the
// very same particle positions, so both see the same mix of noise levels in one run.
struct IdealScoreFigures {
  double exact_steps_per_s, fast_steps_per_s;
};
IdealScoreFigures ideal_score_steps_per_s(const char* scene_file, int exact_stride) {
  const Scene scene = load_scene(std::filesystem::path(SCORELAB_ASSET_DIR) / "scenes" / scene_file);
  const Points data = training_points(scene.data);
  const EmpiricalScore exact(data, 2, EmpiricalScore::Method::exact), fast(data, 2, EmpiricalScore::Method::fast);
  auto exact_sampler = make_sampler(scene.sampler, scene.noise, exact);
  auto fast_sampler = make_sampler(scene.sampler, scene.noise, fast);
  Points x = initial_particles(scene.sampler, scene.noise);
  double fast_s = 0, exact_s = 0;
  int exact_steps = 0;
  for (int k = 0; k < fast_sampler->num_steps(); ++k) {
    if (k % exact_stride == 0) {
      Points y = x;
      const auto t0 = Clock::now();
      exact_sampler->step(k, y);
      exact_s += std::chrono::duration<double>(Clock::now() - t0).count();
      ++exact_steps;
    }
    const auto t0 = Clock::now();
    fast_sampler->step(k, x);
    fast_s += std::chrono::duration<double>(Clock::now() - t0).count();
  }
  return {exact_steps / exact_s, fast_sampler->num_steps() / fast_s};
}

// Both ideal-score presets as bench figures: before (full sum), after (fast path), and their ratio.
void add_ideal_score_figures(std::vector<BenchFigure>& figures) {
  struct Preset {
    const char *key, *file, *what;
    int exact_stride;
  };
  for (const Preset& p : {Preset{"checkerboard_pc", "checkerboard_ve.json", "checkerboard VE, PC 1000 steps", 25},
                          Preset{"swissroll_ode", "swissroll_ode.json", "swiss roll VP, ODE RK4 100 steps", 5}}) {
    const IdealScoreFigures f = ideal_score_steps_per_s(p.file, p.exact_stride);
    const std::string what = std::string("ideal score of 1e4 points, 4000 particles, ") + p.what;
    const std::string key = std::string("ideal_") + p.key;
    figures.push_back({key + "_exact_steps_per_s", what + ", full sum", f.exact_steps_per_s, "steps/s"});
    figures.push_back({key + "_fast_steps_per_s", what + ", fast path", f.fast_steps_per_s, "steps/s"});
    figures.push_back({key + "_speedup", "  ratio fast / full sum (one run)", f.fast_steps_per_s / f.exact_steps_per_s, ""});
  }
}

// A table, or JSON in run order (each GPU figure beside its CPU twin); gpu_renderer: "" when none
// ran; kernel: the network kernel the renderer gets by default.
void print_figures(const std::vector<BenchFigure>& figures, bool as_json, const std::string& gpu_renderer,
                   const std::string& kernel = "") {
  const std::string kernel_line = "GPU network kernel by default here: " + kernel;
  if (as_json) {
    nlohmann::ordered_json j;
    for (const auto& f : figures) j[f.key] = {{"value", f.value}, {"unit", f.unit}, {"what", f.label}};
    if (!gpu_renderer.empty()) j["gpu_renderer"] = {{"value", 0}, {"unit", ""}, {"what", "GPU: " + gpu_renderer}};
    if (!kernel.empty()) j["gpu_network_kernel"] = {{"value", kernel == "fused" ? 1 : 0}, {"unit", ""}, {"what", kernel_line}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& f : figures) std::printf("%-78s %12.4g  %s\n", f.label.c_str(), f.value, f.unit.c_str());
    if (!kernel.empty()) std::printf("%s (GPU: %s)\n", kernel_line.c_str(), gpu_renderer.c_str());
  }
}

// scorelab bench --frames: the whole window headless (app/gui/window_bench.hpp), or with
// --plane-only the plane without the GUI's panels (app/export/frame_bench.hpp).
int run_frame_bench_command(const FrameBenchOptions& options, bool plane_only, bool as_json) {
  const FrameBenchResult r = plane_only ? run_frame_bench(options) : run_window_bench(options);
  if (!r.available) {
    std::fprintf(stderr, "scorelab bench --frames: %s\n", r.why.c_str());
    return r.renderer.empty() ? 77 : 1;  // 77: no GL context at all (the tests skip)
  }
  const std::string what = std::to_string(r.frames) + " frames, " + std::to_string(options.width) + "x" +
                           std::to_string(options.height) + (plane_only ? ", the plane only, " : ", panels included, ") +
                           r.scene + " + training, " + std::to_string(r.particles) + " particles, GPU: " + r.renderer;
  if (as_json) {
    nlohmann::ordered_json j;
    j["frame_median_ms"] = {{"value", r.median_ms}, {"unit", "ms"}, {"what", "headless frame time median, " + what}};
    j["frame_p95_ms"] = {{"value", r.p95_ms}, {"unit", "ms"}, {"what", "headless frame time p95, " + what}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("headless frame time median %.2f ms, p95 %.2f ms (%s)\n", r.median_ms, r.p95_ms, what.c_str());
  }
  return 0;
}

// The particle figures only, no density (scorelab bench --kernels): the two network kernels side by
// side in a minute, where the whole bench takes far longer on llvmpipe.
int run_kernel_bench(bool as_json) {
  ParticleBenchOptions options;
  options.density = false;
  const ParticleBenchReport particles = run_particle_bench(options);
  if (!particles.gpu_available) std::fprintf(stderr, "scorelab bench: GPU figures skipped: %s\n", particles.why.c_str());
  print_figures(particles.figures, as_json, particles.gpu_available ? particles.renderer : "", particles.network_kernel);
  return 0;
}

// The CPU's training and GEMM figures (scorelab bench --cpu, and the head of the whole bench).
std::vector<BenchFigure> cpu_training_figures() {
  double peak = gemm_gflops(512), layer_peak = layer_gemm_gflops();
  TrainingFigures t = training_figures();
  double train_gflops = t.steps_per_s * t.flops_per_step / 1e9;
  double eval_gflops = t.eval_points_per_s * t.eval_flops_per_point / 1e9;
  std::vector<BenchFigure> figures = {
      {"gemm_gflops", "Eigen SGEMM 512x512 (1 thread)", peak, "GFLOP/s"},
      {"layer_gemm_gflops", "Eigen SGEMM 128x128 * 128x512 (1 thread)", layer_peak, "GFLOP/s"},
      {"train_steps_per_s", "training, 3-128-128-128-2 SiLU, batch 512, NCSN DSM", t.steps_per_s, "steps/s"},
      {"train_flops_per_step", "  FLOPs per training step (fwd + bwd)", t.flops_per_step, "FLOP"},
      {"train_fraction_of_peak", "  fraction of the 512^3 SGEMM peak", train_gflops / peak, ""},
      {"train_fraction_of_layer_gemm", "  fraction of the layer-shaped SGEMM", train_gflops / layer_peak, ""},
      {"net_eval_points_per_s", "network score evaluation, N = 4096", t.eval_points_per_s, "points/s"},
      {"net_eval_fraction_of_peak", "  fraction of the 512^3 SGEMM peak", eval_gflops / peak, ""},
      {"ode_nll_exact_8gauss", "ODE likelihood, exact score, VP, RK4 x 200 steps", ode_likelihood_points_per_s(2000),
       "points/s"},
  };
  // The peak: 1024³, where the widest ISA shows (AVX-512 about twice AVX2 on these EPYCs).
  const double big_peak = gemm_gflops(1024);
  figures.push_back({"gemm_1024_gflops", "Eigen SGEMM 1024x1024 (1 thread), " + std::string(widest_isa()), big_peak, "GFLOP/s"});
  figures.push_back({"train_fraction_of_1024_peak", "  training's fraction of the 1024^3 SGEMM peak", train_gflops / big_peak, ""});
  return figures;
}

int run_bench(bool as_json, bool ideal_only, bool cpu_only) {
  if (ideal_only || cpu_only) {
    std::vector<BenchFigure> figures = ideal_only ? std::vector<BenchFigure>{} : cpu_training_figures();
    if (ideal_only) add_ideal_score_figures(figures);
    print_figures(figures, as_json, "");
    return 0;
  }
  std::vector<BenchFigure> figures = cpu_training_figures();
  add_ideal_score_figures(figures);
  // Particles and density on both paths in the same run, so GPU/CPU ratios compare like with like.
  const ParticleBenchReport particles = run_particle_bench();
  if (!particles.gpu_available)
    std::fprintf(stderr, "scorelab bench: GPU figures skipped: %s\n", particles.why.c_str());
  figures.insert(figures.end(), particles.figures.begin(), particles.figures.end());
  const ExportBenchResult exported = measure_export_throughput(60);
  if (exported.available)
    figures.push_back({"export_mp4_720p_fps", "export, default scene, 1280x720 MP4 (render + x264)",
                       exported.frames_per_second, "frames/s"});
  else
    std::fprintf(stderr, "scorelab bench: export figure skipped: %s\n", exported.why.c_str());
  print_figures(figures, as_json, particles.gpu_available ? particles.renderer : "", particles.network_kernel);
  return 0;
}

}  // namespace

CommandRunner add_bench_command(CLI::App& app) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("bench", "Print CPU and GPU throughput figures (not a test)");
  cmd->add_flag("--json", *as_json, "Print JSON instead of a table");
  auto ideal_only = std::make_shared<bool>(false);
  cmd->add_flag("--ideal-score", *ideal_only, "Only the ideal-score sampler figures (full sum vs fast path)");
  auto frames = std::make_shared<bool>(false);
  auto frame_count = std::make_shared<int>(300);
  auto particles = std::make_shared<int>(0);
  cmd->add_flag("--frames", *frames,
                "Only the headless frame bench: the default scene with training on, drawn as the window draws "
                "it, menus and panels included (1920x1080, EGL); prints the median and p95 frame time");
  auto plane_only = std::make_shared<bool>(false);
  cmd->add_flag("--plane-only", *plane_only, "With --frames: the plane and its overlay only, without the GUI's panels");
  auto screenshot = std::make_shared<std::string>();
  cmd->add_option("--screenshot", *screenshot, "With --frames: the last frame as a PNG (what was measured)");
  cmd->add_option("--frames-count", *frame_count, "Frames of the frame bench (default 300)")->check(CLI::Range(1, 100000));
  cmd->add_option("--particles", *particles, "Particles of the frame bench (default: the scene's)")
      ->check(CLI::Range(1, kMaxParticles));
  auto cpu_only = std::make_shared<bool>(false);
  cmd->add_flag("--cpu", *cpu_only, "Only the CPU's GEMM peaks and the training figures (a minute)");
  auto kernels = std::make_shared<bool>(false);
  cmd->add_flag("--kernels", *kernels,
                "Only the particle figures (Langevin: exact mixture, the reference networks on both network "
                "kernels, the CPU beside them), no density");
  return [as_json, ideal_only, cpu_only, frames, frame_count, particles, kernels, plane_only, screenshot] {
    if (*frames) {
      FrameBenchOptions options;
      options.frames = *frame_count;
      options.particles = *particles;
      options.screenshot = *screenshot;
      if (!options.screenshot.empty()) check_output_path(options.screenshot, "--screenshot");
      if (*plane_only && !options.screenshot.empty()) throw InputError("--screenshot: only with the whole window (not --plane-only)");
      return run_frame_bench_command(options, *plane_only, *as_json);
    }
    if (*kernels) return run_kernel_bench(*as_json);
    return run_bench(*as_json, *ideal_only, *cpu_only);
  };
}

}  // namespace scorelab
