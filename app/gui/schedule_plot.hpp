// Data for the Noise panel's plots: s(t), m(t) and log₁₀ SNR(t) = log₁₀(m²/s²) on an even t grid.
// GL-free: tested in tests/app/test_schedule_plot.cpp.
#pragma once

#include <vector>

#include "core/schedules.hpp"

namespace scorelab {

struct SchedulePlot {
  std::vector<float> t;        // n points from the schedule's sampling ε to 1
  std::vector<float> s;        // s(t), the noise standard deviation
  std::vector<float> m;        // m(t), the signal scale
  std::vector<float> log_snr;  // log₁₀(m²/s²)
};

// n ≥ 2. Throws InputError for an invalid config (validate()).
SchedulePlot schedule_plot(const NoiseConfig& config, int n);

}  // namespace scorelab
