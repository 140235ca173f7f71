// Ctrl+C or a kill while a long CLI job writes its output: the handler only sets a flag the job's
// loop polls, so it can stop, remove the partial output and exit non-zero.
#pragma once

#include <csignal>

namespace scorelab {

// Installs the SIGINT/SIGTERM handler for its lifetime (and clears the flag).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

// True once a signal arrived while a guard was installed.
bool interrupted();

}  // namespace scorelab
