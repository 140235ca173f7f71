// The Noise schedule panel: kind and parameters (THEORY.md §3), plots of s(t), m(t) and SNR(t), and
// the t slider that drives the plane. A change retrains from scratch (the net learned the old
// schedule) and restarts the particles.
#include <cfloat>

#include "app/gui/app.hpp"
#include "app/gui/schedule_plot.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kLog = ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic;
const char* const kKinds[] = {"Geometric levels (NCSN)", "EDM levels", "VE SDE", "VP SDE", "sub-VP SDE"};

bool slider_double(const char* label, double& value, float lo, float hi, const char* help) {
  float v = static_cast<float>(value);
  ImGui::SliderFloat(label, &v, lo, hi, "%.4g", kLog);
  value = v;
  tooltip(help);
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool parameters(NoiseConfig& c) {
  bool apply = false;
  int kind = static_cast<int>(c.kind);
  if (ImGui::Combo("Schedule", &kind, kKinds, 5)) {
    c.kind = static_cast<NoiseKind>(kind);
    apply = true;
  }
  tooltip("Geometric: σᵢ = σ_max(σ_min/σ_max)^((i−1)/(L−1)). EDM: σᵢ = (σ_max^(1/ρ) + i/(N−1)(σ_min^(1/ρ) − "
          "σ_max^(1/ρ)))^ρ. VE: σ(t) = σ_min(σ_max/σ_min)^t. VP: β(t) = β_min + t(β_max − β_min), m = e^(−B/2), "
          "s = √(1 − m²). sub-VP: s = 1 − m².");
  const bool sigmas = c.kind == NoiseKind::geometric || c.kind == NoiseKind::edm || c.kind == NoiseKind::ve;
  if (sigmas) {
    apply |= slider_double("σ_min", c.sigma_min, 1e-3f, 10.0f, "Smallest noise: small enough that final samples look clean.");
    apply |= slider_double("σ_max", c.sigma_max, 0.1f, 200.0f, "Largest noise ≈ the largest pairwise distance in the data.");
  } else {
    apply |= slider_double("β_min", c.beta_min, 1e-3f, 10.0f, "β(t) = β_min + t(β_max − β_min); default 0.1.");
    apply |= slider_double("β_max", c.beta_max, 0.1f, 100.0f, "β(t) = β_min + t(β_max − β_min); default 20.");
  }
  if (c.kind == NoiseKind::geometric || c.kind == NoiseKind::edm) {
    ImGui::SliderInt("Levels L", &c.levels, 2, 1000, "%d", kLog);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("Number of noise levels; neighbouring p_σ must overlap (ratio σᵢ/σᵢ₊₁ not too large).");
  }
  if (c.kind == NoiseKind::edm) {
    apply |= slider_double("ρ", c.rho, 1.0f, 20.0f, "EDM's spacing exponent; 7 in Karras et al. 2022.");
  }
  return apply;
}

void plots(const NoiseConfig& c) {
  SchedulePlot p;
  try {
    p = schedule_plot(c, 100);
  } catch (const InputError&) {
    return;
  }
  // ImGui's auto-scaling (FLT_MAX) would stretch the flat m(t) = 1 of VE-type schedules over the plot.
  plot_lines("##s", p.s.data(), 100, "s(t)", 0.0f, FLT_MAX, 3.5f);
  tooltip("s(t): the standard deviation of the noise in xₜ = m(t)·x₀ + s(t)·z, t from ε (left) to 1.");
  plot_lines("##m", p.m.data(), 100, "m(t)", 0.0f, 1.05f, 3.5f);
  tooltip("m(t): how much of x₀ is left (1 for VE-type schedules).");
  plot_lines("##snr", p.log_snr.data(), 100, "log10 SNR(t)", FLT_MAX, FLT_MAX, 3.5f);
  tooltip("Signal-to-noise ratio: how much of the data is left against the noise at time t. It must fall "
          "steadily from data (high) to noise (near 0). SNR(t) = m(t)²/s(t)², on a log scale.");
}

}  // namespace

void draw_noise_panel(App& app) {
  NoiseConfig c = app.scene.scene.noise;
  if (parameters(c)) {
    try {
      validate(c);
      const bool was_training = app.lab.trainer() && app.lab.trainer()->status().state == TrainerState::running;
      app.scene.scene.noise = c;
      rebuild_trainer(app);
      if (was_training && app.lab.trainer()) app.lab.trainer()->start();
      restart_sampler(app);
      app.lab.invalidate_heatmap();
    } catch (const InputError& e) {
      app.lab.report_sampler_error(e.what());
    }
  }
  plots(app.scene.scene.noise);
  draw_prior_mismatch_gauge(app);
  FieldSettings f = app.lab.field();
  const Sde sde(app.scene.scene.noise);
  if (ImGui::SliderFloat("Plane t", &f.t, static_cast<float>(sde.sampling_eps()), 1.0f, "%.4f", kLog)) {
    f.follow_sampler = false;
    app.lab.set_field(f);
  }
  tooltip("The time shown in the plane (field and heatmap): xₜ = m(t)·x₀ + s(t)·z. Moving it stops "
          "following the particles.");
}

}  // namespace scorelab
