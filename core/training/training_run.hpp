// One training run without threads: data, network, Adam, EMA and the step counter. The Trainer
// (core/training/trainer.hpp) drives one of these on a worker thread; the CLI, tests and benchmarks can
// drive it directly.
//
// A step: draw a batch (with replacement, stream kBatchStream of the step), loss and gradient of the
// objective in float, health checks, Adam, EMA. A step that fails a health check changes nothing
// that sampling sees (the EMA is only updated after the checks) and reports why.
//
// The batch is always computed as kParts column blocks whose gradients are summed in a fixed
// order, on up to kParts threads: the thread count changes the speed, never the result.
#pragma once

#include <memory>
#include <string>

#include "core/nn/mlp.hpp"
#include "core/training/adam.hpp"
#include "core/training/objectives.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

struct StepReport {
  double loss = 0;
  double grad_norm = 0;  // before clipping
  std::string problem;   // empty when the step is healthy; else why training must stop
  bool ok() const { return problem.empty(); }
};

class TrainingRun {
 public:
  // |loss| above this multiple of its magnitude over the first steps counts as divergence.
  static constexpr double kExplodeFactor = 1e4;
  // Weights beyond this magnitude count as divergence (healthy nets here stay O(1)).
  static constexpr double kMaxWeight = 1e4;
  static constexpr int kParts = 2;

  // data: (2, n), n ≥ 1, finite. true_score is needed by esm only. labels (n): each point's class in
  // [0, model.classes) for a class-conditional net (model.classes > 0, see labelled_training), empty
  // otherwise. Throws InputError on bad input.
  TrainingRun(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
              std::shared_ptr<const ScoreFunction> true_score = nullptr, Eigen::VectorXi labels = {});

  StepReport step();
  void reset();  // weights from the seed again, Adam and EMA cleared, step 0
  // Continues from saved weights (e.g. a model file): net's parameters, Fourier frequencies and
  // data_rms, as both the trained and the EMA weights, at step `step`; Adam starts afresh. Throws
  // InputError (and changes nothing) when net's architecture differs from model_config() or its
  // weights are not finite.
  void load_weights(const Mlp<float>& net, int64_t step);
  // Threads for the batch parts: 1 (default) … kParts. Two threads speed a step up ~1.4–1.7× on an
  // otherwise idle 2-core machine, but a helper thread that has to wait for a busy core stalls the
  // step (measured 2× slower under load), so it is opt-in (CLI training, benchmarks).
  void set_threads(int threads);
  int threads() const { return threads_; }

  int64_t steps_done() const { return steps_; }
  const Mlp<float>& net() const { return net_; }
  Mlp<float>& mutable_net() { return net_; }  // for tests that inject faults
  const Mlp<float>::Vector& ema_params() const { return ema_.weights(); }
  Mlp<float> ema_net() const;  // the network sampling uses
  const TrainConfig& train_config() const { return train_; }
  const ModelConfig& model_config() const { return net_.config(); }
  const NoiseConfig& noise_config() const { return objective_.noise; }
  const Points& data() const { return data_; }
  // The data points of the last step's batch (2, batch), in column order (empty before a step).
  const Points& last_batch() const { return batch_; }
  const Eigen::VectorXi& labels() const { return labels_; }

 private:
  Points data_;
  Eigen::VectorXi labels_;  // (n) class labels, empty for an unconditional net
  TrainConfig train_;
  ObjectiveConfig objective_;
  Mlp<float> net_;
  Adam<float> adam_;
  Ema<float> ema_;
  struct Part {
    ObjectiveWorkspace<float> ws;
    Points x0;
    Eigen::VectorXi labels;
    Mlp<float>::Vector grad;
    double loss = 0;  // summed (not averaged) over the part's columns
  };
  // Labels go with a class-conditional net trained conditionally, one per point, each a class.
  void check_labels() const;
  void run_part(int p, uint32_t step);
  void draw_batch(uint32_t step);     // batch_ ← this step's picks of the data
  void run_parts(uint32_t step);      // both parts: on a helper thread and this one, or in turn
  // Why the step must not be applied (loss or gradient not finite, loss exploded), or ""; the first
  // steps' losses also go into the divergence reference here.
  std::string gradient_problem(double loss);
  // Why the updated weights are unusable (not finite, exploded), or "".
  std::string weights_problem() const;
  Part parts_[kParts];
  int threads_ = 1;
  Mlp<float>::Vector grad_;
  Points batch_;
  Eigen::VectorXi batch_labels_;
  int64_t steps_ = 0;
  double loss_reference_ = 0;  // mean |loss| over the first kReferenceSteps steps
  int64_t reference_start_ = 0;  // the step the reference starts at (0, or where loaded weights start)
  static constexpr int kReferenceSteps = 10;
};

}  // namespace scorelab
