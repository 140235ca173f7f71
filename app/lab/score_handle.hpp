// A ScoreFunction that forwards to a replaceable one. Samplers hold their score by reference for
// their whole run; the GUI hands them this handle and swaps what is behind it (exact ↔ learned, or
// a newer training snapshot) between steps, so a run continues with the new score instead of restarting.
// Swap only between calls (the GUI's thread steps the sampler and swaps).
#pragma once

#include <memory>
#include <stdexcept>

#include "core/score_function.hpp"

namespace scorelab {

class ScoreHandle final : public ScoreFunction {
 public:
  void set(std::shared_ptr<const ScoreFunction> score) { score_ = std::move(score); }
  const ScoreFunction* get() const { return score_.get(); }

  void score(const Points& x, const NoiseLevel& level, Points& out) const override { target().score(x, level, out); }
  void score_and_divergence(const Points& x, const NoiseLevel& level, Points& out, Scalars& div) const override {
    target().score_and_divergence(x, level, out, div);
  }
  bool has_log_prob() const override { return score_ && score_->has_log_prob(); }
  double lowest_noise(double schedule_smallest) const override {
    return score_ ? score_->lowest_noise(schedule_smallest) : 0.0;
  }
  int evaluations_per_score() const override { return score_ ? score_->evaluations_per_score() : 1; }
  void log_prob(const Points& x, const NoiseLevel& level, Scalars& out) const override {
    target().log_prob(x, level, out);
  }

 private:
  const ScoreFunction& target() const {
    if (!score_) throw std::logic_error("ScoreHandle: no score set");
    return *score_;
  }
  std::shared_ptr<const ScoreFunction> score_;
};

}  // namespace scorelab
