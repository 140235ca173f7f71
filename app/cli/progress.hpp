// Progress on stderr for long CLI commands (train, render): a one-line bar on a terminal, a plain
// line every 10 % otherwise (logs, CI), e.g. "scorelab train: 300/4000 steps, loss 0.1234, 120 steps/s".
#pragma once

#include <chrono>
#include <string>

namespace scorelab {

class ProgressBar {
 public:
  // label: the line's prefix ("scorelab train"); unit: what is counted ("steps", "frames").
  ProgressBar(std::string label, int total, std::string unit);
  // detail: extra text after the count, e.g. "loss 0.1234" (may be empty).
  void update(int done, const std::string& detail = "");

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_, unit_;
  int total_;
  bool tty_;
  Clock::time_point start_;
  int last_decile_ = 0;
};

}  // namespace scorelab
