// The Noise panel's prior-mismatch gauge (schedule explorer, THEORY.md §3): KL(p₁ ‖ prior) for the
// current data and schedule, with its Monte-Carlo standard error, computed on a worker thread
// whenever the schedule or the data change (core/prior_mismatch.hpp prior_kl), never on the UI thread.
#include <cstdio>
#include <sstream>

#include "app/gui/app.hpp"
#include "app/jobs/async_job.hpp"
#include "core/prior_mismatch.hpp"

namespace scorelab {
namespace {

constexpr int kSamples = 4000;  // SE ~ a few hundredths of a nat on the default scenes; < 1 s on a worker

struct PriorGauge {
  AsyncJob<Estimate> job;
  std::string job_key;    // the inputs of the job under way
  std::string shown_key;  // the inputs of `shown`
  std::optional<Estimate> shown;
  std::string error;
};

PriorGauge& gauge() {
  static PriorGauge g;  // one window, one gauge; joined at exit by AsyncJob's destructor
  return g;
}

// What the estimate depends on: the schedule and the data (for drawn points, their count and sum).
std::string inputs_key(const App& app) {
  const NoiseConfig& n = app.scene.scene.noise;
  const DataConfig& d = app.scene.scene.data;
  std::ostringstream key;
  key.precision(17);
  key << static_cast<int>(n.kind) << ' ' << n.sigma_min << ' ' << n.sigma_max << ' ' << n.levels << ' ' << n.rho << ' '
      << n.beta_min << ' ' << n.beta_max << '|' << describe_data(d) << ' ' << d.seed << ' ' << d.count << ' '
      << d.points.cols() << ' ' << d.points.sum();
  for (const GaussianComponent& c : d.mixture.components()) key << ' ' << c.mean.transpose() << ' ' << c.weight;
  return key.str();
}

// Plain words: how far off the sampler's start is, by the size of the KL.
const char* verdict(double kl) {
  if (kl < 0.02) return "the prior fits";
  if (kl < 0.2) return "small mismatch";
  return "the sampler starts from the wrong distribution";
}

}  // namespace

void draw_prior_mismatch_gauge(App& app) {
  PriorGauge& g = gauge();
  if (g.job.finished()) {
    if (std::optional<Estimate> e = g.job.take()) {
      g.shown = *e;
      g.shown_key = g.job_key;
      g.error.clear();
    } else if (!g.job.error().empty()) {  // (later frames: nothing more to take)
      g.error = g.job.error();
      g.shown_key = g.job_key;
    }
  }
  const std::string key = inputs_key(app);
  if (key != g.shown_key && (!g.job.running() || g.job_key != key)) {
    const DataConfig data = app.scene.scene.data;
    const NoiseConfig noise = app.scene.scene.noise;
    g.job_key = key;
    g.job.start([data, noise](JobControl&) { return prior_kl(data, noise, kSamples, 7); });
  }
  const bool stale = key != g.shown_key;
  if (g.shown && g.error.empty()) {
    char text[160];
    std::snprintf(text, sizeof text, "Prior mismatch KL(p₁ ‖ prior) = %.3g ± %.2g%s", g.shown->value,
                  g.shown->standard_error, stale ? "  (updating…)" : "");
    ImGui::TextUnformatted(text);
  } else if (!g.error.empty()) {
    ImGui::TextDisabled("Prior mismatch: %s", g.error.c_str());
  } else {
    ImGui::TextDisabled("Prior mismatch: computing…");
  }
  tooltip("How far the end of the forward process is from the Gaussian the sampler starts from. Large means "
          "σ_max too small (VE, NCSN, EDM) or β too small (VP): the data is not forgotten by t = 1, and the "
          "sampler starts from the wrong distribution.\n\nKL(p₁ ‖ prior) = E_p₁[log p₁(x) − log prior(x)], "
          "a Monte-Carlo average over 4000 draws of x₁ = m(1)·x₀ + s(1)·z, log p₁ exact (a noised mixture, or "
          "the noised training points); ± one standard error.");
  if (g.shown && g.error.empty()) ImGui::TextDisabled("nats: %s", verdict(g.shown->value));
}

}  // namespace scorelab
