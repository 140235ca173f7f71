// Data sources: the training set, fresh draws and the exact score for each DataKind.
#include <doctest/doctest.h>

#include <cmath>

#include "core/data_source.hpp"
#include "core/empirical_score.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

// Points on and off the data, at a few noise levels, for comparing two score functions value by value.
const NoiseLevel kLevels[] = {{0.0, 1.0, 0.0}, {0.3, 0.9, 0.4}, {1.0, 0.2, 1.0}};

Points probe_points() {
  Points q(2, 5);
  q << 0.0, 2.0, -2.8, 1.0, 5.0,  //
      0.0, 2.0, 0.1, -1.5, -4.0;
  return q;
}

// a and b agree bit for bit on score, divergence and log-density at every probe and level.
void check_same_values(const ScoreFunction& a, const ScoreFunction& b) {
  Points q = probe_points();
  for (const NoiseLevel& level : kLevels) {
    Points sa, sb;
    Scalars da, db, la, lb;
    a.score_and_divergence(q, level, sa, da);
    b.score_and_divergence(q, level, sb, db);
    a.log_prob(q, level, la);
    b.log_prob(q, level, lb);
    CHECK(sa == sb);
    CHECK(da == db);
    CHECK(la == lb);
  }
}

GaussianMixture two_blobs() {
  Mat2 cov;
  cov << 0.5, 0.1, 0.1, 0.3;
  return GaussianMixture({{1.0, Vec2(-1, 0), cov}, {3.0, Vec2(2, 1), Mat2::Identity()}});
}

}  // namespace

TEST_CASE("mixture kind: count draws from the mixture, and its exact score") {
  DataConfig data;
  data.kind = DataKind::mixture;
  data.mixture = two_blobs();
  data.count = 1234;
  data.seed = 5;
  Points train = training_points(data);
  CHECK(train.cols() == 1234);
  CHECK(train == data.mixture.sample(1234, 5));
  Points fresh = fresh_samples(data, 300, 6);
  CHECK(fresh.cols() == 300);
  CHECK(fresh == data.mixture.sample(300, 6));
  CHECK(fresh != train.leftCols(300));
  auto mix = exact_mixture(data);
  REQUIRE(mix.has_value());
  CHECK(mix->size() == 2);
  CHECK(mix->components()[1].weight == doctest::Approx(0.75));
  auto score = exact_score(data);
  REQUIRE(dynamic_cast<MixtureScore*>(score.get()) != nullptr);
  check_same_values(*score, MixtureScore(two_blobs()));
}

TEST_CASE("toy kind with a mixture (8gaussians, ncsn): exact score is that mixture's") {
  for (const char* name : {"8gaussians", "ncsn"}) {
    CAPTURE(name);
    DataConfig data;
    data.kind = DataKind::toy;
    data.toy = name;
    data.count = 500;
    data.seed = 9;
    Points train = training_points(data);
    CHECK(train.cols() == 500);
    CHECK(train == toy_samples(name, 500, 9));
    CHECK(fresh_samples(data, 77, 10) == toy_samples(name, 77, 10));
    auto score = exact_score(data);
    REQUIRE(dynamic_cast<MixtureScore*>(score.get()) != nullptr);
    check_same_values(*score, MixtureScore(*toy_mixture(name)));
  }
}

TEST_CASE("toy kind without a mixture: exact score is the ideal score of the training set") {
  DataConfig data;
  data.kind = DataKind::toy;
  data.toy = "moons";
  data.count = 400;
  data.seed = 3;
  CHECK_FALSE(exact_mixture(data).has_value());
  auto score = exact_score(data);
  auto* empirical = dynamic_cast<EmpiricalScore*>(score.get());
  REQUIRE(empirical != nullptr);
  CHECK(empirical->data() == toy_samples("moons", 400, 3));
  check_same_values(*score, EmpiricalScore(toy_samples("moons", 400, 3)));
}

TEST_CASE("points kind: the points themselves, fresh draws with replacement, empirical score") {
  DataConfig data;
  data.kind = DataKind::points;
  data.points.resize(2, 5);
  data.points << 0, 1, 2, 3, 4,  //
      0, -1, 1, 0.5, 2;
  data.count = 99;  // ignored for a point set
  Points train = training_points(data);
  CHECK(train == data.points);
  CHECK_FALSE(exact_mixture(data).has_value());
  auto score = exact_score(data);
  auto* empirical = dynamic_cast<EmpiricalScore*>(score.get());
  REQUIRE(empirical != nullptr);
  CHECK(empirical->size() == 5);

  const int n = 10000;  // more draws than points: with replacement
  Points fresh = fresh_samples(data, n, 4);
  REQUIRE(fresh.cols() == n);
  std::vector<int> counts(5, 0);
  bool members = true;
  for (int i = 0; i < n; ++i) {
    int k = static_cast<int>(fresh(0, i));  // x coordinates are the indices 0..4
    members = members && k >= 0 && k < 5 && fresh.col(i) == data.points.col(k);
    if (members) counts[k]++;
  }
  REQUIRE(members);
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 5.0) * (c - n / 5.0) / (n / 5.0);
  CHECK(chi2 < 18.47);  // uniform over the points: chi-square, 4 dof, p = 0.001
  CHECK(fresh_samples(data, 100, 4) == fresh.leftCols(100));  // deterministic for a seed
  CHECK(fresh_samples(data, 100, 5) != fresh.leftCols(100));
}

TEST_CASE("bad data configurations are refused with InputError") {
  DataConfig toy;
  toy.toy = "nonesuch";
  CHECK_THROWS_AS(training_points(toy), InputError);
  CHECK_THROWS_AS(exact_score(toy), InputError);
  DataConfig zero;
  zero.count = 0;
  CHECK_THROWS_AS(training_points(zero), InputError);
  CHECK_THROWS_AS(fresh_samples(zero, -1, 0), InputError);
  DataConfig empty_points;
  empty_points.kind = DataKind::points;
  empty_points.file = "drawn.csv";
  CHECK_THROWS_AS(training_points(empty_points), InputError);
  CHECK_THROWS_AS(fresh_samples(empty_points, 10, 0), InputError);
  DataConfig empty_mixture;
  empty_mixture.kind = DataKind::mixture;
  CHECK_THROWS_AS(training_points(empty_mixture), InputError);
  CHECK_THROWS_AS(exact_score(empty_mixture), InputError);
}
