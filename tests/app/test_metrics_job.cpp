// The Metrics panel's jobs: the same numbers as the core metrics on the same inputs, computed on a
// worker thread that stops when cancelled.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <thread>

#include "app/jobs/metrics_job.hpp"

using namespace scorelab;

namespace {

GaussianMixture two_modes() {
  return GaussianMixture({{0.3, Vec2(-3.0, 0.0), Mat2::Identity()}, {0.7, Vec2(3.0, 1.0), 0.5 * Mat2::Identity()}});
}

DataConfig mixture_data() {
  DataConfig d;
  d.kind = DataKind::mixture;
  d.mixture = two_modes();
  d.seed = 4;
  return d;
}

NoiseConfig vp() {
  NoiseConfig n;
  n.kind = NoiseKind::vp;
  return n;
}

// The exact mixture score, which cancels `control` on its first evaluation.
class CancellingScore final : public ScoreFunction {
 public:
  CancellingScore(GaussianMixture m, JobControl* control) : inner_(std::move(m)), control_(control) {}
  void score(const Points& x, const NoiseLevel& level, Points& out) const override { inner_.score(x, level, out); }
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override {
    control_->cancel();
    inner_.score_and_divergence(x, level, out, div);
  }
  bool has_log_prob() const override { return true; }
  void log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const override {
    inner_.log_prob(x, level, out);
  }

 private:
  MixtureScore inner_;
  JobControl* control_;
};

}  // namespace

TEST_CASE("sample quality on the worker equals the core metrics on the same inputs") {
  const DataConfig data = mixture_data();
  Points particles = two_modes().sample(260, 77u);
  particles(0, 3) = std::numeric_limits<double>::quiet_NaN();
  particles(1, 10) = std::numeric_limits<double>::infinity();
  SampleQualityInputs in;
  in.particles = particles;
  in.data = data;
  in.n = 200;
  in.reps = 20;

  AsyncJob<SampleQuality> job;
  job.start([in](JobControl& c) { return compute_sample_quality(in, c); });
  job.wait();
  std::optional<SampleQuality> q = job.take();
  REQUIRE(q);
  CHECK_FALSE(q->cancelled);
  CHECK(job.progress() == doctest::Approx(1.0));

  int bad = 0;
  const Points x = finite_columns(particles, 200, &bad);
  CHECK(bad == 2);
  CHECK(q->non_finite == 2);
  REQUIRE(x.cols() == 200);
  CHECK(q->n == 200);
  const uint32_t truth_seed = held_out_seed(data.seed, 1);
  CHECK(truth_seed != data.seed);
  const Points truth = fresh_samples(data, 200, truth_seed);
  const std::vector<double> bw = default_bandwidths(truth);
  CHECK(q->mmd2 == mmd2_unbiased(x, truth, bw));
  const TruthSampler draw = [&](int n, uint32_t seed) { return fresh_samples(data, n, seed); };
  const NoiseFloor floor = mmd2_noise_floor(draw, 200, 20, bw, held_out_seed(data.seed, 2));
  CHECK(q->floor.mean == floor.mean);
  CHECK(q->floor.sd == floor.sd);
  CHECK(q->floor.bound == floor.bound);
  CHECK(q->floor.reps == 20);
  REQUIRE(q->mode_weights.size() == 2);
  CHECK(q->mode_weights == mode_weights(two_modes(), x));
  CHECK(q->pi[0] == doctest::Approx(0.3));
}

TEST_CASE("a sampler that stops at σ = 1 is judged against p₀ and against the data blurred by σ = 1") {
  // Particles from the law annealed Langevin aims at when it stops at σ_min = 1: the mixture with
  // every covariance widened by σ²·I (the data convolved with N(0, I)).
  const GaussianMixture blurred({{0.3, Vec2(-3.0, 0.0), 2.0 * Mat2::Identity()}, {0.7, Vec2(3.0, 1.0), 1.5 * Mat2::Identity()}});
  SampleQualityInputs in;
  in.particles = blurred.sample(400, 91u);
  in.data = mixture_data();
  in.n = 400;
  in.reps = 20;
  in.end = NoiseLevel{0.0, 1.0, 1.0};
  JobControl control;
  const SampleQuality q = compute_sample_quality(in, control);
  REQUIRE(q.at_end);
  CHECK(q.end.s == 1.0);
  // Far from the data (the modes are twice as wide), within the noise of the law it aims at.
  CHECK(q.mmd2 > q.floor.bound);
  CHECK(q.at_end->within());
  CHECK(q.at_end->floor.reps == 20);
  CHECK(control.progress() == doctest::Approx(1.0));

  // A reverse SDE that ends at σ = 0.01 does not blur visibly: judged against p₀ only.
  in.end = NoiseLevel{1e-3, 1.0, 0.01};
  CHECK_FALSE(compute_sample_quality(in, control).at_end);
  const Points truth = fresh_samples(in.data, 400, 3u);
  CHECK(blur_is_visible(NoiseLevel{0.0, 1.0, 1.0}, truth));
  CHECK_FALSE(blur_is_visible(NoiseLevel{0.0, 1.0, 0.01}, truth));
  CHECK_FALSE(blur_is_visible(NoiseLevel{}, truth));  // s = 0: the data itself
}

TEST_CASE("too few finite particles is an error message, not a crash") {
  SampleQualityInputs in;
  in.data = mixture_data();
  in.particles = Points::Constant(2, 5, std::numeric_limits<double>::quiet_NaN());
  in.particles.col(0) = Vec2(1.0, 1.0);
  AsyncJob<SampleQuality> job;
  job.start([in](JobControl& c) { return compute_sample_quality(in, c); });
  job.wait();
  CHECK_FALSE(job.take().has_value());
  CHECK(job.error().find("at least 2 finite particles") != std::string::npos);
}

TEST_CASE("the chunked NLL equals one ode_log_likelihood call, and the entropy estimate is −mean log p") {
  const GaussianMixture m = two_modes();
  NllInputs in;
  in.model = std::make_shared<MixtureScore>(m);
  in.noise = vp();
  in.x = m.sample(61, 3u);
  in.config.steps = 40;
  in.chunk = 7;  // 61 = 8·7 + 5: the last chunk is short
  in.truth = m;
  AsyncJob<NllReport> job;
  job.start([in](JobControl& c) { return compute_nll(in, c); });
  job.wait();
  std::optional<NllReport> r = job.take();
  REQUIRE(r);
  CHECK_FALSE(r->cancelled);
  REQUIRE(r->done == 61);
  REQUIRE(r->nll.size() == 61);
  const Scalars direct = ode_log_likelihood(MixtureScore(m), in.noise, in.x, in.config);
  for (int i = 0; i < 61; ++i) CHECK(r->nll[i] == doctest::Approx(-direct[i]).epsilon(1e-12));
  CHECK(r->mean == doctest::Approx(mean_nll(-direct)).epsilon(1e-12));
  CHECK(r->se == doctest::Approx(standard_error(-direct)).epsilon(1e-12));
  Scalars log_p;
  m.log_prob(in.x, log_p);
  REQUIRE(r->entropy);
  CHECK(*r->entropy == doctest::Approx(-log_p.mean()).epsilon(1e-12));
  CHECK(*r->entropy_se == doctest::Approx(standard_error(-log_p)).epsilon(1e-12));
  // The exact score's ODE reproduces the true density closely: KL estimate near 0 (RK4, 40 steps).
  REQUIRE(r->kl);
  CHECK(*r->kl == doctest::Approx(mean_nll(-direct - (-log_p))).epsilon(1e-12));
  CHECK(std::abs(*r->kl) < 0.05);
}

TEST_CASE("cancel stops the NLL after the chunk in flight") {
  const GaussianMixture m = two_modes();
  JobControl control;
  NllInputs in;
  in.model = std::make_shared<CancellingScore>(m, &control);
  in.noise = vp();
  in.x = m.sample(40, 5u);
  in.config.steps = 20;
  in.chunk = 5;
  const NllReport r = compute_nll(in, control);
  CHECK(r.cancelled);
  CHECK(r.total == 40);
  CHECK(r.done == 5);
  REQUIRE(r.nll.size() == 5);
  CHECK(control.progress() == doctest::Approx(5.0 / 40.0));
  const Scalars direct = ode_log_likelihood(MixtureScore(m), in.noise, in.x.leftCols(5), in.config);
  for (int i = 0; i < 5; ++i) CHECK(r.nll[i] == doctest::Approx(-direct[i]).epsilon(1e-12));
}

TEST_CASE("cancel stops the sample-quality floor between repetitions") {
  SampleQualityInputs in;
  in.data = mixture_data();
  in.particles = two_modes().sample(100, 1u);
  in.n = 100;
  in.reps = 20;
  JobControl control;
  control.cancel();  // before the floor starts: the MMD itself is still computed
  const SampleQuality q = compute_sample_quality(in, control);
  CHECK(q.cancelled);
  CHECK(q.n == 100);
  CHECK(q.floor.reps == 0);
}

TEST_CASE("an async job runs until cancelled, and cancel() from the owner stops it") {
  AsyncJob<int> job;
  job.start([](JobControl& c) {
    int spins = 0;
    while (!c.cancelled()) {
      ++spins;
      std::this_thread::yield();
    }
    return spins;
  });
  CHECK(job.running());
  job.cancel();
  job.wait();  // returns only because the worker saw the cancel
  CHECK(job.finished());
  CHECK(job.take().has_value());
  CHECK_FALSE(job.take().has_value());  // handed over once
}

TEST_CASE("discard drops a running job's outcome") {
  AsyncJob<int> job;
  job.start([](JobControl& c) {
    while (!c.cancelled()) std::this_thread::yield();
    return 7;
  });
  job.discard();
  CHECK_FALSE(job.running());
  CHECK_FALSE(job.finished());
  CHECK_FALSE(job.take().has_value());
}
