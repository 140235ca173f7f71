// The scene's "train" and "model" sections: defaults, parsing, JSON round trip, one-line errors.
#include <doctest/doctest.h>

#include "core/nn/mlp.hpp"
#include "core/training/train_config.hpp"

using namespace scorelab;
using nlohmann::json;

namespace {
std::string train_error(const json& j, NoiseKind kind = NoiseKind::vp) {
  try {
    parse_train_config(j, kind);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
std::string model_error(const json& j) {
  try {
    parse_model_config(j);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a scene without a train key gets the objective of its noise kind") {
  CHECK(parse_train_config(nullptr, NoiseKind::geometric).objective == Objective::ncsn);
  CHECK(parse_train_config(nullptr, NoiseKind::edm).objective == Objective::ncsn);
  CHECK(parse_train_config(nullptr, NoiseKind::ve).objective == Objective::continuous);
  CHECK(parse_train_config(nullptr, NoiseKind::vp).objective == Objective::continuous);
  CHECK(parse_train_config(json::object(), NoiseKind::subvp).objective == Objective::continuous);
  const TrainConfig d = parse_train_config(nullptr, NoiseKind::vp);
  CHECK(d.batch == 512);
  CHECK(d.ema == 0.999);
  CHECK(d.weighting == Weighting::s2);
  const ModelConfig m = parse_model_config(nullptr);
  CHECK(m.hidden == std::vector<int>{128, 128, 128});
  CHECK(m.activation == Activation::silu);
  CHECK(m.fourier == 0);
  CHECK(!m.energy);
}

TEST_CASE("every key parses and round-trips through to_json") {
  const json j = {{"objective", "ssm"}, {"weighting", "g2"}, {"batch", 256},      {"lr", 5e-4},
                  {"steps", 1234},      {"seed", 4000000000u}, {"ema", 0.99},     {"clip", 0},
                  {"projections", 3},   {"projection", "rademacher"}};
  const TrainConfig c = parse_train_config(j, NoiseKind::vp);
  CHECK(c.objective == Objective::ssm);
  CHECK(c.weighting == Weighting::g2);
  CHECK(c.batch == 256);
  CHECK(c.lr == 5e-4);
  CHECK(c.steps == 1234);
  CHECK(c.seed == 4000000000u);
  CHECK(c.ema == 0.99);
  CHECK(c.clip == 0);
  CHECK(c.projections == 3);
  CHECK(c.projection == Projection::rademacher);
  CHECK(to_json(c) == j);
  const json mj = {{"hidden", {64, 32}}, {"activation", "softplus"}, {"fourier", 8}, {"fourier_scale", 2.0},
                   {"energy", true}};
  const ModelConfig m = parse_model_config(mj);
  CHECK(m.hidden == std::vector<int>{64, 32});
  CHECK(m.activation == Activation::softplus);
  CHECK(m.fourier == 8);
  CHECK(m.energy);
  CHECK(to_json(m) == mj);
}

TEST_CASE("bad values are refused with one line naming the key") {
  CHECK(train_error({{"lr", 5}}) == "scene.train.lr: must be in (0, 1] (got 5)");
  CHECK(train_error({{"lr", "fast"}}) == "scene.train.lr: expected a number, got string");
  CHECK(train_error({{"batch", 0}}) == "scene.train.batch: must be an integer in [1, 65536] (got 0)");
  CHECK(train_error({{"batch", 1.5}}) == "scene.train.batch: expected an integer, got 1.5");
  CHECK(train_error({{"steps", -3}}) == "scene.train.steps: must be an integer in [1, 100000000] (got -3)");
  CHECK(train_error({{"seed", -1}}) == "scene.train.seed: must be an integer in [0, 4294967295] (got -1)");
  CHECK(train_error({{"ema", 1}}) == "scene.train.ema: must be in [0, 1) (got 1)");
  CHECK(train_error({{"clip", -1}}) == "scene.train.clip: must be a finite number >= 0, 0 for no clipping (got -1)");
  CHECK(train_error({{"objective", "sm"}}) ==
        "scene.train.objective: unknown objective 'sm' (expected esm, ism, ssm, ssm_vr, dsm, ncsn or continuous)");
  CHECK(train_error({{"weighting", "s"}}) == "scene.train.weighting: unknown weighting 's' (expected s2 or g2)");
  CHECK(train_error({{"projections", 0}}) == "scene.train.projections: must be an integer in [1, 64] (got 0)");
  CHECK(train_error({{"learning_rate", 1e-3}}).rfind("scene.train.learning_rate: unknown key (expected one of:", 0) == 0);
  CHECK(train_error(json::array()) == "scene.train: expected an object, got array");
  CHECK(model_error({{"hidden", 128}}) == "scene.model.hidden: expected a list of widths, got number");
  CHECK(model_error({{"hidden", {128, "x"}}}) == "scene.model.hidden[1]: expected an integer, got string");
  CHECK(model_error({{"hidden", {128, 0}}}) ==
        "scene.model.hidden: widths must be integers in [1, 1024] (got 0 at index 1)");
  CHECK(model_error({{"activation", "relu"}}) ==
        "scene.model.activation: unknown activation 'relu' (expected silu, softplus or tanh)");
  CHECK(model_error({{"energy", 1}}) == "scene.model.energy: expected true or false, got number");
  CHECK(model_error({{"fourier", 65}}) == "scene.model.fourier: must be an integer in [0, 64] (got 65)");
}

TEST_CASE("train.sigma: parsed, round-tripped, refused where it cannot train") {
  CHECK(!parse_train_config(nullptr, NoiseKind::vp).sigma);  // absent: σ_min, as before
  CHECK(!to_json(parse_train_config(nullptr, NoiseKind::vp)).contains("sigma"));
  const json j = {{"objective", "ssm_vr"}, {"sigma", 0}};
  const TrainConfig c = parse_train_config(j, NoiseKind::geometric);
  REQUIRE(c.sigma);
  CHECK(*c.sigma == 0.0);
  CHECK(to_json(c)["sigma"] == 0.0);
  CHECK(parse_train_config(to_json(c), NoiseKind::geometric).sigma == c.sigma);
  CHECK(*parse_train_config({{"objective", "dsm"}, {"sigma", 0.5}}, NoiseKind::vp).sigma == 0.5);

  CHECK(train_error({{"objective", "ism"}, {"sigma", -1}}) == "scene.train.sigma: must be a number in [0, 10000] (got -1)");
  CHECK(train_error({{"objective", "ism"}, {"sigma", "0"}}) == "scene.train.sigma: expected a number, got string");
  CHECK(train_error({{"objective", "dsm"}, {"sigma", 0}}).rfind("scene.train.sigma: dsm needs sigma > 0", 0) == 0);
  CHECK(train_error({{"sigma", 0.5}}) ==  // vp: continuous by default
        "scene.train.sigma: continuous trains at every noise level of the schedule; sigma is for the single-level "
        "objectives (esm, ism, ssm, ssm_vr, dsm)");
  CHECK(train_error({{"sigma", 0.5}}, NoiseKind::geometric).rfind("scene.train.sigma: ncsn trains at every", 0) == 0);
}

TEST_CASE("train.sigma = 0 needs data with a density; esm there needs the exact mixture") {
  TrainConfig c;
  c.objective = Objective::ssm_vr;
  c.sigma = 0.0;
  DataConfig mixture;
  mixture.kind = DataKind::mixture;
  DataConfig moons;
  moons.kind = DataKind::toy;
  moons.toy = "moons";
  DataConfig points;
  points.kind = DataKind::points;
  points.points = Points::Zero(2, 3);
  CHECK_NOTHROW(check_train_data(c, mixture));
  CHECK_NOTHROW(check_train_data(c, moons));
  CHECK_THROWS_WITH_AS(check_train_data(c, points),
                       "scene.train.sigma: 0 needs data with a density (a mixture or a toy set); the score of a "
                       "drawn point set at sigma = 0 is a sum of spikes: use a sigma > 0",
                       InputError);
  c.objective = Objective::esm;
  CHECK_THROWS_WITH_AS(check_train_data(c, moons),
                       "scene.train.sigma: esm at 0 needs the exact score of the data, which toy set 'moons' does "
                       "not have: use ism, ssm or ssm_vr, or a sigma > 0",
                       InputError);
  moons.toy = "8gaussians";  // a mixture behind the toy set
  CHECK_NOTHROW(check_train_data(c, moons));
  c.sigma = 0.1;  // any σ > 0 has a smooth score, even for points
  CHECK_NOTHROW(check_train_data(c, points));
}

TEST_CASE("lowest_trained_level: a single-level objective's level, else the schedule's smallest") {
  NoiseConfig geometric;
  geometric.kind = NoiseKind::geometric;
  geometric.sigma_min = 0.1;
  geometric.sigma_max = 10;
  TrainConfig c;
  c.objective = Objective::ncsn;
  CHECK(lowest_trained_level(c, geometric).s == doctest::Approx(0.1));
  c.objective = Objective::ism;
  CHECK(lowest_trained_level(c, geometric).s == doctest::Approx(0.1));
  c.sigma = 1.0;  // the VE time of 1 between 0.1 and 10 is ½
  const NoiseLevel one = lowest_trained_level(c, geometric);
  CHECK((one.s == 1.0 && one.m == 1.0));
  CHECK(one.t == doctest::Approx(0.5));
  c.sigma = 0.0;
  CHECK(lowest_trained_level(c, geometric).t == 0.0);  // finite conditioning at the clean data
}
