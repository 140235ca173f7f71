// Floor 3, app/jobs/: one computation on a worker thread (AsyncJob) and the background workers built
// on it: the progressive density (density_job.hpp), sample quality and NLL (metrics_job.hpp), the
// relative Fisher divergence (fisher_job.hpp). GL-free; tested in tests/app/test_async_job.cpp.
//
// The work gets a JobControl: the cancel token it checks between units of work, and the progress it
// reports. The owner polls (running, progress, take) from its own thread, once a frame; it never
// waits on a job except to join one that was told to stop.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace scorelab {

// Shared between a job's worker and its owner: cancellation and progress in [0, 1].
class JobControl {
 public:
  void cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(); }
  // Clamped to [0, 1], and never lower than before: a bar that jumps back reads as a restart.
  void set_progress(double p) {
    p = std::clamp(p, 0.0, 1.0);
    double seen = progress_.load();
    while (seen < p && !progress_.compare_exchange_weak(seen, p)) {
    }
  }
  double progress() const { return progress_.load(); }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<double> progress_{0.0};
};

// One computation on its own thread. start() launches it (cancelling and joining a previous one);
// take() hands over the result once, after the worker finished. An exception in the work is kept as
// error() instead of a result. The destructor cancels and joins: the work must check cancelled()
// often enough that this is prompt.
//
// Thread safety: the worker touches only the shared State (atomics, and the outcome under its
// mutex); every member function is for the owner's thread.
template <class R>
class AsyncJob {
 public:
  using Work = std::function<R(JobControl&)>;
  AsyncJob() = default;
  AsyncJob(const AsyncJob&) = delete;
  AsyncJob& operator=(const AsyncJob&) = delete;
  ~AsyncJob() { stop(); }

  void start(Work work) {
    stop();
    error_.clear();
    state_ = std::make_shared<State>();
    thread_ = std::thread([s = state_, w = std::move(work)] {
      try {
        auto r = std::make_unique<R>(w(s->control));
        std::lock_guard<std::mutex> lock(s->mutex);
        s->result = std::move(r);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->error = e.what();
      }
      s->done.store(true);
    });
  }
  // Started, and the worker not yet done.
  bool running() const { return state_ && !state_->done.load(); }
  // The worker is done; its outcome may or may not have been taken.
  bool finished() const { return state_ && state_->done.load(); }
  double progress() const { return state_ ? state_->control.progress() : 0.0; }
  // Asks the work to stop at its next check; what it returns then is still its result (a worker
  // marks a partial result as cancelled). discard() drops it instead.
  void cancel() {
    if (state_) state_->control.cancel();
  }
  // The result once the worker is done (joins it), then nullopt; error() tells why there is none.
  std::optional<R> take() {
    if (!finished()) return std::nullopt;
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(state_->mutex);
    error_ = state_->error;
    std::unique_ptr<R> r = std::move(state_->result);
    if (!r) return std::nullopt;
    return std::optional<R>(std::move(*r));
  }
  const std::string& error() const { return error_; }
  // Cancels, waits for the worker, and drops its outcome (the inputs went stale).
  void discard() {
    stop();
    state_.reset();
    error_.clear();
  }
  // Blocks until the worker is done (tests, shutdown).
  void wait() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  struct State {
    JobControl control;
    std::mutex mutex;
    std::unique_ptr<R> result;  // a pointer, not an optional: GCC 12 misreads optional moves (-Wmaybe-uninitialized)
    std::string error;
    std::atomic<bool> done{false};
  };
  void stop() {
    cancel();
    wait();
  }
  std::shared_ptr<State> state_;
  std::thread thread_;
  std::string error_;
};

}  // namespace scorelab
