// Sampler kernels against core's samplers: the same seed, initial particles and score through
// core (double) and the GLSL kernels (float), 100 steps, then the per-particle position error.
//
// Tolerances, with u = 2⁻²⁴ ≈ 6·10⁻⁸ (float unit roundoff) and `scale` = the largest |coordinate|
// of core's final particles (~7 here). Each step the kernel rounds x with a handful of float
// operations (~few·u·scale) and adds noise from a float Box–Muller draw (|Δz| < 5·10⁻⁵, see
// test_gpu_rng.cpp, times a noise factor ≤ 1). Inside a mode the update contracts (I + a∇s has norm
// < 1), so these perturbations do not pile up: the typical particle ends ~10·u·scale away, and we
// ask for median ≤ 2·10⁻⁶·scale. Particles that crossed an expanding region (a saddle between modes,
// the early high-noise steps) have their perturbations amplified; we ask for 99 % of particles
// within 2·10⁻⁵·scale and every particle within 10⁻³·scale (the ~1e-4 relative drift after 100
// steps the issue asks for, with room for the rare amplified particle). Any real mismatch — a wrong
// RNG counter, coefficient, level or sign — moves particles by the noise scale (≥ 0.1 per step),
// hundreds of times the largest bound. NaN/Inf is checked first.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "app/gpu/gpu_sampler.hpp"
#include "core/nn/score_network.hpp"
#include "core/samplers/sampler.hpp"
#include "gpu_test_context.hpp"
#include "seeded_network.hpp"

namespace scorelab {
namespace {

// Three anisotropic, unequal components: every term of the mixture kernel matters.
GaussianMixture test_mixture() {
  Mat2 a, b, c;
  a << 1.0, 0.3, 0.3, 0.5;
  b << 0.4, -0.1, -0.1, 0.8;
  c << 0.6, 0.0, 0.0, 0.6;
  return GaussianMixture({{0.5, Vec2(-3.0, 1.0), a}, {0.3, Vec2(3.0, 2.0), b}, {0.2, Vec2(0.5, -3.0), c}});
}

SamplerConfig base_config(SamplerKind kind) {
  SamplerConfig c;
  c.kind = kind;
  c.particles = 2048;
  c.seed = 7;
  c.steps = 100;
  return c;
}

struct Parity {
  double median = 0, p99 = 0, max = 0, scale = 0;
};

// Runs both sides and checks the run's shape (steps, NFE, finiteness) before returning the errors.
Parity run_parity(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& cpu_score,
                  const GpuScore& gpu_score) {
  const Points x0 = initial_particles(config, noise);
  auto cpu_sampler = make_sampler(config, noise, cpu_score);
  const SampleRun cpu = run_sampler(*cpu_sampler, x0);
  GpuSampler gpu_sampler(config, noise, gpu_score);
  const SampleRun gpu = run_gpu_sampler(gpu_sampler, x0);
  REQUIRE(gpu_sampler.num_steps() == cpu_sampler->num_steps());
  CHECK(gpu.nfe == cpu.nfe);
  REQUIRE(cpu.x.allFinite());
  REQUIRE(gpu.x.allFinite());
  const Eigen::VectorXd err = (gpu.x - cpu.x).colwise().norm().transpose();
  std::vector<double> e(err.data(), err.data() + err.size());
  std::sort(e.begin(), e.end());
  Parity p;
  p.median = e[e.size() / 2];
  p.p99 = e[e.size() * 99 / 100];
  p.max = e.back();
  p.scale = cpu.x.cwiseAbs().maxCoeff();
  return p;
}

void check_parity(const char* what, const SamplerConfig& config, const NoiseConfig& noise,
                  const ScoreFunction& cpu_score, const GpuScore& gpu_score) {
 const std::string name = what;
  CAPTURE(name);
  const Parity p = run_parity(config, noise, cpu_score, gpu_score);
  MESSAGE(name << ": |Δx| median " << p.median << ", p99 " << p.p99 << ", max " << p.max << " (scale "
               << p.scale << ")");
  CHECK(p.median <= 2e-6 * p.scale);
  CHECK(p.p99 <= 2e-5 * p.scale);
  CHECK(p.max <= 1e-3 * p.scale);
}

NoiseConfig sde_noise(NoiseKind kind) {
  NoiseConfig n;
  n.kind = kind;
  n.sigma_min = 0.01;
  n.sigma_max = 10.0;
  return n;
}

}  // namespace

TEST_CASE("Langevin and annealed Langevin kernels match core (exact mixture score)") {
  SCORELAB_REQUIRE_GPU();
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  NoiseConfig geometric;
  geometric.kind = NoiseKind::geometric;
  geometric.sigma_min = 0.1;
  geometric.sigma_max = 5.0;
  geometric.levels = 10;
  SamplerConfig c = base_config(SamplerKind::langevin);
  c.init.kind = InitKind::uniform;
  c.init.low = Vec2(-6, -6);
  c.init.high = Vec2(6, 6);
  c.eps = 0.01;
  c.langevin_sigma = 0.3;
  check_parity("langevin, sigma 0.3", c, geometric, cpu, gpu);
  c.langevin_sigma = 0.0;  // the clean data's score
  check_parity("langevin, sigma 0", c, geometric, cpu, gpu);
  c.kind = SamplerKind::annealed;
  c.steps_per_level = 10;  // 10 levels x 10 steps
  c.denoise = true;
  check_parity("annealed + Tweedie denoise", c, geometric, cpu, gpu);
}

TEST_CASE("reverse-SDE kernels (Euler–Maruyama, predictor–corrector, DDPM) match core") {
  SCORELAB_REQUIRE_GPU();
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::ve, NoiseKind::subvp}) {
    const NoiseConfig noise = sde_noise(kind);
    const std::string k = to_string(kind);
    SamplerConfig c = base_config(SamplerKind::em);
    check_parity(("em " + k).c_str(), c, noise, cpu, gpu);
    c.kind = SamplerKind::pc;
    c.steps = 50;  // 50 x (1 corrector + 1 predictor) = 100 score passes
    c.denoise = true;
    check_parity(("pc + denoise " + k).c_str(), c, noise, cpu, gpu);
    if (kind == NoiseKind::subvp) continue;  // core refuses DDPM on sub-VP
    c = base_config(SamplerKind::ddpm);
    check_parity(("ddpm " + k).c_str(), c, noise, cpu, gpu);
  }
}

TEST_CASE("probability-flow ODE kernels (Euler, Heun, RK4) match core") {
  SCORELAB_REQUIRE_GPU();
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::ve, NoiseKind::subvp}) {
    SamplerConfig c = base_config(SamplerKind::ode);
    for (OdeSolver solver : {OdeSolver::euler, OdeSolver::heun, OdeSolver::rk4}) {
      c.solver = solver;
      c.denoise = solver == OdeSolver::rk4;
      check_parity((std::string("ode ") + to_string(solver) + " " + to_string(kind)).c_str(), c, sde_noise(kind),
                   cpu, gpu);
    }
  }
}

TEST_CASE("the math at every slider position: exact discrete VP steps, annealed ε rule, EDM ladder, stochastic Heun") {
  SCORELAB_REQUIRE_GPU();
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  // Few steps: β(t)·h ≥ 1 there, so the old first-order kernels gave NaN; the exact αᵢ never does.
  for (int steps : {5, 10, 19}) {
    SamplerConfig c = base_config(SamplerKind::ddpm);
    c.steps = steps;
    check_parity(("ddpm vp, " + std::to_string(steps) + " steps").c_str(), c, sde_noise(NoiseKind::vp), cpu, gpu);
    c.kind = SamplerKind::pc;
    check_parity(("pc subvp, " + std::to_string(steps) + " steps").c_str(), c, sde_noise(NoiseKind::subvp), cpu, gpu);
  }
  // One or two DDPM steps divide by √αᵢ = e^(−ΔB/2) ≈ 1/152 (N = 1): x + βᵢ·s cancels to ~1 % of x
  // and the quotient multiplies float roundoff by ~150, past the 100-step bounds above. Finite, and
  // every particle within the bound for amplified particles (10⁻³·scale).
  for (int steps : {1, 2}) {
    SamplerConfig c = base_config(SamplerKind::ddpm);
    c.steps = steps;
    const Parity p = run_parity(c, sde_noise(NoiseKind::vp), cpu, gpu);
    MESSAGE("ddpm vp, " << steps << " steps: |Δx| median " << p.median << ", max " << p.max << " (scale " << p.scale << ")");
    CHECK(p.max <= 1e-3 * p.scale);
  }
  SamplerConfig annealed = base_config(SamplerKind::annealed);
  annealed.eps_auto = true;  // Song & Ermon's ε, taken from core
  annealed.steps_per_level = 10;
  check_parity("annealed vp, auto eps", annealed, sde_noise(NoiseKind::vp), cpu, gpu);

  NoiseConfig edm = sde_noise(NoiseKind::edm);
  SamplerConfig ode = base_config(SamplerKind::ode);
  ode.steps = 18;
  ode.solver = OdeSolver::heun;
  check_parity("ode heun on the edm ladder", ode, edm, cpu, gpu);
  ode.s_churn = 10;
  ode.s_tmin = 0.05;
  ode.s_tmax = 5;
  check_parity("ode heun on the edm ladder, churn", ode, edm, cpu, gpu);
  ode.solver = OdeSolver::rk4;
  check_parity("ode rk4 on the edm ladder, churn", ode, edm, cpu, gpu);
  for (SamplerKind kind : {SamplerKind::em, SamplerKind::pc, SamplerKind::ddpm})
    check_parity((std::string(to_string(kind)) + " on the edm ladder").c_str(), base_config(kind), edm, cpu, gpu);

  SamplerConfig heun = base_config(SamplerKind::em);
  heun.solver = OdeSolver::heun;
  for (NoiseKind kind : {NoiseKind::vp, NoiseKind::ve, NoiseKind::subvp})
    check_parity((std::string("em stochastic heun ") + to_string(kind)).c_str(), heun, sde_noise(kind), cpu, gpu);
}

TEST_CASE("sampler kernels with a score network match core's NetworkScore") {
  SCORELAB_REQUIRE_GPU();
  // A small network keeps the shader compile short on llvmpipe; mlp.glsl is the same for any width.
  const auto net = test::seeded_network({16, 12}, 11, 2.0);
  const NetworkScore cpu(net);
  const GpuScore gpu(net);
  // VE with a small σ_max: no expanding drift, so an untrained field keeps the particles at O(σ_max)
  // (reverse VP multiplies |x| by up to e^(B(1)/2) ≈ 150 without a score that pulls back).
  NoiseConfig noise = sde_noise(NoiseKind::ve);
  noise.sigma_max = 3.0;
  noise.sigma_min = 0.05;
  SamplerConfig c = base_config(SamplerKind::em);
  c.particles = 2003;  // not a multiple of the kernel's batch of 8
  check_parity("em ve, network", c, noise, cpu, gpu);
  const GpuScore gpu3{std::shared_ptr<const Mlp<float>>(net), 3};  // 3 particles per invocation
  check_parity("em ve, network, batch 3", c, noise, cpu, gpu3);
  c.kind = SamplerKind::ode;
  c.solver = OdeSolver::heun;
  check_parity("ode heun ve, network", c, noise, cpu, gpu);
  c.kind = SamplerKind::pc;
  c.steps = 50;
  check_parity("pc ve, network", c, noise, cpu, gpu);
  c = base_config(SamplerKind::langevin);
  c.langevin_sigma = 0.5;
  c.eps = 0.01;
  check_parity("langevin sigma 0.5, network", c, noise, cpu, gpu);
  // Below the smallest level the network learned, both sides run at σ_min (core's LangevinSampler).
  c.langevin_sigma = 0.0;
  CHECK(GpuSampler(c, noise, gpu).level_at(0).s == doctest::Approx(noise.sigma_min));
  check_parity("langevin sigma 0 -> sigma_min, network", c, noise, cpu, gpu);
  // A network trained at train.sigma = 0 (single-level objective) is asked at s = 0, output scale 1.
  NetworkScore cpu_at_zero(net);
  cpu_at_zero.set_trained_sigma(0.0);
  GpuScore gpu_at_zero(net);
  gpu_at_zero.set_trained_sigma(0.0);
  CHECK(GpuSampler(c, noise, gpu_at_zero).level_at(0).s == 0.0);
  check_parity("langevin sigma 0, network trained at sigma 0", c, noise, cpu_at_zero, gpu_at_zero);
}

// The same samplers on the fused network kernel (shaders/mlp_fused.glsl), which the GUI picks on
// hardware GPUs: forced here so that llvmpipe runs it too. 2003 particles: the last workgroup is
// partial, and its idle invocations must still take part in the workgroup's barriers.
TEST_CASE("sampler kernels with the fused network kernel match core's NetworkScore") {
  SCORELAB_REQUIRE_GPU();
  const auto net = test::seeded_network({16, 12}, 11, 2.0);
  const NetworkScore cpu(net);
  const GpuScore gpu(net, NetworkKernel::fused);
  REQUIRE(gpu.kernel() == NetworkKernel::fused);
  CHECK(gpu.batch() == 1);
  NoiseConfig noise = sde_noise(NoiseKind::ve);  // as the lanes test above: VE, small σ_max
  noise.sigma_max = 3.0;
  noise.sigma_min = 0.05;
  SamplerConfig c = base_config(SamplerKind::em);
  c.particles = 2003;
  check_parity("em ve, network [fused]", c, noise, cpu, gpu);
  c.kind = SamplerKind::ode;
  c.solver = OdeSolver::heun;
  check_parity("ode heun ve, network [fused]", c, noise, cpu, gpu);
  c.kind = SamplerKind::pc;
  c.steps = 50;
  check_parity("pc ve, network [fused]", c, noise, cpu, gpu);
  c = base_config(SamplerKind::langevin);
  c.langevin_sigma = 0.5;
  c.eps = 0.01;
  check_parity("langevin sigma 0.5, network [fused]", c, noise, cpu, gpu);
}

// The bench's reference networks (seeded as scripts/bench seeds them) on the fused kernel: Langevin
// at a fixed level, the bench's work, 20 steps over 1000 particles. (The lanes kernel's Langevin
// with these networks also matches — median 4.4e-7, p99 2.5e-6, max 6.5e-6 at scale 11 — but its
// cold compile on llvmpipe takes minutes for 3 × 128, too long for the suite; test_gpu_mlp.cpp
// checks the lanes kernel's 64-64 forward, and the lanes kernel code is the same for any width.)
TEST_CASE("Langevin with the reference networks 3 → 64 → 64 → 2 and 3 → 128³ → 2 matches core (fused kernel)") {
  SCORELAB_REQUIRE_GPU();
  NoiseConfig noise = sde_noise(NoiseKind::ve);
  noise.sigma_max = 3.0;
  noise.sigma_min = 0.05;
  SamplerConfig c = base_config(SamplerKind::langevin);
  c.langevin_sigma = 0.5;
  c.eps = 0.01;
  c.particles = 1000;
  c.steps = 20;
  for (const std::vector<int>& hidden : {std::vector<int>{64, 64}, std::vector<int>{128, 128, 128}}) {
    const auto net = test::seeded_network(hidden, 1, 1.0);
    const NetworkScore cpu(net);
    const std::string name = "langevin, reference network " + std::to_string(hidden.size()) + " x " +
                             std::to_string(hidden[0]);
    check_parity((name + " [fused]").c_str(), c, noise, cpu, GpuScore(net, NetworkKernel::fused));
  }
}

TEST_CASE("GpuSampler: trajectory ring, stream offset and any particle count") {
  SCORELAB_REQUIRE_GPU();
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  SamplerConfig c = base_config(SamplerKind::em);  // the first 6 of 100 steps
  c.particles = 70001;  // odd: the last workgroup is partial
  const NoiseConfig noise = sde_noise(NoiseKind::vp);
  const Points x0 = initial_particles(c, noise);
  GpuSampler sampler(c, noise, gpu);
  sampler.set_trajectory_capacity(4);
  sampler.set_particles(x0, 1000);  // particle j draws from stream 1000 + j
  auto reference = make_sampler(c, noise, cpu);
  Points x = x0;
  std::vector<Points> frames;
  for (int k = 0; k < 6; ++k) {
    sampler.step(k, true);
    reference->step(k, x, 1000);
    frames.push_back(x);
  }
  CHECK(sampler.frames_recorded() == 6);
  CHECK_THROWS_AS(sampler.trajectory_frame(1), std::out_of_range);  // overwritten: the ring holds 4
  for (long f = 2; f < 6; ++f) {
    const Points g = sampler.trajectory_frame(f);
    REQUIRE(g.allFinite());
    CHECK((g - frames[f]).cwiseAbs().maxCoeff() < 1e-4);  // 6 steps: ~1e-5 (float rounding, normal2)
  }
  CHECK((sampler.particles() - x).cwiseAbs().maxCoeff() < 1e-4);
}

TEST_CASE("GpuSampler: 4.2 million particles, more workgroups than one dispatch row holds") {
  SCORELAB_REQUIRE_GPU();
  // 65535 groups of 64 invocations cover 4,194,240 particles; one more needs a second row of the
  // 2D grid (gl/compute.cpp dispatch_flat). One EM step against core on every particle.
  const GaussianMixture mix = test_mixture();
  const MixtureScore cpu(mix);
  const GpuScore gpu(mix);
  SamplerConfig c = base_config(SamplerKind::em);
  c.particles = 4000000;  // the config says 4·10⁶; the buffers take what set_particles gives
  const NoiseConfig noise = sde_noise(NoiseKind::vp);
  Points x(2, 4200001);
  for (Eigen::Index j = 0; j < x.cols(); ++j) x.col(j) = normal2(3, uint32_t(j), 0);
  GpuSampler sampler(c, noise, gpu);
  sampler.set_particles(x);
  sampler.step(0);
  make_sampler(c, noise, cpu)->step(0, x, 0);
  const Points g = sampler.particles();
  REQUIRE(g.allFinite());
  // One step from N(0, I): |x| ≲ 6, a few float roundings and one Box–Muller draw (< 5e-5).
  CHECK((g - x).cwiseAbs().maxCoeff() < 1e-4);
}

}  // namespace scorelab
