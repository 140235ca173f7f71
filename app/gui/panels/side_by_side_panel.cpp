// The Side by side section: the split view's pane B (sampler, steps, schedule, score) and objectives
// compared (2–4 ticked, each training its own network on the same batches), with their loss curves
// overlaid in one plot and each one's relative Fisher divergence beside it. The panes themselves
// are app.panes (app/lab/lab_panes.hpp), drawn in the plane's cells (side_by_side.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "app/gui/app.hpp"
#include "app/gui/side_by_side.hpp"
#include "core/objective_comparison.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
const char* const kSamplers[] = {"Langevin", "Annealed Langevin", "Reverse SDE (Euler-Maruyama)", "Predictor-corrector",
                                 "Probability-flow ODE", "DDPM ancestral"};
const char* const kSchedules[] = {"geometric levels", "EDM levels", "VE SDE", "VP SDE", "sub-VP SDE"};
const char* const kObjectiveNames[] = {"esm", "ism", "ssm", "ssm_vr", "dsm", "ncsn", "continuous"};

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

void pane_b_settings(App& app) {
  PaneSettings b = app.panes.settings(0);
  bool changed = false;
  int sampler = static_cast<int>(b.sampler);
  if (ImGui::Combo("B sampler", &sampler, kSamplers, 6)) {
    b.sampler = static_cast<SamplerKind>(sampler);
    changed = true;
  }
  tooltip("The sampler of the right pane B; A keeps the Particles panel's. Both start from the same seed.");
  ImGui::SliderInt("B steps", &b.steps, 2, 2000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
  changed |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("B's number of steps N (annealed Langevin: per level). The panes show the same step index; the "
          "shorter run waits at its end.");
  int schedule = static_cast<int>(b.schedule);
  if (ImGui::Combo("B schedule", &schedule, kSchedules, 5)) {
    b.schedule = static_cast<NoiseKind>(schedule);
    changed = true;
  }
  tooltip("B's noise schedule, with A's parameters (σ range, β range). A learned network knows only A's "
          "schedule: under another one B follows the exact score, and its caption says so.");
  bool learned = b.score == ScoreSource::learned;
  if (ImGui::Checkbox("B follows the learned score", &learned)) {
    b.score = learned ? ScoreSource::learned : ScoreSource::exact;
    changed = true;
  }
  tooltip("B's particles follow A's network (the one trainer, T) instead of the exact score.");
  if (changed) {
    app.panes.set_settings(app.lab, 0, b);
    app.panes_dirty = true;
  }
  if (!app.panes.note(0).empty()) ImGui::TextWrapped("%s", app.panes.note(0).c_str());
}

// The loss curves of every cell in one plot: x the training step, y the binned loss on a symmetric
// log axis (sign(v)·log₁₀(1 + |v|): the objectives' losses differ by decades, DSM at a small σ is
// ~1/σ², and ISM/SSM can be negative), one colour per objective as in the table's legend.
float symlog(float v) { return std::copysign(std::log10(1.0f + std::fabs(v)), v); }

void overlaid_losses(App& app) {
  const int cells = 1 + app.panes.size();
  std::vector<std::vector<float>> curves(static_cast<size_t>(cells));
  std::vector<int64_t> last_step(static_cast<size_t>(cells), 0);
  float lo = INFINITY, hi = -INFINITY;
  int64_t steps = 1;
  for (int k = 0; k < cells; ++k) {
    const Trainer* t = cell_lab(app, k).trainer();
    if (!t) continue;
    const std::vector<LossPoint> history = t->loss_history();
    if (history.empty()) continue;
    curves[static_cast<size_t>(k)] = binned_loss(history, 0.0, 200);
    for (float& v : curves[static_cast<size_t>(k)]) v = symlog(v);
    last_step[static_cast<size_t>(k)] = history.back().step;
    steps = std::max(steps, history.back().step);
    for (float v : curves[static_cast<size_t>(k)])
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  }
  const float font = ImGui::GetFontSize();
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 7.0f * font);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##losses", size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (!(hi >= lo)) {
    draw->AddText(ImVec2(p0.x + 0.5f * font, p0.y + 0.5f * font), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                  "(no loss yet: T trains them all)");
    return;
  }
  if (hi - lo < 1e-6f) hi = lo + 1e-6f;
  const auto at = [&](double step, float v) {
    return ImVec2(p0.x + static_cast<float>(step / static_cast<double>(steps)) * size.x,
                  p0.y + size.y - (v - lo) / (hi - lo) * size.y);
  };
  // Decade lines (0, ±1, ±10, …) with their values at the left.
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (int e = -1; e <= 8; ++e) {
    for (float sign : {1.0f, -1.0f}) {
      const float v = e < 0 ? 0.0f : sign * std::pow(10.0f, static_cast<float>(e));
      const float y = symlog(v);
      if (y < lo || y > hi || (e < 0 && sign < 0.0f)) continue;
      const ImVec2 a = at(0.0, y);
      draw->AddLine(a, ImVec2(a.x + size.x, a.y), ImGui::GetColorU32(ImGuiCol_Border));
      char tick[16];
      std::snprintf(tick, sizeof tick, "%g", static_cast<double>(v));
      draw->AddText(ImVec2(a.x + 0.2f * font, a.y - font), text, tick);
    }
  }
  for (int k = 0; k < cells; ++k) {
    const std::vector<float>& c = curves[static_cast<size_t>(k)];
    std::vector<ImVec2> points;
    for (size_t i = 0; i < c.size(); ++i) {
      const double step = c.size() > 1 ? static_cast<double>(last_step[static_cast<size_t>(k)]) * static_cast<double>(i) /
                                             static_cast<double>(c.size() - 1)
                                       : 0.0;
      points.push_back(at(step, c[i]));
    }
    if (points.size() > 1)
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), to_u32(component_color(k, app.settings.theme)),
                        ImDrawFlags_None, 2.0f);
  }
  tooltip("The training loss of each objective (batch mean, binned) against the training step, on one symmetric "
          "log axis, sign(L)·log₁₀(1 + |L|): the objectives' losses differ by decades (DSM at a small σ grows like "
          "1/σ²) and have different minima (ISM/SSM can go negative). Compare how they fall; the relative Fisher "
          "divergence in the table says which network is closest to the true score.");
}

// Legend and table: the colour, the objective, its step, last loss and relative Fisher divergence.
void objectives_table(App& app) {
  const int cells = 1 + app.panes.size();
  if (!ImGui::BeginTable("##objectives", 4, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return;
  ImGui::TableSetupColumn("objective");
  ImGui::TableSetupColumn("step");
  ImGui::TableSetupColumn("loss");
  ImGui::TableSetupColumn("rel. Fisher");
  ImGui::TableHeadersRow();
  for (int k = 0; k < cells; ++k) {
    const Trainer* t = cell_lab(app, k).trainer();
    const TrainerStatus status = t ? t->status() : TrainerStatus{};
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float em = ImGui::GetFontSize();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + 0.2f * em), ImVec2(p.x + 0.8f * em, p.y + em),
                                              to_u32(component_color(k, app.settings.theme)));
    ImGui::Dummy(ImVec2(em, em));
    ImGui::SameLine();
    ImGui::TextUnformatted(pane_name(app, k).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%lld", static_cast<long long>(status.step));
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", status.loss);
    ImGui::TableNextColumn();
    const double d = mean_relative_fisher(app, k);
    if (std::isfinite(d)) ImGui::Text("%.3g", d);
    else ImGui::TextDisabled("…");
  }
  ImGui::EndTable();
  tooltip("Relative Fisher divergence E‖s_θ − ∇log p‖² / E‖∇log p‖², averaged over the noise levels of the "
          "Training panel's plot (the same fixed samples for every network), for the newest snapshot.");
}

void compare_section(App& app) {
  ImGui::TextDisabled("Objectives side by side (2 to 4, the same batches)");
  int chosen = 0;
  for (bool on : app.compare_choice) chosen += on ? 1 : 0;
  for (int k = 0; k < 7; ++k) {
    bool& on = app.compare_choice[static_cast<size_t>(k)];
    ImGui::BeginDisabled(!on && chosen >= kMaxComparedObjectives);
    ImGui::Checkbox(kObjectiveNames[k], &on);
    ImGui::EndDisabled();
    if (k % 4 != 3 && k != 6) ImGui::SameLine();
  }
  std::vector<Objective> objectives;
  for (int k = 0; k < 7; ++k)
    if (app.compare_choice[static_cast<size_t>(k)]) objectives.push_back(static_cast<Objective>(k));
  ImGui::BeginDisabled(objectives.size() < 2);
  if (ImGui::Button("Compare objectives")) {
    const std::string problem = compare_objectives(app, objectives);
    if (!problem.empty()) set_status(app, "Compare objectives: " + problem, true);
  }
  ImGui::EndDisabled();
  tooltip("Trains each ticked objective with a network of its own (A: the first, one pane each for the others) on "
          "the same data and the same batches: the same data points and noise draws at every step (A's seed and "
          "batch size). T starts and pauses them all; each pane's particles follow its own network.");
  if (app.panes.mode() != PaneMode::objectives || !app.panes.is_open()) return;
  overlaid_losses(app);
  objectives_table(app);
}

}  // namespace

void draw_side_by_side_panel(App& app) {
  const bool split = app.panes.is_open() && app.panes.mode() == PaneMode::split;
  if (ImGui::Button(split ? "Close split view" : "Split view")) {
    if (app.panes.is_open() && !split) close_panes(app);
    toggle_split_view(app);
  }
  tooltip("Ctrl+D. A (this lab) and B side by side: the same data, seed and network, in lockstep.");
  if (app.panes.is_open()) {
    ImGui::SameLine();
    if (ImGui::Button("Close panes")) close_panes(app);
  }
  if (split && app.panes.is_open()) pane_b_settings(app);
  ImGui::Separator();
  compare_section(app);
}

}  // namespace scorelab
