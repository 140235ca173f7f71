// The Training panel: objective, batch, learning rate, EMA (THEORY.md §2), start/pause/step/reset of
// the Trainer on its worker thread, loss curve, steps/s, the trainer's status, and the relative
// Fisher divergence of the newest snapshot per noise level (fisher_job.hpp, on a worker thread).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/gui/app.hpp"
#include "core/data_source.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
const char* const kObjectives[] = {"ESM (explicit)", "ISM (implicit)", "SSM (sliced)", "SSM-VR", "DSM (one σ)",
                                   "NCSN multi-noise", "Continuous time"};
const char* const kObjectiveHelp =
    "ESM: ½‖s_θ − ∇log p‖². ISM: tr(∇s_θ) + ½‖s_θ‖². SSM: vᵀ(∇s_θ)v + ½(vᵀs_θ)². SSM-VR: vᵀ(∇s_θ)v + ½‖s_θ‖². "
    "DSM: ½‖s_θ(x + σz) + z/σ‖². NCSN: ½‖σ·s_θ(x + σz, σ) + z‖², σ uniform over the levels. "
    "Continuous: λ(t)·½‖s_θ(xₜ, t) + z/s(t)‖², t ~ U(ε, 1). Changing it resets training.";

void controls(App& app, Trainer& trainer, const TrainerStatus& status) {
  const bool running = status.state == TrainerState::running;
  if (ImGui::Button(running ? "Pause##train" : "Start##train")) running ? trainer.pause() : trainer.start();
  tooltip("Train on the worker thread (T). The plane picks up each new snapshot of the EMA weights.");
  ImGui::SameLine();
  ImGui::BeginDisabled(running);
  if (ImGui::Button("Step##train")) trainer.step(10);
  ImGui::EndDisabled();
  tooltip("Run 10 optimisation steps, then pause.");
  ImGui::SameLine();
  if (ImGui::Button("Reset##train")) trainer.reset();
  tooltip("Back to the initial weights (from the seed), step 0, empty loss history.");
  (void)app;
}

// Class-conditional training (mixture data): the label inputs and their dropout rate. True when an edit ended.
bool conditional_rows(TrainConfig& c) {
  bool apply = ImGui::Checkbox("Class-conditional (CFG)", &c.conditional);
  tooltip("Train s_θ(x, t, k) with each point's mixture component k as an extra input, dropped to ∅ (no label) "
          "at the dropout rate, so one network gives the class scores and the unconditional one. The Condition "
          "panel's class and w then guide it: (1 − w)·s(x, t, ∅) + w·s(x, t, k) (classifier-free guidance).");
  if (!c.conditional) return apply;
  float p = static_cast<float>(c.label_dropout);
  ImGui::SliderFloat("Label dropout", &p, 0.01f, 0.9f, "%.2f", kClamp);
  c.label_dropout = p;
  apply |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("The probability that a training point's label is replaced by ∅. Too small and s(x, t, ∅) is barely "
          "trained; 0.1–0.2 is usual.");
  return apply;
}

// Edits a copy of the train config; a change reconfigures (resets) the trainer.
void settings(App& app, Trainer& trainer) {
  TrainConfig c = trainer.train_config();
  bool apply = false;
  int objective = static_cast<int>(c.objective);
  if (ImGui::Combo("Objective", &objective, kObjectives, 7)) {
    c.objective = static_cast<Objective>(objective);
    // The scene's train.sigma goes only with the single-level objectives (and dsm not at 0): drop it
    // where it cannot go, back to the schedule's levels, instead of refusing the switch.
    if (!sigma_problem(c.objective, c.sigma).empty()) c.sigma.reset();
    apply = true;
  }
  tooltip(kObjectiveHelp);
  ImGui::SliderInt("Batch", &c.batch, 16, 4096, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
  apply |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("Samples per step; the loss is the batch mean of the per-sample objective.");
  float lr = static_cast<float>(c.lr);
  ImGui::SliderFloat("Learning rate", &lr, 1e-5f, 1e-1f, "%.1e", kClamp | ImGuiSliderFlags_Logarithmic);
  c.lr = lr;
  apply |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("Adam's step size η: θ ← θ − η·m̂/(√v̂ + ε).");
  float ema = static_cast<float>(c.ema);
  ImGui::SliderFloat("EMA decay", &ema, 0.0f, 0.9999f, "%.4f", kClamp);
  c.ema = ema;
  apply |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("θ_EMA ← d·θ_EMA + (1 − d)·θ: the averaged weights the plane and the sampler use (0: none).");
  if (exact_mixture(app.scene.scene.data)) apply |= conditional_rows(c);
  if (!apply) return;
  // The lab checks them against its scene's data and keeps the error for the panel.
  if (app.lab.reconfigure_training(c)) app.scene.scene.train = to_json(c);
}

void loss_curve(const Trainer& trainer) {
  const std::vector<LossPoint> history = trainer.loss_history();
  if (history.empty()) {
    ImGui::TextDisabled("(no loss yet)");
    return;
  }
  const std::vector<float> values = binned_loss(history);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "loss %.4g", history.back().loss);
  plot_lines("##loss", values.data(), static_cast<int>(values.size()), overlay, *lo, *hi, 5.0f);
  tooltip("The training loss (batch mean), binned; its minimum is not 0 for DSM-type objectives.");
}

// The value part of a level label ("σ=2.5" → "2.5").
std::string level_value(const std::string& label) {
  const size_t eq = label.find('=');
  return eq == std::string::npos ? label : label.substr(eq + 1);
}

// Bars on a log scale (decades from the data's range, at least 10⁻³ … 10⁰), one per level, the
// level under each bar; hovering a bar gives its value and the formula.
void fisher_plot(const FisherReport& report) {
  const std::vector<FisherLevel>& levels = report.levels;
  double lo = 1e-3, hi = 1.0;
  for (const FisherLevel& l : levels)
    if (std::isfinite(l.value) && l.value > 0.0) {
      lo = std::min(lo, std::pow(10.0, std::floor(std::log10(l.value))));
      hi = std::max(hi, std::pow(10.0, std::ceil(std::log10(l.value))));
    }
  const float font = ImGui::GetFontSize();
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 7.0f * font);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float axis_w = 2.6f * font, label_h = 1.2f * font;
  ImGui::InvisibleButton("##fisher", size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 plot0(p0.x + axis_w, p0.y + 0.3f * font), plot1(p0.x + size.x, p0.y + size.y - label_h);
  draw->AddRectFilled(plot0, plot1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const auto y_of = [&](double v) {
    const double u = (std::log10(std::clamp(v, lo, hi)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    return plot1.y - static_cast<float>(u) * (plot1.y - plot0.y);
  };
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const int decades = static_cast<int>(std::lround(std::log10(hi / lo)));
  for (int k = 0; k <= decades; ++k) {  // decade lines; labels on every one, or every other when crowded
    const int e = static_cast<int>(std::lround(std::log10(lo))) + k;
    const float y = y_of(std::pow(10.0, e));
    draw->AddLine(ImVec2(plot0.x, y), ImVec2(plot1.x, y), ImGui::GetColorU32(ImGuiCol_Border));
    if (decades > 4 && (decades - k) % 2 != 0) continue;
    char tick[16];
    std::snprintf(tick, sizeof tick, "1e%d", e);
    draw->AddText(ImVec2(p0.x, y - 0.5f * font), text, tick);
  }
  const float slot = (plot1.x - plot0.x) / static_cast<float>(std::max<size_t>(1, levels.size()));
  const int hovered = ImGui::IsItemHovered() ? static_cast<int>((ImGui::GetIO().MousePos.x - plot0.x) / slot) : -1;
  // The level axis: its name at the left, the values under the bars (every other one when crowded).
  const bool sigma = !levels.empty() && levels.front().label.rfind("σ", 0) == 0;
  draw->AddText(ImVec2(p0.x, plot1.y + 0.1f * font), text, sigma ? "σ:" : "t:");
  float widest = 0.0f;
  for (const FisherLevel& l : levels) widest = std::max(widest, ImGui::CalcTextSize(level_value(l.label).c_str()).x);
  const int every = widest > 0.9f * slot ? 2 : 1;
  for (size_t i = 0; i < levels.size(); ++i) {
    const float x0 = plot0.x + slot * (static_cast<float>(i) + 0.15f), x1 = plot0.x + slot * (static_cast<float>(i) + 0.85f);
    const double v = levels[i].value;
    const bool hot = static_cast<int>(i) == hovered;
    if (std::isfinite(v) && v > 0.0)
      draw->AddRectFilled(ImVec2(x0, y_of(v)), ImVec2(x1, plot1.y),
                          hot ? IM_COL32(250, 200, 90, 255) : IM_COL32(236, 140, 60, 230));
    const std::string value = level_value(levels[i].label);
    const float w = ImGui::CalcTextSize(value.c_str()).x;
    if (static_cast<int>(i) % every == 0)
      draw->AddText(ImVec2(0.5f * (x0 + x1) - 0.5f * w, plot1.y + 0.1f * font), text, value.c_str());
  }
  if (hovered >= 0 && hovered < static_cast<int>(levels.size())) {
    ImGui::BeginTooltip();
    ImGui::Text("%s: relative Fisher %.3g", levels[static_cast<size_t>(hovered)].label.c_str(),
                levels[static_cast<size_t>(hovered)].value);
    ImGui::TextDisabled("E‖s_θ − ∇log p_σ‖² / E‖∇log p_σ‖² on %d fixed samples x = m·x₀ + s·z", report.n);
    ImGui::EndTooltip();
  }
}

void fisher_section(App& app) {
  app.lab.update_fisher();  // a job per new network, while the section shows
  const FisherState& f = app.lab.fisher();
  ImGui::TextUnformatted("Relative Fisher divergence per level");
  tooltip("How wrong the network's arrows are at each noise level, compared with the true arrows: near 0 "
          "is good, 1 means the error is as large as the score itself. D(σ) = E_{p_σ}‖s_θ(x, σ) − ∇log "
          "p_σ(x)‖² / E_{p_σ}‖∇log p_σ(x)‖², estimated on 512 fixed samples per level (the same data points "
          "and noise for every snapshot). Recomputed for new snapshots, at most every 2 s.");
  if (!f.report || !app.lab.learned()) {
    ImGui::TextDisabled(app.lab.learned() ? "(computing…)" : "(no learned score yet)");
    return;
  }
  char step[40];
  std::snprintf(step, sizeof step, "(step %lld)", static_cast<long long>(f.report_step));
  same_line_if_fits(step);
  ImGui::TextDisabled("%s", step);
  fisher_plot(*f.report);
  if (!f.error.empty()) ImGui::TextWrapped("%s", f.error.c_str());
}

}  // namespace

void draw_training_panel(App& app) {
  Lab& lab = app.lab;
  if (!lab.trainer()) {
    ImGui::TextWrapped("No trainer: %s", lab.trainer_error().c_str());
    return;
  }
  Trainer& trainer = *lab.trainer();
  const TrainerStatus status = trainer.status();
  controls(app, trainer, status);
  ImGui::Text("%s · step %lld / %lld", to_string(status.state), static_cast<long long>(status.step),
              static_cast<long long>(status.total_steps));
  char rate[48];
  std::snprintf(rate, sizeof rate, "· %.0f steps/s", status.steps_per_second);
  same_line_if_fits(rate);
  ImGui::TextUnformatted(rate);
  if (!status.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", status.message.c_str());
    ImGui::PopStyleColor();
  }
  if (!lab.trainer_error().empty()) ImGui::TextWrapped("%s", lab.trainer_error().c_str());
  loss_curve(trainer);
  draw_fisher_constant_plot(app);  // fisher_constant_plot.cpp: ISM/SSM on a mixture
  fisher_section(app);
  if (ImGui::TreeNode("Training settings")) {
    settings(app, trainer);
    ImGui::TreePop();
  }
}

std::vector<float> binned_loss(const std::vector<LossPoint>& history, double offset, size_t max_bins) {
  const size_t bins = std::min(max_bins, history.size());
  std::vector<float> values(bins, 0.0f);
  for (size_t b = 0; b < bins; ++b) {
    const size_t lo = b * history.size() / bins, hi = std::max(lo + 1, (b + 1) * history.size() / bins);
    double sum = 0.0;
    for (size_t i = lo; i < hi; ++i) sum += history[i].loss;
    values[b] = static_cast<float>(sum / static_cast<double>(hi - lo) + offset);
  }
  return values;
}

}  // namespace scorelab
