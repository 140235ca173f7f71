// Objectives side by side (core/objective_comparison.hpp): the runs of a comparison see identical
// batches (the same data points at every step), and each one's loss is exactly what a single
// training run of that objective reports, and what the objective computes on that batch.
#include <doctest/doctest.h>

#include "core/mixture.hpp"
#include "core/objective_comparison.hpp"

using namespace scorelab;

namespace {

const std::vector<Objective> kFour = {Objective::ism, Objective::ssm, Objective::dsm, Objective::ncsn};

NoiseConfig geometric_noise() {
  NoiseConfig n;
  n.kind = NoiseKind::geometric;
  n.sigma_max = 10;
  n.sigma_min = 0.5;
  n.levels = 8;
  return n;
}

ModelConfig small_model() {
  ModelConfig m;
  m.hidden = {16, 16};
  return m;
}

TrainConfig base_train() {
  TrainConfig t = default_train_config(NoiseKind::geometric);
  t.batch = 48;
  t.steps = 100;
  t.seed = 11;
  return t;
}

Points mixture_data() {
  const GaussianMixture mix({{0.3, Vec2(-3, 0), Mat2::Identity()}, {0.7, Vec2(3, 1), 0.5 * Mat2::Identity()}});
  return mix.sample(500, 3);
}

// Every column of `batch` is one of the data points (the batch is drawn from the data).
bool drawn_from(const Points& batch, const Points& data) {
  for (Eigen::Index i = 0; i < batch.cols(); ++i) {
    bool found = false;
    for (Eigen::Index j = 0; j < data.cols() && !found; ++j) found = batch.col(i) == data.col(j);
    if (!found) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the compared objectives see identical batches at every step") {
  const Points data = mixture_data();
  ObjectiveComparison cmp(data, geometric_noise(), small_model(), base_train(), kFour);
  REQUIRE(cmp.size() == 4);
  Points previous;
  for (int step = 0; step < 6; ++step) {
    for (const StepReport& r : cmp.step()) REQUIRE(r.ok());
    const Points& batch = cmp.run(0).last_batch();
    REQUIRE(batch.cols() == base_train().batch);
    CHECK(drawn_from(batch, data));
    for (int k = 1; k < cmp.size(); ++k) {
      CAPTURE(step);
      CAPTURE(to_string(cmp.objectives()[static_cast<size_t>(k)]));
      CHECK(cmp.run(k).last_batch() == batch);  // bit-identical data points
      CHECK(cmp.run(k).steps_done() == step + 1);
    }
    if (step > 0) CHECK(batch != previous);  // a new batch each step: the equality above is not vacuous
    previous = batch;
  }
}

TEST_CASE("each compared objective's loss is a single run's loss, and the objective's on that batch") {
  const Points data = mixture_data();
  const NoiseConfig noise = geometric_noise();
  ObjectiveComparison cmp(data, noise, small_model(), base_train(), kFour);
  std::vector<std::unique_ptr<TrainingRun>> alone;
  for (Objective o : kFour)
    alone.push_back(std::make_unique<TrainingRun>(data, noise, small_model(), with_objective(base_train(), o)));
  for (int step = 0; step < 5; ++step) {
    std::vector<Mlp<float>> before;
    for (int k = 0; k < cmp.size(); ++k) before.push_back(cmp.run(k).net());
    const std::vector<StepReport> reports = cmp.step();
    for (int k = 0; k < cmp.size(); ++k) {
      const Objective o = kFour[static_cast<size_t>(k)];
      CAPTURE(step);
      CAPTURE(to_string(o));
      REQUIRE(reports[static_cast<size_t>(k)].ok());
      const StepReport single = alone[static_cast<size_t>(k)]->step();
      CHECK(single.loss == reports[static_cast<size_t>(k)].loss);  // the same run, bit for bit
      CHECK(alone[static_cast<size_t>(k)]->ema_params() == cmp.run(k).ema_params());
      // The objective itself on the batch the comparison drew, from the weights before the step (the
      // run sums two column blocks, so equal up to the order of a float sum).
      const ObjectiveConfig oc = objective_config(with_objective(base_train(), o), noise);
      const double direct = loss_and_grad<float>(oc, before[static_cast<size_t>(k)], cmp.run(k).last_batch(),
                                                 base_train().seed, static_cast<uint32_t>(step), nullptr);
      CHECK(direct == doctest::Approx(reports[static_cast<size_t>(k)].loss).epsilon(1e-5));
    }
  }
}

TEST_CASE("with_objective keeps the base settings and drops what the objective refuses") {
  TrainConfig base = base_train();
  base.objective = Objective::dsm;
  base.sigma = 0.7;
  const TrainConfig ncsn = with_objective(base, Objective::ncsn);
  CHECK(ncsn.objective == Objective::ncsn);
  CHECK(!ncsn.sigma.has_value());  // ncsn trains on every level: a σ would be refused
  CHECK(ncsn.seed == base.seed);
  CHECK(ncsn.batch == base.batch);
  const TrainConfig ism = with_objective(base, Objective::ism);
  CHECK(ism.sigma == base.sigma);  // single-level objectives keep the level they train at
}

TEST_CASE("a comparison refuses repeats, too many objectives, and an objective the network cannot train") {
  const Points data = mixture_data();
  const NoiseConfig noise = geometric_noise();
  CHECK_THROWS_AS(ObjectiveComparison(data, noise, small_model(), base_train(), {Objective::dsm, Objective::dsm}),
                  InputError);
  CHECK_THROWS_AS(ObjectiveComparison(data, noise, small_model(), base_train(),
                                      {Objective::ism, Objective::ssm, Objective::ssm_vr, Objective::dsm, Objective::ncsn}),
                  InputError);
  CHECK_THROWS_AS(ObjectiveComparison(data, noise, small_model(), base_train(), {}), InputError);
  ModelConfig energy = small_model();
  energy.energy = true;  // ISM would need third derivatives of an energy network
  CHECK_THROWS_WITH_AS(ObjectiveComparison(data, noise, energy, base_train(), {Objective::dsm, Objective::ism}),
                       doctest::Contains("ism"), InputError);
}
