#include "app/cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace scorelab {

ProgressBar::ProgressBar(std::string label, int total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(std::max(total, 1)),
      tty_(isatty(fileno(stderr))), start_(Clock::now()) {}

void ProgressBar::update(int done, const std::string& detail) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double rate = done / std::max(elapsed, 1e-9);
  const std::string extra = detail.empty() ? "" : (tty_ ? "  " : ", ") + detail;
  if (tty_) {
    const int filled = static_cast<int>(30.0 * done / total_);
    std::fprintf(stderr, "\r[%.*s%*s] %d/%d%s  %.0f %s/s ", filled, "==============================", 30 - filled, "",
                 done, total_, extra.c_str(), rate, unit_.c_str());
    if (done == total_) std::fputc('\n', stderr);
  } else if (done * 10 / total_ != last_decile_ || done == total_) {
    last_decile_ = done * 10 / total_;
    std::fprintf(stderr, "%s: %d/%d %s%s, %.0f %s/s\n", label_.c_str(), done, total_, unit_.c_str(), extra.c_str(), rate,
                 unit_.c_str());
  }
}

}  // namespace scorelab
