// The curl heatmap (lecture preset 14): a true score is a gradient, so its curl is ~0 and the map
// stays white; a swirling field's curl is found with its sign; the layers spec takes heatmap=curl.
#include <doctest/doctest.h>

#include <cmath>

#include "app/plane/color_map.hpp"
#include "app/plane/curl_map.hpp"
#include "app/plane/layer_settings.hpp"
#include "core/mixture.hpp"

using namespace scorelab;

namespace {

// s(x) = a·(−x₂, x₁) − x: a rotation (curl 2a) plus a gradient (curl 0, divergence −2).
class SwirlScore final : public ScoreFunction {
 public:
  explicit SwirlScore(double a) : a_(a) {}
  void score(const Points& x, const NoiseLevel&, Points& out) const override {
    out.resize(2, x.cols());
    out.row(0) = -a_ * x.row(1) - x.row(0);
    out.row(1) = a_ * x.row(0) - x.row(1);
  }
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override {
    score(x, level, out);
    div = Scalars::Constant(x.cols(), -2.0);
  }

 private:
  double a_;
};

Points grid_cells(double half, int n) {
  Points x(2, n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) x.col(i * n + j) = Vec2(-half + 2 * half * i / (n - 1), -half + 2 * half * j / (n - 1));
  return x;
}

}  // namespace

TEST_CASE("curl_map: an exact mixture score has ~0 curl, far inside the colour range") {
  GaussianMixture mixture({{0.2, Vec2(-2.0, 0.0), Mat2::Identity() * 0.3},
                           {0.8, Vec2(2.0, 1.0), (Mat2() << 0.5, 0.2, 0.2, 0.4).finished()}});
  const MixtureScore score(mixture);
  Bounds2 view;
  view.include(Vec2(-5.0, -4.0));
  view.include(Vec2(5.0, 4.0));
  const double h = curl_step(view);
  CHECK(h == doctest::Approx(3e-3 * 8.0));
  const Points cells = grid_cells(4.0, 40);
  for (const double s : {0.1, 0.5, 1.0}) {
    CAPTURE(s);
    const CurlMap map = curl_map(score, cells, NoiseLevel{0.5, 1.0, s}, h);
    REQUIRE(map.curl.size() == cells.cols());
    // Central differences of a gradient: only the O(h²) truncation is left, at most a faint tint (≤ 5 %
    // of the colour range) at the sharpest spots and nothing at almost every cell.
    const Scalars rel = map.curl.cwiseAbs() / map.half_range;
    CHECK(rel.maxCoeff() < 0.05);
    CHECK(finite_quantile(rel, 0.9) < 0.005);
    // It is truncation, not curl: half the step, a quarter of the residue.
    const CurlMap finer = curl_map(score, cells, NoiseLevel{0.5, 1.0, s}, 0.5 * h);
    CHECK(finer.curl.cwiseAbs().maxCoeff() < 0.3 * map.curl.cwiseAbs().maxCoeff());
  }
}

TEST_CASE("curl_map: a swirling field's curl is 2a, and the range spans it") {
  const Points cells = grid_cells(3.0, 20);
  const CurlMap map = curl_map(SwirlScore(0.75), cells, NoiseLevel{}, 1e-2);
  CHECK(map.curl.minCoeff() == doctest::Approx(1.5).epsilon(1e-6));
  CHECK(map.curl.maxCoeff() == doctest::Approx(1.5).epsilon(1e-6));
  CHECK(map.half_range == doctest::Approx(1.5).epsilon(1e-6));
  // Opposite rotation, opposite sign.
  CHECK(curl_map(SwirlScore(-0.75), cells, NoiseLevel{}, 1e-2).curl.maxCoeff() == doctest::Approx(-1.5));
  // No swirl: the range falls back to 5 % of |∇·s| = 2, not to the rounding of a zero curl.
  CHECK(curl_map(SwirlScore(0.0), cells, NoiseLevel{}, 1e-2).half_range == doctest::Approx(0.1));
}

TEST_CASE("SCORELAB_LAYERS / show layers: heatmap=curl and tweedie=1") {
  FieldSettings f;
  HeatmapSettings h;
  apply_layers_spec("field=arrows,score=learned,heatmap=curl", f, h);
  CHECK(h.show);
  CHECK(h.kind == HeatmapKind::curl);
  CHECK(f.kind == FieldKind::learned);
  CHECK_FALSE(f.tweedie_arrows);
  apply_layers_spec("tweedie=1", f, h);
  CHECK(f.tweedie_arrows);
  apply_layers_spec("tweedie=0", f, h);
  CHECK_FALSE(f.tweedie_arrows);
  CHECK_THROWS_AS(apply_layers_spec("tweedie=yes", f, h), InputError);
  CHECK_THROWS_AS(apply_layers_spec("heatmap=curly", f, h), InputError);
  const std::string help = layers_spec_help();
  CHECK(help.find("curl") != std::string::npos);
  CHECK(help.find("tweedie=0|1") != std::string::npos);
}
