#include "core/training/training_run.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <sstream>
#include <thread>

#include "core/rng.hpp"

namespace scorelab {

TrainingRun::TrainingRun(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
                         std::shared_ptr<const ScoreFunction> true_score, Eigen::VectorXi labels)
    : data_(std::move(data)), labels_(std::move(labels)), train_(train),
      objective_(objective_config(train, noise, std::move(true_score))), net_(model) {
  if (data_.cols() < 1) throw InputError("training data: needs at least one point");
  if (!data_.allFinite()) throw InputError("training data: points must be finite");
  check_labels();
  validate(train_);
  validate(noise);
  check_objective(objective_, model);
  reset();
}

void TrainingRun::check_labels() const {
  const int k = net_.classes();
  if (k == 0 && labels_.size() == 0 && !train_.conditional) return;
  if (k == 0 || !train_.conditional)
    throw InputError("training data: class labels go with a class-conditional model (train.conditional and "
                     "model.classes > 0) and only with one");
  if (labels_.size() != data_.cols())
    throw InputError("training data: " + std::to_string(labels_.size()) + " class labels for " +
                     std::to_string(data_.cols()) + " points");
  if (labels_.size() > 0 && (labels_.minCoeff() < 0 || labels_.maxCoeff() >= k))
    throw InputError("training data: class labels must be in [0, " + std::to_string(k) + ")");
}

void TrainingRun::set_threads(int threads) { threads_ = std::clamp(threads, 1, kParts); }

void TrainingRun::run_part(int p, uint32_t step) {
  const Eigen::Index b = train_.batch, lo = p * b / kParts, hi = (p + 1) * b / kParts;
  Part& part = parts_[p];
  if (hi == lo) {
    part.loss = 0;
    part.grad.setZero(net_.param_count());
    return;
  }
  part.x0 = batch_.middleCols(lo, hi - lo);
  const bool labelled = labels_.size() > 0;
  if (labelled) part.labels = batch_labels_.segment(lo, hi - lo);
  part.loss = loss_and_grad(objective_, net_, part.x0, train_.seed, step, &part.grad, part.ws,
                            static_cast<uint32_t>(lo), labelled ? &part.labels : nullptr) * double(hi - lo);
  part.grad *= static_cast<float>(hi - lo);
}

void TrainingRun::reset() {
  net_.init(train_.seed);
  net_.set_data_rms(std::sqrt(data_.squaredNorm() / double(data_.size())));
  adam_ = Adam<float>(net_.param_count(), AdamOptions{train_.lr, 0.9, 0.999, 1e-8, train_.clip});
  ema_ = Ema<float>(net_.params(), train_.ema);
  steps_ = 0;
  loss_reference_ = 0;
  reference_start_ = 0;
}

void TrainingRun::load_weights(const Mlp<float>& net, int64_t step) {
  const ModelConfig& a = net.config();
  const ModelConfig& b = net_.config();
  if (a.hidden != b.hidden || a.activation != b.activation || a.fourier != b.fourier ||
      a.fourier_scale != b.fourier_scale || a.energy != b.energy || a.classes != b.classes)
    throw InputError("loaded weights: architecture " + to_json(a).dump() + " differs from the trainer's " +
                     to_json(b).dump());
  if (step < 0) throw InputError("loaded weights: step must be >= 0 (got " + std::to_string(step) + ")");
  if (!net.params().allFinite() || !net.fourier_freqs().allFinite() || !std::isfinite(net.data_rms()))
    throw InputError("loaded weights: not finite");
  net_ = net;
  adam_ = Adam<float>(net_.param_count(), AdamOptions{train_.lr, 0.9, 0.999, 1e-8, train_.clip});
  ema_ = Ema<float>(net_.params(), train_.ema);
  steps_ = step;
  // The divergence check compares against the loss of the first steps taken from these weights.
  loss_reference_ = 0;
  reference_start_ = step;
}

Mlp<float> TrainingRun::ema_net() const {
  Mlp<float> out = net_;
  out.params() = ema_.weights();
  return out;
}

void TrainingRun::draw_batch(uint32_t step) {
  const Eigen::Index n = data_.cols(), b = train_.batch;
  batch_.resize(2, b);
  batch_labels_.resize(labels_.size() > 0 ? b : 0);
  const uint32_t stream = step_stream(step, kBatchStream);
  for (Eigen::Index i = 0; i < b; ++i) {
    Eigen::Index k = std::min<Eigen::Index>(n - 1, Eigen::Index(uniform01(train_.seed, stream, uint32_t(i)) * n));
    batch_.col(i) = data_.col(k);
    if (labels_.size() > 0) batch_labels_[i] = labels_[k];
  }
}

void TrainingRun::run_parts(uint32_t step) {
  if (threads_ <= 1) {
    for (int p = 0; p < kParts; ++p) run_part(p, step);
    return;
  }
  std::exception_ptr helper_error;
  std::thread helper([&] {
    try {
      run_part(1, step);
    } catch (...) {
      helper_error = std::current_exception();
    }
  });
  try {
    run_part(0, step);
  } catch (...) {
    helper.join();
    throw;
  }
  helper.join();
  if (helper_error) std::rethrow_exception(helper_error);
}

std::string TrainingRun::gradient_problem(double loss) {
  const std::string at = " at step " + std::to_string(steps_);
  if (!std::isfinite(loss)) return "loss is " + format_number(loss) + at;
  if (!grad_.allFinite()) return "gradient is not finite" + at;
  if (steps_ - reference_start_ < kReferenceSteps) {
    loss_reference_ += std::abs(loss) / kReferenceSteps;
  } else if (std::abs(loss) > kExplodeFactor * std::max(loss_reference_, 1e-6)) {
    return "loss exploded" + at + " (" + format_number(loss) + ", over " + format_number(kExplodeFactor) +
           " times its initial size " + format_number(loss_reference_) + ")";
  }
  return {};
}

std::string TrainingRun::weights_problem() const {
  const std::string at = " at step " + std::to_string(steps_);
  if (!net_.params().allFinite()) return "weights are not finite after the update" + at;
  const double wmax = net_.params().cwiseAbs().maxCoeff();
  if (wmax > kMaxWeight) return "weights exploded" + at + " (max |w| = " + format_number(wmax) + ")";
  return {};
}

StepReport TrainingRun::step() {
  StepReport report;
  const uint32_t step = static_cast<uint32_t>(steps_);
  draw_batch(step);
  run_parts(step);
  static_assert(kParts == 2, "the sum below lists the parts");
  const Eigen::Index b = train_.batch;
  grad_ = (parts_[0].grad + parts_[1].grad) / static_cast<float>(b);
  report.loss = (parts_[0].loss + parts_[1].loss) / double(b);
  report.problem = gradient_problem(report.loss);
  if (!report.problem.empty()) return report;
  report.grad_norm = adam_.step(net_.params(), grad_);
  report.problem = weights_problem();
  if (!report.problem.empty()) return report;
  ema_.update(net_.params());
  ++steps_;
  return report;
}

}  // namespace scorelab
