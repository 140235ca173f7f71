#include "core/training/trainer.hpp"

#include <algorithm>
#include <cstring>

namespace scorelab {

const char* to_string(TrainerState state) {
  switch (state) {
    case TrainerState::idle: return "idle";
    case TrainerState::running: return "running";
    case TrainerState::paused: return "paused";
    case TrainerState::finished: return "finished";
    case TrainerState::diverged: return "diverged";
  }
  return "?";
}

uint64_t weights_checksum(const Mlp<float>& net) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a, one 32-bit word at a time
  auto mix = [&](const float* p, Eigen::Index n) {
    for (Eigen::Index i = 0; i < n; ++i) {
      uint32_t bits;
      std::memcpy(&bits, p + i, sizeof bits);
      h = (h ^ bits) * 1099511628211ull;
    }
  };
  mix(net.params().data(), net.params().size());
  mix(net.fourier_freqs().data(), net.fourier_freqs().size());
  const float rms = static_cast<float>(net.data_rms());
  mix(&rms, 1);
  return h;
}

Trainer::Trainer(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
                 std::shared_ptr<const ScoreFunction> true_score, Eigen::VectorXi labels)
    : run_(std::make_unique<TrainingRun>(std::move(data), noise, model, train, std::move(true_score),
                                         std::move(labels))) {
  {
    std::lock_guard run_lock(run_mutex_);
    std::lock_guard lock(mutex_);
    restart_locked();
  }
  thread_ = std::thread([this] { worker(); });
}

Trainer::~Trainer() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Trainer::restart_locked() {
  ++generation_;
  state_ = TrainerState::idle;
  pending_ = 0;
  step_ = run_->steps_done();  // 0 unless weights were loaded
  loss_ = std::numeric_limits<double>::quiet_NaN();
  message_.clear();
  history_.clear();
  history_stride_ = 1;
  rate_ = 0;
  publish(std::make_shared<const Mlp<float>>(run_->ema_net()), step_, loss_);
  cv_.notify_all();
}

void Trainer::start() {
  std::lock_guard lock(mutex_);
  if (state_ != TrainerState::idle && state_ != TrainerState::paused) return;
  if (step_ >= run_->train_config().steps) {
    state_ = TrainerState::finished;
    return;
  }
  state_ = TrainerState::running;
  rate_time_ = std::chrono::steady_clock::now();
  rate_step_ = step_;
  cv_.notify_all();
}

void Trainer::pause() {
  std::unique_lock lock(mutex_);
  if (state_ == TrainerState::running || pending_ > 0) state_ = TrainerState::paused;
  pending_ = 0;
  cv_.wait(lock, [&] { return !busy_; });
}

void Trainer::step(int n) {
  std::lock_guard lock(mutex_);
  if (n <= 0 || (state_ != TrainerState::idle && state_ != TrainerState::paused)) return;
  const int64_t left = run_->train_config().steps - step_ - pending_;
  if (left <= 0) return;
  pending_ += static_cast<int>(std::min<int64_t>(n, left));
  state_ = TrainerState::paused;
  cv_.notify_all();
}

void Trainer::reset() {
  std::lock_guard run_lock(run_mutex_);  // waits for the step in flight
  std::lock_guard lock(mutex_);
  run_->reset();
  restart_locked();
}

void Trainer::reconfigure(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
                          std::shared_ptr<const ScoreFunction> true_score, Eigen::VectorXi labels) {
  // Built (and validated) before anything changes, so a bad setting leaves the trainer as it was.
  auto next = std::make_unique<TrainingRun>(std::move(data), noise, model, train, std::move(true_score),
                                            std::move(labels));
  std::lock_guard run_lock(run_mutex_);
  std::lock_guard lock(mutex_);
  const bool was_running = state_ == TrainerState::running;
  if (threads_ > 0) next->set_threads(threads_);
  run_ = std::move(next);
  restart_locked();
  if (was_running) {
    state_ = TrainerState::running;
    rate_time_ = std::chrono::steady_clock::now();
    rate_step_ = 0;
  }
}

void Trainer::load_weights(const Mlp<float>& net, int64_t step) {
  std::lock_guard run_lock(run_mutex_);  // waits for the step in flight
  std::lock_guard lock(mutex_);
  run_->load_weights(net, step);  // validates before changing anything
  restart_locked();
}

bool Trainer::wait(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return !has_work() && !busy_; });
}

void Trainer::worker() {
  for (;;) {
    uint64_t generation;
    std::function<void(int64_t, Mlp<float>&)> hook;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return quit_ || has_work(); });
      if (quit_) return;
      generation = generation_;
      hook = hook_;
      busy_ = true;
    }
    std::lock_guard run_lock(run_mutex_);
    {
      // A reset or pause may have come between the wait and taking run_mutex_.
      std::lock_guard lock(mutex_);
      if (generation != generation_ || !has_work() || quit_) {
        // A pause that lands here stops after the last recorded step, which may not be a
        // publishing one: publish it, so the snapshot matches the paused status.
        if (generation == generation_ && !quit_ && published_step_ != step_ && state_ != TrainerState::diverged)
          publish(std::make_shared<const Mlp<float>>(run_->ema_net()), step_, loss_);
        busy_ = false;
        cv_.notify_all();
        continue;
      }
    }
    // The step itself runs without mutex_, so status() and the controls never wait for it.
    StepReport report;
    try {
      report = run_->step();
      if (report.ok() && hook) hook(run_->steps_done(), run_->mutable_net());
    } catch (const std::exception& e) {  // e.g. out of memory: stop like a divergence, keep the snapshot
      report.problem = std::string("training failed: ") + e.what();
    }
    std::lock_guard lock(mutex_);
    busy_ = false;
    record(report, run_->steps_done());
    cv_.notify_all();
  }
}

void Trainer::record(const StepReport& report, int64_t steps_done) {
  if (!report.ok()) {
    state_ = TrainerState::diverged;
    message_ = report.problem;
    pending_ = 0;
    // The failed step never reached the EMA: these are the last good sampling weights.
    publish(std::make_shared<const Mlp<float>>(run_->ema_net()), step_, loss_);
    return;
  }
  step_ = steps_done;
  loss_ = report.loss;
  if (step_ % history_stride_ == 0) {
    history_.push_back({step_, loss_});
    if (history_.size() >= kMaxHistory) {  // keep every other point from now on
      size_t kept = 0;
      for (size_t i = 0; i < history_.size(); i += 2) history_[kept++] = history_[i];
      history_.resize(kept);
      history_stride_ *= 2;
    }
  }
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - rate_time_).count();
  if (elapsed >= 0.25) {
    rate_ = double(step_ - rate_step_) / elapsed;
    rate_time_ = now;
    rate_step_ = step_;
  }
  if (pending_ > 0 && --pending_ == 0 && state_ != TrainerState::running) state_ = TrainerState::paused;
  if (step_ >= run_->train_config().steps) {
    state_ = TrainerState::finished;
    pending_ = 0;
  }
  if (step_ % kPublishEvery == 0 || !has_work())
    publish(std::make_shared<const Mlp<float>>(run_->ema_net()), step_, loss_);
}

void Trainer::publish(std::shared_ptr<const Mlp<float>> net, int64_t step, double loss) {
  auto snap = std::make_shared<Snapshot>();
  snap->version = ++version_;
  snap->generation = generation_;
  snap->step = step;
  published_step_ = step;
  snap->checksum = weights_checksum(*net);
  snap->net = std::move(net);
  snap->loss = loss;
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

std::shared_ptr<const Snapshot> Trainer::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

TrainerStatus Trainer::status() const {
  std::lock_guard lock(mutex_);
  TrainerStatus s;
  s.state = state_;
  s.step = step_;
  s.total_steps = run_->train_config().steps;
  s.steps_per_second = rate_;
  s.loss = loss_;
  s.message = message_;
  s.generation = generation_;
  return s;
}

std::vector<LossPoint> Trainer::loss_history(int64_t after_step) const {
  std::lock_guard lock(mutex_);
  auto first = std::upper_bound(history_.begin(), history_.end(), after_step,
                                [](int64_t s, const LossPoint& p) { return s < p.step; });
  return {first, history_.end()};
}

TrainConfig Trainer::train_config() const {
  std::lock_guard lock(mutex_);
  return run_->train_config();
}

ModelConfig Trainer::model_config() const {
  std::lock_guard lock(mutex_);
  return run_->model_config();
}

Eigen::VectorXi Trainer::labels() const {
  std::lock_guard lock(mutex_);
  return run_->labels();
}

NoiseConfig Trainer::noise_config() const {
  std::lock_guard lock(mutex_);
  return run_->noise_config();
}

void Trainer::set_threads(int threads) {
  std::lock_guard run_lock(run_mutex_);
  std::lock_guard lock(mutex_);
  run_->set_threads(threads);
  threads_ = run_->threads();
}

void Trainer::set_step_hook(std::function<void(int64_t, Mlp<float>&)> hook) {
  std::lock_guard lock(mutex_);
  hook_ = std::move(hook);
}

}  // namespace scorelab
