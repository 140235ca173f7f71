#include "app/gl/gl_worker.hpp"

#include "app/gl/gl.hpp"

namespace scorelab::gl {

Worker::Worker(std::unique_ptr<SharedContext> context) : context_(std::move(context)) {
  thread_ = std::thread([this] { loop(); });
}

Worker::~Worker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Worker::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_job_ || !jobs_.empty();
}

void Worker::post(std::function<void()> job, bool first) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return;  // the future reports a broken promise
    if (first) jobs_.push_front(std::move(job));
    else jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Worker::finish() { glFinish(); }

void Worker::loop() {
  context_->make_current();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) break;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_job_ = true;
    }
    job();  // packaged_task: exceptions go to the future
    std::lock_guard<std::mutex> lock(mutex_);
    running_job_ = false;
  }
  context_->release();
}

}  // namespace scorelab::gl
