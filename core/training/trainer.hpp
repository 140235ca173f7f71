// core/training/: how a score network learns, above core/nn/ (the network alone) and below app/:
// objectives (the losses of THEORY.md §2) · train_config (the scene's "train" section) · adam (Adam, EMA)
// · training_run (one run, no threads) · trainer (that run on a worker thread, with snapshots).
//
// The live trainer: a TrainingRun on a worker thread, controlled from the GUI (or the CLI) and
// read from anywhere without blocking training.
//
// Readers take snapshot(): an immutable, versioned copy of the EMA weights behind a shared_ptr,
// swapped under a mutex held only for the pointer copy, so a renderer or sampler can keep using a
// snapshot for as long as it likes while training continues. Snapshots are published every
// kPublishEvery steps and whenever the trainer stops (pause, single steps done, finished,
// diverged, reset).
//
// States: idle (constructed or reset, step 0) → running ⇄ paused → finished (config.steps reached)
// or diverged (a step failed a health check: NaN/Inf loss or weights, exploding loss or weights;
// status().message says why, the published snapshot keeps the last good EMA weights). Changing the
// configuration or data is a reset (reconfigure()).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/training/training_run.hpp"

namespace scorelab {

enum class TrainerState { idle, running, paused, finished, diverged };
const char* to_string(TrainerState state);

struct Snapshot {
  uint64_t version = 0;  // strictly increasing over the trainer's life, across resets too
  uint64_t generation = 0;  // which reset/reconfigure the weights belong to
  int64_t step = 0;      // optimisation steps behind these weights
  std::shared_ptr<const Mlp<float>> net;  // the EMA weights
  uint64_t checksum = 0;  // weights_checksum(*net), computed when published
  double loss = std::numeric_limits<double>::quiet_NaN();  // loss of the last step (NaN at step 0)
};

// FNV-1a over the bytes of the parameters, Fourier frequencies and data_rms.
uint64_t weights_checksum(const Mlp<float>& net);

struct LossPoint {
  int64_t step = 0;
  double loss = 0;
};

struct TrainerStatus {
  TrainerState state = TrainerState::idle;
  int64_t step = 0;          // optimisation steps done
  int64_t total_steps = 0;   // the config's steps
  double steps_per_second = 0;
  double loss = std::numeric_limits<double>::quiet_NaN();  // last step's loss
  std::string message;       // why training stopped (diverged), else empty
  uint64_t generation = 0;   // increments on reset/reconfigure
};

class Trainer {
 public:
  static constexpr int kPublishEvery = 10;
  static constexpr size_t kMaxHistory = 100000;  // beyond this the loss history keeps every 2nd point

  // Validates everything (InputError) and publishes the initial weights as snapshot version 1.
  // labels: as TrainingRun's (a class-conditional net's class of each point, else empty).
  Trainer(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
          std::shared_ptr<const ScoreFunction> true_score = nullptr, Eigen::VectorXi labels = {});
  ~Trainer();  // stops the worker
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void start();   // idle/paused → running; no-op when finished or diverged (reset first)
  void resume() { start(); }
  void pause();   // running → paused; returns once the step in flight is done, so the step count is final
  void step(int n = 1);  // idle/paused: run exactly n more steps, then pause (use wait()); else no-op
  void reset();   // initial weights from the seed, step 0, empty history, idle
  // A reset with new settings; training continues if it was running. Throws InputError (and
  // changes nothing) when the new settings are invalid.
  void reconfigure(Points data, const NoiseConfig& noise, const ModelConfig& model, const TrainConfig& train,
                   std::shared_ptr<const ScoreFunction> true_score = nullptr, Eigen::VectorXi labels = {});
  // The class labels the run trains with (empty for an unconditional net).
  Eigen::VectorXi labels() const;

  // Continues from saved weights (a model file): waits for the step in flight, then the trainer is
  // idle at `step` with `net` as its weights (a new generation, empty loss history) and publishes
  // them. Throws InputError (and changes nothing) when net's architecture differs from
  // model_config(). Training then continues from there up to the config's steps.
  void load_weights(const Mlp<float>& net, int64_t step);

  // Blocks until the trainer is not running and has no single steps pending (or the timeout).
  // Returns true when it stopped.
  bool wait(std::chrono::milliseconds timeout = std::chrono::hours(24)) const;

  std::shared_ptr<const Snapshot> snapshot() const;
  TrainerStatus status() const;
  // Loss points with step > after_step, oldest first.
  std::vector<LossPoint> loss_history(int64_t after_step = -1) const;
  TrainConfig train_config() const;
  ModelConfig model_config() const;
  NoiseConfig noise_config() const;

  // Threads a step may use (1, the default, or 2; see TrainingRun::set_threads); kept across
  // reconfigure().
  void set_threads(int threads);

  // For tests: runs on the worker after every healthy step, with the weights being trained (e.g. to
  // inject a fault). It must not call this trainer's controls (they wait for the step it is in).
  void set_step_hook(std::function<void(int64_t step, Mlp<float>& net)> hook);

 private:
  void worker();
  bool has_work() const { return state_ == TrainerState::running || pending_ > 0; }
  void record(const StepReport& report, int64_t steps_done);      // under mutex_
  void publish(std::shared_ptr<const Mlp<float>> net, int64_t step, double loss);  // under mutex_
  void restart_locked();  // under run_mutex_ and mutex_: state after a reset

  // Lock order: run_mutex_ → mutex_ → snapshot_mutex_.
  std::mutex run_mutex_;  // the TrainingRun: held by the worker for a step, by reset for re-init
  std::unique_ptr<TrainingRun> run_;
  mutable std::mutex mutex_;  // everything below except the snapshot
  mutable std::condition_variable cv_;
  TrainerState state_ = TrainerState::idle;
  int pending_ = 0;
  bool busy_ = false;  // the worker is inside a step
  bool quit_ = false;
  uint64_t generation_ = 0, version_ = 0;
  int64_t published_step_ = -1;  // the step of the newest snapshot (under mutex_)
  int64_t step_ = 0;
  double loss_ = std::numeric_limits<double>::quiet_NaN();
  std::string message_;
  std::vector<LossPoint> history_;
  int64_t history_stride_ = 1;
  double rate_ = 0;
  std::chrono::steady_clock::time_point rate_time_;
  int64_t rate_step_ = 0;
  std::function<void(int64_t, Mlp<float>&)> hook_;
  int threads_ = 0;  // 0: TrainingRun's default
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::thread thread_;
};

}  // namespace scorelab
