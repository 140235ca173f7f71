// The learned class-conditional network and classifier-free guidance (core/nn/guided_network.hpp,
// core/training/label_dropout.hpp, core/training/class_labels.hpp; THEORY.md §6): label dropout at
// its configured rate, the guidance formula (1 − w)·s(x, t, ∅) + w·s(x, t, k), a small trained model
// whose w = 1 samples land in class k far more than unconditional ones do, and model files that keep
// the conditional shape.
#include <doctest/doctest.h>

#include <cmath>

#include "core/metrics.hpp"
#include "core/conditional.hpp"
#include "core/nn/guided_network.hpp"
#include "core/nn/model_io.hpp"
#include "core/rng.hpp"
#include "core/samplers/sampler.hpp"
#include "core/training/class_labels.hpp"
#include "core/training/label_dropout.hpp"
#include "core/training/training_run.hpp"
#include "temp_dir.hpp"

using namespace scorelab;

namespace {

// Three well separated classes of unequal weight.
GaussianMixture three_classes() {
  return GaussianMixture({{0.5, Vec2(-2.5, -1), Mat2::Identity() * 0.12},
                          {0.3, Vec2(2.5, -1), Mat2::Identity() * 0.12},
                          {0.2, Vec2(0, 2.5), Mat2::Identity() * 0.12}});
}

ModelConfig conditional_model(int classes, std::vector<int> hidden = {32, 32}) {
  ModelConfig m;
  m.hidden = std::move(hidden);
  m.classes = classes;
  return m;
}

std::shared_ptr<const Mlp<float>> random_net(int classes) {
  auto net = std::make_shared<Mlp<float>>(conditional_model(classes));
  net->init(5);
  net->set_data_rms(1.7);
  RngStream rng(8, 8);  // non-zero biases, so that every input row matters
  for (int l = 0; l < net->layers(); ++l)
    for (Eigen::Index i = 0; i < net->bias(l).size(); ++i) net->bias(l)[i] = float(0.2 * rng.normal());
  return net;
}

Points test_points(int n) {
  Points x(2, n);
  RngStream rng(3, 1);
  for (int i = 0; i < n; ++i) x.col(i) = 2.0 * rng.normal2();
  return x;
}

}  // namespace

TEST_CASE("label dropout drops each label with the configured probability") {
  const int n = 40000;
  const Eigen::VectorXi labels = Eigen::VectorXi::Constant(n, 2);
  for (double p : {0.1, 0.15, 0.5}) {
    const Eigen::VectorXi dropped = drop_labels(labels, p, 11, 7);
    const int count = int((dropped.array() == Mlp<float>::kNoLabel).count());
    CHECK(int((dropped.array() == 2).count()) == n - count);  // a label is either kept or dropped
    const double sd = std::sqrt(n * p * (1 - p));  // binomial standard deviation
    MESSAGE("p = " << p << ": dropped " << count << " of " << n << " (expected " << n * p << " ± " << sd << ")");
    CHECK(std::abs(count - n * p) <= 4 * sd);
  }
  // Reproducible, a pure function of (seed, step, column): a batch split in parts drops what the whole does.
  const Eigen::VectorXi whole = drop_labels(labels.head(1000), 0.3, 4, 9);
  CHECK(whole == drop_labels(labels.head(1000), 0.3, 4, 9));
  Eigen::VectorXi parts(1000);
  parts << drop_labels(labels.head(400), 0.3, 4, 9, 0), drop_labels(labels.head(600), 0.3, 4, 9, 400);
  CHECK(parts == whole);
  CHECK(drop_labels(labels.head(1000), 0.3, 4, 10) != whole);  // another step, other draws
  CHECK(drop_labels(labels.head(1000), 0.0, 4, 9) == labels.head(1000));
}

TEST_CASE("the label enters as a one-hot input with a last 'no label' slot") {
  const auto net = random_net(3);
  CHECK(net->input_dim() == 3 + 4);
  CHECK(net->label_row() == 3);
  Eigen::MatrixXf f;
  const Points x = test_points(4);
  const Eigen::VectorXi labels = (Eigen::VectorXi(4) << 0, 2, Mlp<float>::kNoLabel, 1).finished();
  net->features(x, Eigen::VectorXd::Constant(4, 0.3), Eigen::VectorXd::Constant(4, 1.0), f, &labels);
  const int expected_row[4] = {3, 5, 6, 4};
  for (int i = 0; i < 4; ++i) {
    CHECK(f.col(i).tail(4).sum() == 1.0f);
    CHECK(f(expected_row[i], i) == 1.0f);
  }
  // Without labels every column is ∅; an unconditional net has no label rows at all.
  net->features(x, NoiseLevel{0.3, 0.9, 0.4}, f);
  CHECK((f.bottomRows(1).array() == 1.0f).all());
  CHECK(Mlp<float>(ModelConfig{}).input_dim() == 3);
}

TEST_CASE("classifier-free guidance: w = 0 is s(x, t, ∅), w = 1 is s(x, t, k), and it is linear in w") {
  const auto net = random_net(3);
  const Points x = test_points(50);
  const NoiseLevel level{0.4, 0.8, 0.6};
  Points uncond, cond, g0, g1, g25, gm1, g4, su, sc, s25;
  Scalars du, dc, d25;
  NetworkScore(net).score(x, level, uncond);
  NetworkScore(net, 1).score(x, level, cond);
  CHECK((uncond - cond).norm() > 1e-3 * uncond.norm());  // the label changes the output
  ClassifierFreeScore(net, 1, 0.0).score(x, level, g0);
  ClassifierFreeScore(net, 1, 1.0).score(x, level, g1);
  CHECK(g0 == uncond);
  CHECK(g1 == cond);
  ClassifierFreeScore guided(net, 1, 2.5);
  guided.score(x, level, g25);
  CHECK((g25 - (-1.5 * uncond + 2.5 * cond)).norm() <= 1e-12 * (1 + g25.norm()));
  // The divergence (the ODE likelihood's) mixes the same way.
  NetworkScore(net).score_and_divergence(x, level, su, du);
  NetworkScore(net, 1).score_and_divergence(x, level, sc, dc);
  guided.score_and_divergence(x, level, s25, d25);
  CHECK((s25 - (-1.5 * su + 2.5 * sc)).norm() <= 1e-12 * (1 + s25.norm()));
  CHECK((d25 - (-1.5 * du + 2.5 * dc)).norm() <= 1e-12 * (1 + d25.norm()));
  // Linear in w: the mean of w = −1 and w = 4 is w = 1.5, and so on.
  ClassifierFreeScore(net, 1, -1.0).score(x, level, gm1);
  ClassifierFreeScore(net, 1, 4.0).score(x, level, g4);
  Points g15;
  ClassifierFreeScore(net, 1, 1.5).score(x, level, g15);
  CHECK((0.5 * (gm1 + g4) - g15).norm() <= 1e-12 * (1 + g15.norm()));
  // What a score costs in function evaluations (the NFE a sampler reports): both networks only
  // where both terms count; a wrapper forwards its base's.
  CHECK(ClassifierFreeScore(net, 1, 0.0).evaluations_per_score() == 1);
  CHECK(ClassifierFreeScore(net, 1, 1.0).evaluations_per_score() == 1);
  CHECK(guided.evaluations_per_score() == 2);
  CHECK(NetworkScore(net).evaluations_per_score() == 1);
  const ObservationGuidedScore observed(std::make_shared<ClassifierFreeScore>(net, 1, 2.5), Observation{});
  CHECK(observed.evaluations_per_score() == 2);
  // Refused: an unconditional net, a class it lacks.
  CHECK_THROWS_AS(ClassifierFreeScore(random_net(0), 0, 1.0), InputError);
  CHECK_THROWS_AS(ClassifierFreeScore(net, 3, 1.0), InputError);
}

TEST_CASE("class labels: a mixture's training set is labelled by the component that drew each point") {
  DataConfig data;
  data.kind = DataKind::mixture;
  data.mixture = three_classes();
  data.count = 3000;
  data.seed = 6;
  const Points points = training_points(data);
  const Eigen::VectorXi labels = class_labels(data, points);
  const std::vector<int> drawn = data.mixture.sample_components(data.count, data.seed);
  REQUIRE(labels.size() == 3000);
  for (int i = 0; i < 3000; ++i) REQUIRE(labels[i] == drawn[i]);
  // The draws behind sample(): each point is near its component's mean (σ = 0.35, means ≥ 3.9 apart).
  for (int i = 0; i < 3000; ++i) REQUIRE((points.col(i) - data.mixture.components()[labels[i]].mean).norm() < 2.0);
  TrainConfig train;
  train.conditional = true;
  const LabelledTraining run = labelled_training(train, ModelConfig{}, data, points);
  CHECK(run.model.classes == 3);
  CHECK(run.labels == labels);
  train.conditional = false;
  CHECK(labelled_training(train, conditional_model(3), data, points).model.classes == 0);
  // Data without classes is refused with the key named.
  DataConfig drawn_points;
  drawn_points.kind = DataKind::points;
  drawn_points.points = points;
  CHECK_THROWS_WITH_AS(class_labels(drawn_points, points), doctest::Contains("scene.train.conditional"), InputError);
}

TEST_CASE("train config: conditional and label_dropout are read, validated and written back") {
  const TrainConfig c = parse_train_config(nlohmann::json{{"conditional", true}, {"label_dropout", 0.2}}, NoiseKind::vp);
  CHECK(c.conditional);
  CHECK(c.label_dropout == 0.2);
  CHECK(to_json(c)["label_dropout"] == 0.2);
  CHECK(objective_config(c, NoiseConfig{}).label_dropout == 0.2);
  CHECK_FALSE(to_json(parse_train_config(nullptr, NoiseKind::vp)).contains("conditional"));  // old scenes unchanged
  CHECK_THROWS_WITH_AS(parse_train_config(nlohmann::json{{"conditional", true}, {"label_dropout", 1.0}}, NoiseKind::vp),
                       doctest::Contains("scene.train.label_dropout"), InputError);
  CHECK_THROWS_WITH_AS(parse_train_config(nlohmann::json{{"conditional", true}, {"objective", "esm"}}, NoiseKind::vp),
                       doctest::Contains("scene.train.conditional"), InputError);
}

TEST_CASE("a training run refuses labels that do not fit its model") {
  const Points points = three_classes().sample(100, 1);
  TrainConfig train;
  train.objective = Objective::continuous;
  train.conditional = true;
  NoiseConfig vp;
  vp.kind = NoiseKind::vp;
  const Eigen::VectorXi labels = Eigen::VectorXi::Zero(100);
  CHECK_NOTHROW(TrainingRun(points, vp, conditional_model(3), train, nullptr, labels));
  CHECK_THROWS_AS(TrainingRun(points, vp, conditional_model(3), train, nullptr, labels.head(50)), InputError);
  CHECK_THROWS_AS(TrainingRun(points, vp, conditional_model(3), train, nullptr, Eigen::VectorXi::Constant(100, 3)),
                  InputError);
  CHECK_THROWS_AS(TrainingRun(points, vp, conditional_model(0), train, nullptr, labels), InputError);
  train.conditional = false;
  CHECK_THROWS_AS(TrainingRun(points, vp, conditional_model(3), train, nullptr, labels), InputError);
}

TEST_CASE("a conditional model file keeps its classes; files without them load as unconditional") {
  testing::TempDir dir;
  const auto net = random_net(3);
  save_model(dir.path / "cfg.json", *net, 42);
  const SavedModel loaded = load_model(dir.path / "cfg.json");
  CHECK(loaded.net.classes() == 3);
  CHECK(loaded.net.input_dim() == net->input_dim());
  CHECK(loaded.net.params() == net->params());
  const Points x = test_points(20);
  Points a, b;
  NetworkScore(net, 2).score(x, NoiseLevel{0.5, 0.7, 0.7}, a);
  NetworkScore(std::make_shared<const Mlp<float>>(loaded.net), 2).score(x, NoiseLevel{0.5, 0.7, 0.7}, b);
  CHECK(a == b);
  // An older (unconditional) file has no "classes" key and loads as before.
  Mlp<float> plain(conditional_model(0));
  plain.init(2);
  const nlohmann::json j = model_to_json(plain, 3);
  CHECK_FALSE(j["model"].contains("classes"));
  CHECK(model_from_json(j).net.classes() == 0);
}

TEST_CASE("a trained conditional model at w = 1 samples its class; unconditional samples do not" *
          doctest::test_suite("statistical")) {
  const GaussianMixture mix = three_classes();
  DataConfig data;
  data.kind = DataKind::mixture;
  data.mixture = mix;
  data.count = 4000;
  data.seed = 2;
  NoiseConfig vp;
  vp.kind = NoiseKind::vp;
  TrainConfig train;
  train.objective = Objective::continuous;
  train.conditional = true;
  train.label_dropout = 0.2;
  train.batch = 256;
  train.steps = 2500;
  train.lr = 3e-3;
  train.seed = 1;
  const Points points = training_points(data);
  const LabelledTraining labelled = labelled_training(train, conditional_model(0, {64, 64}), data, points);
  TrainingRun run(points, vp, labelled.model, train, nullptr, labelled.labels);
  for (int i = 0; i < train.steps; ++i) REQUIRE(run.step().ok());
  const auto net = std::make_shared<const Mlp<float>>(run.ema_net());

  SamplerConfig sampler;
  sampler.kind = SamplerKind::em;
  sampler.steps = 200;
  sampler.particles = 600;
  sampler.seed = 3;
  sampler.init.kind = InitKind::prior;
  const int k = 2;  // the smallest class (π = 0.2): unconditional samples land there about a fifth of the time
  const Points conditional = sample(sampler, vp, ClassifierFreeScore(net, k, 1.0)).x;
  const Points unconditional = sample(sampler, vp, NetworkScore(net)).x;
  const double share_c = mode_weights(mix, conditional)[k], share_u = mode_weights(mix, unconditional)[k];
  // Class k's truth p(x | k) and MMD² of each sample against it.
  const GaussianMixture truth = GaussianMixture({mix.components()[k]});
  const Points reference = truth.sample(600, 99);
  const std::vector<double> bw = default_bandwidths(reference);
  const double mmd_c = mmd2_unbiased(conditional, reference, bw), mmd_u = mmd2_unbiased(unconditional, reference, bw);
  MESSAGE("share of samples in class " << k << ": w = 1 " << share_c << ", unconditional " << share_u
                                       << " (pi = 0.2); MMD² to p(x | k): " << mmd_c << " vs " << mmd_u);
  // Unconditional: about π = 0.2 (binomial sd 0.016 at n = 600); conditional: nearly all. 0.9 leaves
  // room for a few stragglers between modes in a net trained for 2500 steps.
  CHECK(std::abs(share_u - 0.2) <= 0.08);
  CHECK(share_c >= 0.9);
  CHECK(mmd_c < 0.1 * mmd_u);
}
