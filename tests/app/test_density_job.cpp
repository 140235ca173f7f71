// The progressive density job (CPU backend): completion against core's ode_likelihood, cancel,
// replacement by a newer request, failures and the GPU fallback; the relative Fisher divergence per
// level; the SCORELAB_LAYERS spec.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "app/jobs/density_job.hpp"
#include "app/jobs/fisher_job.hpp"
#include "app/plane/layer_settings.hpp"
#include "core/mixture.hpp"
#include "core/toy_data.hpp"

using namespace scorelab;

namespace {

DensityRequest mixture_request(int width, int height, int steps) {
  DensityRequest r;
  r.score = std::make_shared<const MixtureScore>(*toy_mixture("8gaussians"));
  r.config.steps = steps;
  r.config.eps = 0.05;  // the log-density at the level t = 0.05
  r.grid.width = width;
  r.grid.height = height;
  r.grid.origin = Vec2(-3.0, -2.5);
  r.grid.spacing = Vec2(6.0 / (width - 1), 5.0 / (height - 1));
  return r;
}

// Polls until the worker has at least `rows` rows of the newest request (or it stopped).
DensityProgress wait_for_rows(const DensityWorker& worker, int rows) {
  DensityProgress p;
  for (;;) {
    worker.poll(p);
    if (p.rows_done >= rows || p.state == DensityState::complete || p.state == DensityState::failed) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

class ThrowingScore final : public ScoreFunction {
 public:
  void score(const Points&, const NoiseLevel&, Points&) const override { throw InputError("no score here"); }
  void score_and_divergence(const Points&, const NoiseLevel&, Points&, Scalars&) const override {
    throw InputError("no divergence here");
  }
};

// (1 + a)·∇log p: its relative Fisher divergence is exactly a² at every level.
class ScaledScore final : public ScoreFunction {
 public:
  ScaledScore(std::shared_ptr<const ScoreFunction> s, double a) : s_(std::move(s)), a_(a) {}
  void score(const Points& x, const NoiseLevel& l, Points& out) const override {
    s_->score(x, l, out);
    out *= 1.0 + a_;
  }
  void score_and_divergence(const Points& x, const NoiseLevel& l, Points& out, Scalars& div) const override {
    s_->score_and_divergence(x, l, out, div);
    out *= 1.0 + a_;
    div *= 1.0 + a_;
  }

 private:
  std::shared_ptr<const ScoreFunction> s_;
  double a_;
};

}  // namespace

TEST_CASE("density job: every row of the grid, in place, equal to core's ode_likelihood") {
  DensityWorker worker;  // CPU only
  const DensityRequest r = mixture_request(13, 9, 20);
  const uint64_t id = worker.submit(r, ComputeDevice::cpu);
  worker.wait();
  DensityProgress p;
  REQUIRE(worker.poll(p));
  CHECK(p.id == id);
  CHECK(p.state == DensityState::complete);
  CHECK(p.rows_done == 9);
  CHECK(p.backend == "CPU");
  CHECK(p.prepare_seconds <= p.seconds);
  CHECK_FALSE(worker.poll(p));  // nothing new since
  const Points x = density_grid_rows(r.grid, 0, r.grid.height);
  const Scalars expected = ode_log_likelihood(*r.score, r.noise, x, r.config);
  REQUIRE(p.values.size() == size_t(x.cols()));
  for (Eigen::Index k = 0; k < x.cols(); ++k)
    CHECK(p.values[size_t(k)] == doctest::Approx(expected[k]).epsilon(1e-6));
  // At t = 0.05 the ODE gives back the exact log-density of the noised mixture (THEORY.md §5).
  Scalars exact;
  r.score->log_prob(x, Sde(r.noise).level(r.config.eps), exact);
  CHECK(std::abs(p.values[50] - exact[50]) < 1e-3);
}

TEST_CASE("density job: cancel stops it part-way; the worker takes the next request") {
  DensityWorker worker;
  worker.submit(mixture_request(64, 4000, 200), ComputeDevice::cpu);  // many seconds of work
  const DensityProgress started = wait_for_rows(worker, 1);
  CHECK(started.state == DensityState::running);
  worker.cancel();
  worker.wait();  // returns: nothing left to run
  DensityProgress p;
  worker.poll(p);
  CHECK(p.state == DensityState::cancelled);
  CHECK(p.rows_done < 4000);
  const int rows_at_cancel = p.rows_done;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a band in flight is not published
  worker.poll(p);
  CHECK(p.rows_done == rows_at_cancel);
  const uint64_t id = worker.submit(mixture_request(5, 4, 10), ComputeDevice::cpu);
  worker.wait();
  worker.poll(p);
  CHECK(p.id == id);
  CHECK(p.state == DensityState::complete);
  CHECK(p.rows_done == 4);
}

TEST_CASE("density job: a newer request replaces a running one") {
  DensityWorker worker;
  const uint64_t slow = worker.submit(mixture_request(64, 4000, 200), ComputeDevice::cpu);
  wait_for_rows(worker, 1);
  const uint64_t fast = worker.submit(mixture_request(7, 3, 10), ComputeDevice::cpu);
  CHECK(fast != slow);
  worker.wait();
  DensityProgress p;
  worker.poll(p);
  CHECK(p.id == fast);
  CHECK(p.state == DensityState::complete);
  CHECK(p.values.size() == 21u);
  for (float v : p.values) CHECK(std::isfinite(v));
}

TEST_CASE("density job: a failing score is reported; a missing GPU falls back to the CPU") {
  DensityWorker worker([](std::string* why) -> std::unique_ptr<DensityBackend> {
    *why = "no GPU in this test";
    return nullptr;
  });
  DensityRequest bad = mixture_request(4, 3, 5);
  bad.score = std::make_shared<const ThrowingScore>();
  worker.submit(bad, ComputeDevice::gpu);
  worker.wait();
  DensityProgress p;
  worker.poll(p);
  CHECK(p.state == DensityState::failed);
  CHECK(p.error.find("no divergence here") != std::string::npos);
  CHECK(worker.gpu_note() == "no GPU in this test");  // it said why it used the CPU
  worker.submit(mixture_request(4, 3, 5), ComputeDevice::gpu);
  worker.wait();
  worker.poll(p);
  CHECK(p.state == DensityState::complete);
  CHECK(p.backend == "CPU");
  CHECK_THROWS_AS(worker.submit(DensityRequest{}, ComputeDevice::cpu), InputError);  // no score
}

TEST_CASE("relative Fisher per level: 0 for the truth, a² for (1 + a)·truth, one value per level") {
  auto truth = std::make_shared<const MixtureScore>(*toy_mixture("8gaussians"));
  FisherInputs in;
  in.truth = truth;
  in.data = toy_mixture("8gaussians")->sample(300, 3);
  in.n = 256;
  JobControl control;
  SUBCASE("NCSN levels") {
    in.noise.kind = NoiseKind::geometric;
    in.noise.levels = 6;
    in.model = truth;
    const FisherReport r = compute_fisher_levels(in, control);
    REQUIRE(r.levels.size() == 6);
    CHECK(r.levels.front().level.s > r.levels.back().level.s);  // largest σ first
    CHECK(r.levels.front().label.rfind("σ=", 0) == 0);
    for (const FisherLevel& l : r.levels) CHECK(l.value == doctest::Approx(0.0));
  }
  SUBCASE("SDE times") {
    in.model = std::make_shared<const ScaledScore>(truth, 0.3);
    const FisherReport r = compute_fisher_levels(in, control);  // VP by default
    REQUIRE(r.levels.size() == 8);
    CHECK(r.levels.front().level.t == doctest::Approx(0.01));
    CHECK(r.levels.back().level.t == doctest::Approx(1.0));
    for (const FisherLevel& l : r.levels) CHECK(l.value == doctest::Approx(0.09).epsilon(1e-9));
    CHECK(control.progress() == doctest::Approx(1.0));
  }
}

TEST_CASE("SCORELAB_LAYERS sets the layers; a bad item is refused and changes nothing") {
  FieldSettings f;
  HeatmapSettings h;
  apply_layers_spec("heatmap=model,field=streamlines,score=learned,t=0.2", f, h);
  CHECK(h.show);
  CHECK(h.kind == HeatmapKind::model_log_density);
  CHECK(f.style == FieldStyle::streamlines);
  CHECK(f.kind == FieldKind::learned);
  CHECK_FALSE(f.follow_sampler);
  CHECK(f.t == doctest::Approx(0.2));
  apply_layers_spec("heatmap=error,field=off", f, h);
  CHECK(h.kind == HeatmapKind::score_error);
  CHECK_FALSE(h.weight_by_p);
  CHECK_FALSE(f.show);
  const HeatmapSettings before = h;
  CHECK_THROWS_WITH_AS(apply_layers_spec("heatmap=error_p,field=swirls", f, h), doctest::Contains("field=swirls"),
                       InputError);
  CHECK(h.weight_by_p == before.weight_by_p);  // the good first item was not applied either
  OtherLayers other;
  apply_layers_spec("points=0,particles=1,device=cpu", f, h, &other);
  CHECK(other.points == false);
  CHECK(other.particles == true);
  CHECK(f.device == ComputeDevice::cpu);
  CHECK(h.device == ComputeDevice::cpu);
  CHECK_THROWS_AS(apply_layers_spec("points=yes", f, h), InputError);
  CHECK_THROWS_AS(apply_layers_spec("t=0", f, h), InputError);
  CHECK_THROWS_AS(apply_layers_spec("colour=red", f, h), InputError);
}
