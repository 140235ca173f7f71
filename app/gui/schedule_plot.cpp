#include "app/gui/schedule_plot.hpp"

#include <algorithm>
#include <cmath>

namespace scorelab {

SchedulePlot schedule_plot(const NoiseConfig& config, int n) {
  validate(config);
  n = std::max(n, 2);
  const Sde sde(config);
  const double eps = sde.sampling_eps();
  SchedulePlot p;
  for (int i = 0; i < n; ++i) {
    const double t = eps + (1.0 - eps) * i / (n - 1);
    const double m = sde.mean_coef(t), s = sde.std_dev(t);
    p.t.push_back(static_cast<float>(t));
    p.s.push_back(static_cast<float>(s));
    p.m.push_back(static_cast<float>(m));
    p.log_snr.push_back(static_cast<float>(std::log10(m * m / std::max(s * s, 1e-300))));
  }
  return p;
}

}  // namespace scorelab
