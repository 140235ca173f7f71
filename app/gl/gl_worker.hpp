// A thread with its own GL context that shares objects (programs, buffers) with the window's, so
// slow GL work — compiling and linking kernels (seconds to minutes on llvmpipe with a cold shader
// cache), the particle speed probe — runs off the UI thread. Jobs run one at a time, in order; each
// ends with glFinish, so whatever it created is complete before its result is handed to the UI
// thread (GL's rule for objects shared between contexts). Floor 1: no GLFW here; the window code
// supplies the context (app/gui/window.cpp: a hidden window sharing with the main one).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

namespace scorelab::gl {

// A context another thread can make current, sharing objects with the UI thread's context.
class SharedContext {
 public:
  virtual ~SharedContext() = default;
  virtual void make_current() = 0;  // on the worker thread
  virtual void release() = 0;       // the same thread, before it ends
};

class Worker {
 public:
  explicit Worker(std::unique_ptr<SharedContext> context);
  ~Worker();  // drops queued jobs, waits for the running one
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs job() on the worker thread (then glFinish); its result or exception arrives in the future.
  // `first`: ahead of the jobs waiting (what the user waits for, before a probe).
  template <class F>
  auto submit(F job, bool first = false) -> std::future<decltype(job())> {
    using R = decltype(job());
    auto task = std::make_shared<std::packaged_task<R()>>([job = std::move(job)]() mutable {
      R result = job();
      finish();
      return result;
    });
    std::future<R> result = task->get_future();
    post([task] { (*task)(); }, first);
    return result;
  }
  // True while a job runs or waits. A compile cannot be interrupted: at exit the GUI ends the
  // process without unwinding (std::_Exit) rather than wait minutes for a busy worker.
  bool busy() const;

 private:
  void post(std::function<void()> job, bool first);
  void loop();
  static void finish();  // glFinish

  std::unique_ptr<SharedContext> context_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool running_job_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace scorelab::gl
