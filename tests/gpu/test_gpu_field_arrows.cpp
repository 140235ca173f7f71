// score_field.comp's arrow mode (FIELD_ARROWS, through GpuFieldArrows) against arrow_segments() of
// app/plane/arrow_field.cpp fed with core's scores: the true field of a mixture, a network's field,
// their difference, normalised arrows, and a second snapshot of the same architecture (the kernel is
// reused, the weights must not be).
//
// Tolerance: the kernel works in float. Endpoints are centre ± ½·length·dir with barbs at 0.35·length:
// a few roundings of values up to |x| + length ≈ 5, so 1e-5 absolute is ~20 ulp; the score itself is
// float (network: its own float forward; mixture: ~1e-6 relative), which moves lengths by
// max_length·|Δs|/reference ≲ 1e-5 here. Colours interpolate the same anchors: 1e-5. A wrong barb
// angle, a swapped difference sign or stale weights are off by ≥ 1e-2.
#include <doctest/doctest.h>

#include <vector>

#include "app/gl/compute.hpp"
#include "app/gpu/gpu_field_arrows.hpp"
#include "core/empirical_score.hpp"
#include "core/nn/score_network.hpp"
#include "core/toy_data.hpp"
#include "gpu_test_context.hpp"
#include "seeded_network.hpp"

namespace scorelab {
namespace {

constexpr float kSentinel = 12345.0f;

struct Readback {
  std::vector<float> floats;  // 9 per segment
};

// Runs fill() into a fresh buffer with two sentinel segments in front (they must survive).
Readback run_fill(GpuFieldArrows& arrows, const ArrowGrid& grid, const GpuLevel& level, const ArrowParams& params,
                  const std::shared_ptr<const ScoreFunction>& exact, const std::shared_ptr<const ScoreFunction>& learned,
                  bool difference, bool* ok) {
  const int n = grid.nx * grid.ny, first = 2;
  std::vector<float> init(size_t(9 * (first + 3 * n)), kSentinel);
  gl::Buffer buffer = gpu::make_storage(GLsizeiptr(init.size() * sizeof(float)), init.data());
  *ok = arrows.fill(buffer.id(), first, grid, level, params, exact, learned, difference);
  Readback r;
  r.floats.resize(init.size());
  gpu::read_storage(buffer, 0, GLsizeiptr(init.size() * sizeof(float)), r.floats.data());
  return r;
}

void check_against_cpu(const Readback& r, const ArrowGrid& grid, const Points& v, const ArrowParams& params) {
  for (int k = 0; k < 18; ++k) REQUIRE(r.floats[size_t(k)] == kSentinel);  // segments before `first` untouched
  int visible = 0;
  double worst = 0.0;
  for (int j = 0; j < grid.ny; ++j)
    for (int i = 0; i < grid.nx; ++i) {
      const int p = j * grid.nx + i;
      const Vec2 center = grid.origin + grid.spacing * Vec2(i, j);
      const ArrowSegments a = arrow_segments(center, v.col(p), params);
      for (int s = 0; s < 3; ++s) {
        const float* g = &r.floats[size_t(9 * (2 + 3 * p + s))];
        if (!a.visible) {
          CHECK(g[8] == 0.0f);  // zero width: not drawn
          continue;
        }
        const double cpu[9] = {a.from[s].x(), a.from[s].y(), a.to[s].x(), a.to[s].y(), a.color.r,
                               a.color.g,     a.color.b,     a.color.a,   params.width_px};
        for (int c = 0; c < 9; ++c) worst = std::max(worst, std::abs(double(g[c]) - cpu[c]));
      }
      visible += a.visible;
    }
  MESSAGE("worst |GPU − CPU| over " << visible << " arrows: " << worst);
  CHECK(visible > grid.nx * grid.ny / 2);
  CHECK(worst < 1e-5);
}

Points grid_points(const ArrowGrid& grid) {
  Points x(2, grid.nx * grid.ny);
  for (int j = 0; j < grid.ny; ++j)
    for (int i = 0; i < grid.nx; ++i) x.col(j * grid.nx + i) = grid.origin + grid.spacing * Vec2(i, j);
  return x;
}

std::shared_ptr<const NetworkScore> network(uint64_t seed) {
  return std::make_shared<const NetworkScore>(test::seeded_network({16, 12}, seed, 1.5));
}

}  // namespace

TEST_CASE("GPU arrows match arrow_segments of core's scores: true, learned, difference, new snapshot") {
  SCORELAB_REQUIRE_GPU();
  const auto exact = std::make_shared<const MixtureScore>(*toy_mixture("8gaussians"));
  const ArrowGrid grid{13, 9, Vec2(-3.75, -2.5), 0.625};  // float-exact points
  const Points x = grid_points(grid);
  const Sde sde{NoiseConfig{}};
  GpuLevel level = sde_level(sde, 0.3);
  ArrowParams params;
  params.max_length = 0.5;
  params.reference = 3.0;
  params.width_px = 1.5f;
  GpuFieldArrows arrows;
  bool ok = false;
  Points truth;
  exact->score(x, level.level, truth);

  SUBCASE("true field, lengths by |s| and normalised") {
    check_against_cpu(run_fill(arrows, grid, level, params, exact, nullptr, false, &ok), grid, truth, params);
    CHECK(ok);
    params.normalise = true;
    check_against_cpu(run_fill(arrows, grid, level, params, exact, nullptr, false, &ok), grid, truth, params);
  }
  SUBCASE("the light theme's colour map (uploaded to the kernel, not a copy in GLSL)") {
    params.theme = Theme::light;
    check_against_cpu(run_fill(arrows, grid, level, params, exact, nullptr, false, &ok), grid, truth, params);
    CHECK(ok);
  }
  SUBCASE("learned field, its difference from the truth, and the next snapshot") {
    const auto a = network(3), b = network(4);
    Points va, vb;
    a->score(x, level.level, va);
    b->score(x, level.level, vb);
    check_against_cpu(run_fill(arrows, grid, level, params, exact, a, false, &ok), grid, va, params);
    CHECK(ok);
    check_against_cpu(run_fill(arrows, grid, level, params, exact, a, true, &ok), grid, va - truth, params);
    check_against_cpu(run_fill(arrows, grid, level, params, exact, b, false, &ok), grid, vb, params);
  }
  SUBCASE("a score without a GPU twin writes nothing") {
    const Points data = toy_mixture("8gaussians")->sample(50, 1);
    const auto ideal = std::make_shared<const EmpiricalScore>(data);
    const Readback r = run_fill(arrows, grid, level, params, ideal, nullptr, false, &ok);
    CHECK_FALSE(ok);
    for (float f : r.floats) CHECK(f == kSentinel);
  }
}

}  // namespace scorelab
