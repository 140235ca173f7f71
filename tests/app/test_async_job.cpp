// AsyncJob (app/jobs/async_job.hpp), the one worker-thread helper under the density, metrics and
// Fisher jobs: a result is handed over once, cancel and discard stop a long job promptly, progress
// never goes back, an error is kept as a message, and destroying a running job neither hangs nor
// keeps what the work held.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "app/jobs/async_job.hpp"

using namespace scorelab;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Work that would run for a minute unless cancelled; returns -1 when it saw the cancel.
int long_work(JobControl& c, std::atomic<bool>* started = nullptr) {
  if (started) started->store(true);
  const Clock::time_point t0 = Clock::now();
  while (seconds_since(t0) < 60.0) {
    if (c.cancelled()) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return 1;
}

void wait_until(const std::atomic<bool>& flag) {
  while (!flag.load()) std::this_thread::yield();
}

}  // namespace

TEST_CASE("a finished job's result is handed over exactly once") {
  AsyncJob<int> job;
  CHECK_FALSE(job.running());
  CHECK_FALSE(job.finished());
  CHECK_FALSE(job.take().has_value());  // nothing started
  job.start([](JobControl& c) {
    c.set_progress(1.0);
    return 42;
  });
  job.wait();
  CHECK(job.finished());
  CHECK_FALSE(job.running());
  const std::optional<int> first = job.take();
  REQUIRE(first.has_value());
  CHECK(*first == 42);
  CHECK(job.error().empty());
  CHECK_FALSE(job.take().has_value());
  CHECK(job.progress() == 1.0);
}

TEST_CASE("cancel stops a long job promptly; discard also drops its result") {
  SUBCASE("cancel: the work sees the token and returns what it has") {
    AsyncJob<int> job;
    std::atomic<bool> started{false};
    job.start([&started](JobControl& c) { return long_work(c, &started); });
    wait_until(started);
    CHECK(job.running());
    const Clock::time_point t0 = Clock::now();
    job.cancel();
    job.wait();
    CHECK(seconds_since(t0) < 5.0);  // not the minute the work would take
    const std::optional<int> r = job.take();
    REQUIRE(r.has_value());
    CHECK(*r == -1);  // it stopped because of the cancel
  }
  SUBCASE("discard: stopped, and nothing is ever delivered") {
    AsyncJob<int> job;
    std::atomic<bool> started{false};
    job.start([&started](JobControl& c) { return long_work(c, &started); });
    wait_until(started);
    const Clock::time_point t0 = Clock::now();
    job.discard();
    CHECK(seconds_since(t0) < 5.0);
    CHECK_FALSE(job.running());
    CHECK_FALSE(job.finished());
    CHECK_FALSE(job.take().has_value());
    CHECK(job.progress() == 0.0);
  }
  SUBCASE("start while running: the old job is cancelled, only the new result arrives") {
    AsyncJob<int> job;
    std::atomic<bool> started{false};
    job.start([&started](JobControl& c) { return long_work(c, &started); });
    wait_until(started);
    const Clock::time_point t0 = Clock::now();
    job.start([](JobControl&) { return 7; });
    job.wait();
    CHECK(seconds_since(t0) < 5.0);
    const std::optional<int> r = job.take();
    REQUIRE(r.has_value());
    CHECK(*r == 7);
    CHECK_FALSE(job.take().has_value());
  }
}

TEST_CASE("progress is clamped to [0, 1] and never goes back, as the owner sees it") {
  JobControl control;
  control.set_progress(0.5);
  control.set_progress(0.2);  // a late, lower report
  CHECK(control.progress() == 0.5);
  control.set_progress(-1.0);
  CHECK(control.progress() == 0.5);
  control.set_progress(3.0);
  CHECK(control.progress() == 1.0);

  AsyncJob<int> job;
  std::atomic<bool> go{false};
  job.start([&go](JobControl& c) {
    wait_until(go);
    for (int i = 1; i <= 200; ++i) {
      c.set_progress(i / 200.0);
      c.set_progress(i / 200.0 - 0.3);  // out of order: must not lower what the owner reads
      if (i % 20 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return 0;
  });
  CHECK(job.progress() == 0.0);
  go.store(true);
  double last = 0.0;
  long samples = 0, backwards = 0;
  while (job.running()) {
    const double p = job.progress();
    backwards += p < last ? 1 : 0;
    last = p;
    ++samples;
  }
  job.wait();
  INFO(samples << " samples while it ran");
  CHECK(backwards == 0);
  CHECK(job.progress() >= last);
  CHECK(job.progress() == 1.0);
}

TEST_CASE("an exception in the work becomes error(), and the next start clears it") {
  AsyncJob<int> job;
  job.start([](JobControl&) -> int { throw std::runtime_error("the grid is empty"); });
  job.wait();
  CHECK(job.finished());
  CHECK_FALSE(job.take().has_value());
  CHECK(job.error() == "the grid is empty");
  job.start([](JobControl&) { return 3; });
  job.wait();
  CHECK(job.take() == std::optional<int>(3));
  CHECK(job.error().empty());
}

TEST_CASE("destroying a running job cancels and joins it promptly, and releases what the work held") {
  auto held = std::make_shared<int>(5);  // captured by the work and copied into its result
  std::atomic<bool> started{false};
  const Clock::time_point t0 = Clock::now();
  {
    AsyncJob<std::shared_ptr<int>> job;
    job.start([held, &started](JobControl& c) {
      long_work(c, &started);
      return held;
    });
    wait_until(started);
    CHECK(held.use_count() > 1);
  }  // ~AsyncJob: cancel, join
  CHECK(seconds_since(t0) < 5.0);
  CHECK(held.use_count() == 1);  // neither the work nor its untaken result outlived the job
  // A job that finished but was never taken or waited for: destroyed just the same.
  {
    AsyncJob<std::shared_ptr<int>> job;
    job.start([held](JobControl&) { return held; });
    while (!job.finished()) std::this_thread::yield();
  }
  CHECK(held.use_count() == 1);
}
