// A trained network seen as a ScoreFunction, so samplers and the likelihood cannot tell it from an
// exact score.
//
// Parametrisation (THEORY.md §2): s_θ(x, level) = net(c_in·x, level.t) · output_scale(level.s), i.e.
// / max(level.s, kMinNoiseScale) (at s = 0: ·1, see output_scale), so the net predicts −z at unit
// scale; c_in = 1/√(m²·data_rms² + s²) (Mlp::input_scale) gives it
// unit-scale inputs at every level. The conditioning input is the level's t: NCSN/EDM levels carry
// their VE time, SDE levels their own t, so one t-conditioned net serves every schedule. Energy nets
// give s_θ = −∇ₓE(c_in·x, t) / max(s, kMinNoiseScale) (the gradient w.r.t. x, so it carries c_in).
#pragma once

#include <algorithm>
#include <memory>
#include <optional>

#include "core/nn/mlp.hpp"
#include "core/score_function.hpp"

namespace scorelab {

// Guards the division near the clean-data level. The schedules never train below s(1e-5), so a
// network they trained, queried below that, returns an extrapolation, not a score.
inline constexpr double kMinNoiseScale = 1e-6;
// 1/max(s, kMinNoiseScale) for s > 0. At s = 0 exactly (the clean data, where a single-level
// objective may train: train.sigma = 0) there is no noise scale for the net to be the −z of, so its
// output is the score itself: scale 1. Dividing by the floor instead would ask a net trained there
// for outputs of 1e-6·score, which Adam's steps of ~lr cannot resolve. The GPU twin takes this value
// from here (app/gpu/gpu_score.cpp), so both sides agree.
inline double output_scale(double s) { return s == 0 ? 1.0 : 1.0 / std::max(s, kMinNoiseScale); }

class NetworkScore final : public ScoreFunction {
 public:
  // Columns are evaluated in chunks of kChunk (bounded memory) on up to hardware_concurrency()
  // threads once a call has at least 2·kChunk points.
  static constexpr Eigen::Index kChunk = 4096;

  // label: for a class-conditional net (Mlp::classes() > 0), the class k whose score s(x, t, k) this
  // is; kNoLabel (the default) gives the unconditional s(x, t, ∅). Unconditional nets ignore it.
  explicit NetworkScore(std::shared_ptr<const Mlp<float>> net, int label = Mlp<float>::kNoLabel);
  const Mlp<float>& net() const { return *net_; }
  const std::shared_ptr<const Mlp<float>>& shared_net() const { return net_; }
  int label() const { return label_; }

  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  // Exact divergence: two forward-mode JVPs (score nets) or second-order forward mode (energy nets).
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                            Scalars& div) const override;
  // The level a single-level objective trained it at (train.sigma), when known; else it learned the
  // schedule's levels down to the smallest.
  void set_trained_sigma(std::optional<double> sigma) { trained_sigma_ = sigma; }
  const std::optional<double>& trained_sigma() const { return trained_sigma_; }
  double lowest_noise(double schedule_smallest) const override { return trained_sigma_.value_or(schedule_smallest); }

 private:
  std::shared_ptr<const Mlp<float>> net_;
  int label_;
  std::optional<double> trained_sigma_;
};

}  // namespace scorelab
