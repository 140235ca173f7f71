// The forward (noising) process, data → noise, played step by step (THEORY.md §3): the GUI shows data
// dissolving into noise through the same particles, trails and scrubber as a reverse sampler.
//
// Every SDE here is linear, dx = f(t)·x dt + g(t) dw, with Gaussian marginals x_t = m(t)·x0 + s(t)·z.
// A path is drawn with the exact Gaussian transition between two times t < t':
//   x_t' = a·x_t + c·z,   a = m(t')/m(t),   c² = s(t')² − a²·s(t)²,
// so x_t' given x0 is m(t')·x0 + √(a²s(t)² + c²)·z = m(t')·x0 + s(t')·z at every step (no
// discretisation error), and the path has the SDE's Brownian jitter, not a straight interpolation.
#pragma once

#include <memory>

#include "core/samplers/sampler.hpp"

namespace scorelab {

// One draw of the marginal x_t given x0 (2, N): x_t = m(t)·x0 + s(t)·z_j with
// z_j = normal2(seed, first + j, counter).
Points forward_noise(const Points& x0, const Sde& sde, double t, uint32_t seed, uint32_t first = 0,
                     uint32_t counter = 0);

// The exact transition from t to t_next ≥ t: x ← a·x + c·z.
struct ForwardTransition {
  double a = 1.0;
  double c = 0.0;
};
ForwardTransition forward_transition(const Sde& sde, double t, double t_next);

// The forward SDE as a Sampler over N steps of a time grid rising from ε to 1:
// t_k = ε + k·(1 − ε)/N, level_at(k) = level(t_k), step k moves x from t_k to t_{k+1} drawing
// normal2(seed, first + j, k + 1) (counter 0 is forward_start's draw). It evaluates no score (NFE 0).
class ForwardProcess final : public Sampler {
 public:
  ForwardProcess(const SamplerConfig& config, const NoiseConfig& noise, int steps);
  int num_steps() const override { return steps_; }
  int step(int k, Points& x, uint32_t first_particle = 0) override;
  NoiseLevel level_at(int k) const override { return sde_.level(time_at(k)); }
  double time_at(int k) const;
  ForwardTransition transition(int k) const { return forward_transition(sde_, time_at(k), time_at(k + 1)); }

 private:
  int steps_;
  double eps_;
};

// The start of a forward playback: n points taken from data (2, M) in order, cycling when n > M,
// noised to t = ε with counter 0 of the sampler's seed. Throws InputError when data is empty or n < 1.
Points forward_start(const Points& data, int n, const NoiseConfig& noise, uint32_t seed);

// A ForwardProcess of `steps` steps (1 to 100000) with config's seed; InputError outside.
std::unique_ptr<ForwardProcess> make_forward_process(const SamplerConfig& config, const NoiseConfig& noise, int steps);

}  // namespace scorelab
