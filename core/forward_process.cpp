#include "core/forward_process.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/parallel.hpp"

namespace scorelab {
namespace {

// The forward process follows no score; Sampler's interface wants one.
class NoScore final : public ScoreFunction {
 public:
  void score(const Points&, const NoiseLevel&, Points&) const override { fail(); }
  void score_and_divergence(const Points&, const NoiseLevel&, Points&, Scalars&) const override { fail(); }

 private:
  [[noreturn]] static void fail() { throw std::logic_error("ForwardProcess must not score"); }
};

const NoScore kNoScore;

}  // namespace

Points forward_noise(const Points& x0, const Sde& sde, double t, uint32_t seed, uint32_t first, uint32_t counter) {
  const NoiseLevel level = sde.level(t);
  Points x(2, x0.cols());
  parallel_for_columns(x0.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j)
      x.col(j) = level.m * x0.col(j) + level.s * normal2(seed, first + uint32_t(j), counter);
  });
  return x;
}

ForwardTransition forward_transition(const Sde& sde, double t, double t_next) {
  const NoiseLevel from = sde.level(t), to = sde.level(t_next);
  ForwardTransition tr;
  tr.a = to.m / from.m;
  // Non-negative for every SDE here (it is the variance the SDE adds); the clamp only absorbs rounding.
  tr.c = std::sqrt(std::max(0.0, to.s * to.s - tr.a * tr.a * from.s * from.s));
  return tr;
}

ForwardProcess::ForwardProcess(const SamplerConfig& config, const NoiseConfig& noise, int steps)
    : Sampler(config, noise, kNoScore), steps_(steps), eps_(sde_.sampling_eps()) {}

double ForwardProcess::time_at(int k) const {
  return eps_ + (1.0 - eps_) * double(std::clamp(k, 0, steps_)) / double(steps_);
}

int ForwardProcess::step(int k, Points& x, uint32_t first_particle) {
  const ForwardTransition tr = transition(k);
  const uint32_t counter = uint32_t(k) + 1u;
  parallel_for_columns(x.cols(), [&](Eigen::Index begin, Eigen::Index end) {
    for (Eigen::Index j = begin; j < end; ++j)
      x.col(j) = tr.a * x.col(j) + tr.c * noise(first_particle + uint32_t(j), counter);
  });
  return 0;
}

Points forward_start(const Points& data, int n, const NoiseConfig& noise, uint32_t seed) {
  if (data.cols() < 1) throw InputError("forward process: there are no data points to noise");
  if (n < 1) throw InputError("forward process: particles must be at least 1 (got " + std::to_string(n) + ")");
  Points x0(2, n);
  for (int j = 0; j < n; ++j) x0.col(j) = data.col(j % data.cols());
  const Sde sde(noise);
  return forward_noise(x0, sde, sde.sampling_eps(), seed, 0, 0);
}

std::unique_ptr<ForwardProcess> make_forward_process(const SamplerConfig& config, const NoiseConfig& noise,
                                                     int steps) {
  if (steps < 1 || steps > 100000)
    throw InputError("forward process: steps must be in [1, 100000] (got " + std::to_string(steps) + ")");
  return std::make_unique<ForwardProcess>(config, noise, steps);
}

}  // namespace scorelab
