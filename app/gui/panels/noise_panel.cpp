// The Noise schedule panel: kind and parameters (THEORY.md §3), plots of s(t), m(t) and SNR(t), and
// the t slider that drives the plane. The SNR plot (and EDM's levels plot) carry handles that drag
// σ_min, σ_max, β_min, β_max and ρ (schedule_drag.hpp): the plots, the plane and the prior gauge follow
// while dragging; on release, as after a slider, the trainer restarts on the new schedule (the net
// learned the old one) and the status line says so. "Reset schedule" brings back the scene's own.
#include <algorithm>
#include <cfloat>
#include <chrono>
#include <optional>

#include "app/gui/app.hpp"
#include "app/gui/schedule_drag.hpp"
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

struct DragState {
  std::optional<ScheduleParam> active;  // the handle held
  NoiseConfig edit;                     // the schedule being dragged (shown live)
  double snr_lo = 0, snr_hi = 1, levels_lo = 0, levels_hi = 1;  // y ranges, frozen while dragging
  bool released = false;
  double grab_offset = 0;  // pointer value minus handle value when grabbed
  std::chrono::steady_clock::time_point last_apply;
  std::string scene_key;  // the scene whose own schedule `reset_to` is
  NoiseConfig reset_to;
};

DragState& drag_state() {
  static DragState d;
  return d;
}

bool same_noise(const NoiseConfig& a, const NoiseConfig& b) {
  return a.kind == b.kind && a.sigma_min == b.sigma_min && a.sigma_max == b.sigma_max && a.levels == b.levels &&
         a.rho == b.rho && a.beta_min == b.beta_min && a.beta_max == b.beta_max;
}

// The one path for sliders, drags and reset: the scene takes the schedule, the particles restart and the
// heatmap is redone. `settled` (a slider or drag released): the trainer, if it learned another schedule,
// restarts on this one (keeping on if it was running), and the status line says so.
void apply_noise(App& app, const NoiseConfig& c, bool settled) {
  try {
    validate(c);
    app.scene.scene.noise = c;
    Trainer* trainer = app.lab.trainer();
    if (settled && trainer && !same_noise(trainer->noise_config(), c)) {
      const TrainerStatus before = trainer->status();
      rebuild_trainer(app);
      if (before.state == TrainerState::running && app.lab.trainer()) app.lab.trainer()->start();
      if (before.step > 0)
        set_status(app, "Noise schedule changed: the network had learned the old one (" + std::to_string(before.step) +
                            " steps), so training restarted from step 0 on the new schedule");
    }
    restart_sampler(app);
    app.lab.invalidate_heatmap();
  } catch (const InputError& e) {
    app.lab.report_sampler_error(e.what());
  }
}

// The value range a curve is drawn over: its own, a little padded; kept while a handle is held so the
// handle stays under the pointer.
void curve_range(const std::vector<float>& v, bool frozen, double& lo, double& hi) {
  if (frozen) return;
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  const double pad = 0.08 * std::max(1e-3, double(*mx - *mn));
  lo = *mn - pad;
  hi = *mx + pad;
}

constexpr float kPlotHeightEm = 3.5f;

// Where the next plot_lines will draw its curve: the inner rectangle of a frame at the cursor, as wide
// as the panel and kPlotHeightEm tall (ImGui's PlotLines insets the frame by FramePadding).
PlotRect next_plot_rect(double lo, double hi) {
  const ImVec2 a = ImGui::GetCursorScreenPos(), pad = ImGui::GetStyle().FramePadding;
  const ImVec2 b(a.x + ImGui::GetContentRegionAvail().x, a.y + kPlotHeightEm * ImGui::GetFontSize());
  return {a.x + pad.x, a.y + pad.y, b.x - pad.x, b.y - pad.y, lo, hi};
}

struct HandleSpot {
  ImVec2 at;
  bool hot;
};

// The handles of `curve` as buttons over where its plot goes, submitted BEFORE the plot so that they, not
// the plot, take the mouse over them (ImGui gives a point to the first item that claims it). While one
// is held, d.edit follows the pointer. The cursor is left where it was, for the plot.
std::vector<HandleSpot> handle_inputs(const NoiseConfig& c, ScheduleCurve curve, const PlotRect& rect, DragState& d) {
  const ImVec2 before = ImGui::GetCursorScreenPos();
  const float r = 0.32f * ImGui::GetFontSize();
  std::vector<HandleSpot> spots;
  for (const ScheduleHandle& h : schedule_handles(c)) {
    if (h.curve != curve) continue;
    const ImVec2 p(float(pixel_x(rect, h.x)), float(std::clamp(pixel_y(rect, h.value), rect.top, rect.bottom)));
    ImGui::SetCursorScreenPos(ImVec2(p.x - 1.5f * r, p.y - 1.5f * r));
    ImGui::PushID(static_cast<int>(h.param));
    ImGui::InvisibleButton("handle", ImVec2(3 * r, 3 * r));
    ImGui::PopID();
    const bool held = ImGui::IsItemActive(), hot = held || ImGui::IsItemHovered();
    const double pointer = value_at_y(rect, ImGui::GetIO().MousePos.y);
    if (ImGui::IsItemActivated()) {  // grabbed off-centre: the handle keeps its offset, a click moves nothing
      d.grab_offset = pointer - h.value;
      d.edit = c;
    }
    if (held) {
      if (ImGui::GetIO().MouseDelta.y != 0.0f) d.edit = drag_param(c, h.param, pointer - d.grab_offset);
      d.active = h.param;
    }
    if (ImGui::IsItemDeactivated()) d.released = true;
    if (hot)
      ImGui::SetTooltip("%s = %.4g   (drag up or down)\n\n%s", param_name(h.param),
                        param_value(held ? d.edit : c, h.param), param_formula(h.param));
    spots.push_back({p, hot});
  }
  ImGui::SetCursorScreenPos(before);
  return spots;
}

// The handles drawn over the plot just drawn.
void draw_handles(const std::vector<HandleSpot>& spots) {
  const float r = 0.32f * ImGui::GetFontSize();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (const HandleSpot& h : spots) {
    const ImU32 fill = ImGui::GetColorU32(h.hot ? ImGuiCol_SliderGrabActive : ImGuiCol_SliderGrab);
    draw->AddCircleFilled(h.at, h.hot ? 1.3f * r : r, fill);
    draw->AddCircle(h.at, h.hot ? 1.3f * r : r, ImGui::GetColorU32(ImGuiCol_Text), 0, 1.5f);
  }
}

// A plot of `values` over [lo, hi] with the handles of `curve` on it.
void plot_with_handles(const char* id, const std::vector<float>& values, const char* overlay, double lo, double hi,
                       const NoiseConfig& c, ScheduleCurve curve, DragState& d, const char* help) {
  const std::vector<HandleSpot> spots = handle_inputs(c, curve, next_plot_rect(lo, hi), d);
  plot_lines(id, values.data(), int(values.size()), overlay, float(lo), float(hi), kPlotHeightEm);
  tooltip(help);
  draw_handles(spots);
}

// The plots of `c`, with the handles that drag it (d.edit follows a held handle).
void plots(const NoiseConfig& c, DragState& d) {
  SchedulePlot p;
  try {
    p = schedule_plot(c, 100);
  } catch (const InputError&) {
    return;
  }
  // ImGui's auto-scaling (FLT_MAX) would stretch the flat m(t) = 1 of VE-type schedules over the plot.
  plot_lines("##s", p.s.data(), 100, "s(t)", 0.0f, FLT_MAX, kPlotHeightEm);
  tooltip("s(t): the standard deviation of the noise in xₜ = m(t)·x₀ + s(t)·z, t from ε (left) to 1.");
  plot_lines("##m", p.m.data(), 100, "m(t)", 0.0f, 1.05f, kPlotHeightEm);
  tooltip("m(t): how much of x₀ is left (1 for VE-type schedules).");
  const bool frozen = d.active.has_value();
  curve_range(p.log_snr, frozen, d.snr_lo, d.snr_hi);
  plot_with_handles("##snr", p.log_snr, "log10 SNR(t)", d.snr_lo, d.snr_hi, c, ScheduleCurve::log_snr, d,
          "Signal-to-noise ratio: how much of the data is left against the noise at time t. It must fall "
          "steadily from data (high) to noise (near 0). SNR(t) = m(t)²/s(t)², on a log scale.\n\nDrag the "
          "handles at its ends to move the schedule's parameters.");
  if (c.kind != NoiseKind::edm) return;
  const std::vector<float> levels = edm_level_curve(c, 100);
  curve_range(levels, frozen, d.levels_lo, d.levels_hi);
  plot_with_handles("##levels", levels, "log10 sigma_i (EDM levels)", d.levels_lo, d.levels_hi, c,
          ScheduleCurve::edm_levels, d,
          "The EDM levels σᵢ from σ_max (left) to σ_min (right), log scale. ρ bends the ladder: larger ρ puts "
          "more levels near σ_min. Drag the handle in the middle.");
}

// While a handle is held the plane follows a few times a second; its release settles the schedule.
void follow_drag(App& app, DragState& d) {
  const auto now = std::chrono::steady_clock::now();
  if (d.released) {
    d.released = false;
    d.active.reset();
    const Trainer* trainer = app.lab.trainer();
    if (!same_noise(d.edit, app.scene.scene.noise) || (trainer && !same_noise(trainer->noise_config(), d.edit)))
      apply_noise(app, d.edit, true);
    return;
  }
  if (d.active && !same_noise(d.edit, app.scene.scene.noise) && now - d.last_apply > std::chrono::milliseconds(150)) {
    d.last_apply = now;
    apply_noise(app, d.edit, false);
  }
}

// "Reset schedule": the scene's own schedule, as it was when the scene was opened.
void reset_row(App& app, DragState& d) {
  const std::string key = app.scene.path.string() + "|" + app.scene.scene.title;
  if (key != d.scene_key) {
    d.scene_key = key;
    d.reset_to = app.scene.scene.noise;
  }
  const bool changed = !same_noise(d.reset_to, app.scene.scene.noise);
  ImGui::BeginDisabled(!changed);
  if (ImGui::Button("Reset schedule")) apply_noise(app, d.reset_to, true);
  ImGui::EndDisabled();
  tooltip("Back to the scene's own noise schedule (the one it was opened with). The network restarts its "
          "training when the schedule it learned changes.");
}

}  // namespace

void draw_noise_panel(App& app) {
  DragState& d = drag_state();
  reset_row(app, d);
  NoiseConfig c = app.scene.scene.noise;
  if (parameters(c)) apply_noise(app, c, true);
  plots(d.active ? d.edit : app.scene.scene.noise, d);
  follow_drag(app, d);
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
