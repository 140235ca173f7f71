// The GLSL twin of the ideal score's truncated path (shaders/ideal_score.glsl) against core's full sum,
// through the score-field probe, at levels from the memorisation end (s' = 0.01) to the prior (s' ~ 150).
//
// Tolerance: the kernel is float. It centres x in float (u = (x − m·center)/m: ~1e-7·|x|/m of rounding),
// then sums up to n weights in float (~√n·1e-7 relative). The score (mean − u)/(s'²m) then carries
// ~1e-7·scale/(s'²m) absolute, ~1e-5 of the score's size at s' = 0.01 and far less above; we ask
// 1e-3 of max(‖score‖, 0.1/s) (and of max(|div|, 1/s²) for the divergence), with the median 10×
// tighter. A wrong cell, level or sign is off by O(1). NaN/Inf first.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "app/gpu/gpu_sampler.hpp"
#include "app/gpu/gpu_score_field.hpp"
#include "core/empirical_score.hpp"
#include "core/rng.hpp"
#include "core/samplers/sampler.hpp"
#include "core/toy_data.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

// Particles where a sampler has them at this level: m·xᵢ + s·z, plus two far away.
Points probes(const Points& data, const NoiseLevel& level) {
  Points x(2, 1001);  // odd: a partial last workgroup
  for (int j = 0; j < x.cols(); ++j)
    x.col(j) = level.m * data.col((j * 37) % data.cols()) + std::max(level.s, 1e-3) * normal2(9, j, 0);
  x.col(0) = Vec2(40, -30);
  x.col(1) = Vec2(-25, 60);
  return x.cast<float>().cast<double>();  // the points both sides see exactly
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[size_t(q * double(v.size() - 1))];
}

}  // namespace

TEST_CASE("ideal score kernel = core's full sum (score and divergence), s' from 0.01 to ~150") {
  SCORELAB_REQUIRE_GPU();
  const Points data = toy_samples("swissroll", 2000, 1);
  const EmpiricalScore exact(data, 2, EmpiricalScore::Method::exact);
  const GpuScore gpu{EmpiricalScore(data)};
  REQUIRE(gpu.is_ideal());
  GpuScoreField field(gpu);
  const Sde sde(NoiseConfig{});  // VP: m from 1 to 0.0066
  std::vector<GpuLevel> levels;
  for (double t : {1e-3, 0.05, 0.3, 1.0}) levels.push_back(sde_level(sde, t));
  for (double s : {0.01, 0.2, 2.0}) levels.push_back(GpuLevel{NoiseLevel{0.5, 1.0, s}});
  for (const GpuLevel& level : levels) {
    const NoiseLevel& l = level.level;
    CAPTURE(l.m);
    CAPTURE(l.s);
    const Points x = probes(data, l);
    Points s_exact;
    Scalars div_exact;
    exact.score_and_divergence(x, l, s_exact, div_exact);
    const FieldValues plain = field.evaluate(x, level, false), with_div = field.evaluate(x, level, true);
    REQUIRE(plain.allFinite());
    REQUIRE(with_div.allFinite());
    const double s = std::max(l.s, EmpiricalScore::kMinNoise);
    std::vector<double> err_s, err_d;
    for (int j = 0; j < x.cols(); ++j) {
      const Vec2 g = plain.col(j).head<2>().cast<double>();
      err_s.push_back((g - s_exact.col(j)).norm() / std::max(s_exact.col(j).norm(), 0.1 / s));
      err_d.push_back(std::abs(with_div(2, j) - div_exact[j]) / std::max(std::abs(div_exact[j]), 1 / (s * s)));
      CHECK((with_div.col(j).head<2>() - plain.col(j).head<2>()).norm() == 0.0f);  // same sums both ways
    }
    MESSAGE("m " << l.m << " s " << l.s << ": score err median " << quantile(err_s, 0.5) << " max "
                 << quantile(err_s, 1.0) << "; div err median " << quantile(err_d, 0.5) << " max " << quantile(err_d, 1.0));
    CHECK(quantile(err_s, 1.0) < 1e-3);
    CHECK(quantile(err_s, 0.5) < 1e-4);
    CHECK(quantile(err_d, 1.0) < 1e-3);
    CHECK(quantile(err_d, 0.5) < 1e-4);
  }
}

// Every sampler kernel compiles and runs with the ideal score, and follows core. Memorisation pulls
// particles onto the training points (a contraction), so float rounding does not pile up; a particle
// that ends between two points after a near tie may still go the other way, so we ask the median and
// the 95th percentile, not the maximum.
TEST_CASE("sampler kernels (PC on VE, RK4 ODE on VP) with the ideal score follow core") {
  SCORELAB_REQUIRE_GPU();
  const Points data = toy_samples("moons", 500, 2);
  const EmpiricalScore cpu(data, 2, EmpiricalScore::Method::truncated);
  const GpuScore gpu{cpu};
  for (SamplerKind kind : {SamplerKind::pc, SamplerKind::ode}) {
    SamplerConfig c;
    c.kind = kind;
    c.particles = 512;
    c.seed = 5;
    c.steps = 40;
    c.solver = OdeSolver::rk4;
    NoiseConfig noise;
    noise.kind = kind == SamplerKind::pc ? NoiseKind::ve : NoiseKind::vp;
    noise.sigma_min = 0.01;
    noise.sigma_max = 5;
    const std::string name = to_string(kind);
    CAPTURE(name);
    const Points x0 = initial_particles(c, noise);
    auto cpu_sampler = make_sampler(c, noise, cpu);
    const SampleRun a = run_sampler(*cpu_sampler, x0);
    GpuSampler gpu_sampler(c, noise, gpu);
    const SampleRun b = run_gpu_sampler(gpu_sampler, x0);
    REQUIRE(b.x.allFinite());
    std::vector<double> err;
    for (int j = 0; j < a.x.cols(); ++j) err.push_back((a.x.col(j) - b.x.col(j)).norm());
    MESSAGE(std::string(to_string(kind)) << ": |Δx| median " << quantile(err, 0.5) << " p95 " << quantile(err, 0.95) << " max "
                            << quantile(err, 1.0));
    CHECK(quantile(err, 0.5) < 1e-4);
    CHECK(quantile(err, 0.95) < 1e-3);
  }
}

}  // namespace scorelab
