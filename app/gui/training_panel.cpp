// The Training panel: objective, batch, learning rate, EMA (THEORY.md §2), start/pause/step/reset of
// the Trainer on its worker thread, loss curve, steps/s and the trainer's status.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/gui/app.hpp"
#include "core/train_config.hpp"

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

// Edits a copy of the train config; a change reconfigures (resets) the trainer.
void settings(App& app, Trainer& trainer) {
  TrainConfig c = trainer.train_config();
  bool apply = false;
  int objective = static_cast<int>(c.objective);
  if (ImGui::Combo("Objective", &objective, kObjectives, 7)) {
    c.objective = static_cast<Objective>(objective);
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
  if (!apply) return;
  try {
    validate(c);
    trainer.reconfigure(app.scene.points, app.scene.scene.noise, trainer.model_config(), c, app.lab.exact);
    app.scene.scene.train = to_json(c);
    app.lab.trainer_error.clear();
  } catch (const InputError& e) {
    app.lab.trainer_error = e.what();
  }
}

void loss_curve(const Trainer& trainer) {
  const std::vector<LossPoint> history = trainer.loss_history();
  if (history.empty()) {
    ImGui::TextDisabled("(no loss yet)");
    return;
  }
  // At most ~400 points on screen: bin means, so the curve stays readable and cheap.
  const size_t bins = std::min<size_t>(400, history.size());
  std::vector<float> values(bins, 0.0f);
  for (size_t b = 0; b < bins; ++b) {
    const size_t lo = b * history.size() / bins, hi = std::max(lo + 1, (b + 1) * history.size() / bins);
    double sum = 0.0;
    for (size_t i = lo; i < hi; ++i) sum += history[i].loss;
    values[b] = static_cast<float>(sum / static_cast<double>(hi - lo));
  }
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "loss %.4g", history.back().loss);
  ImGui::PlotLines("##loss", values.data(), static_cast<int>(values.size()), 0, overlay, *lo, *hi,
                   ImVec2(-1.0f, 5.0f * ImGui::GetFontSize()));
  tooltip("The training loss (batch mean), binned; its minimum is not 0 for DSM-type objectives.");
}

}  // namespace

void draw_training_panel(App& app) {
  Lab& lab = app.lab;
  if (!lab.trainer) {
    ImGui::TextWrapped("No trainer: %s", lab.trainer_error.c_str());
    return;
  }
  Trainer& trainer = *lab.trainer;
  const TrainerStatus status = trainer.status();
  controls(app, trainer, status);
  ImGui::Text("%s · step %lld / %lld · %.0f steps/s", to_string(status.state), static_cast<long long>(status.step),
              static_cast<long long>(status.total_steps), status.steps_per_second);
  if (!status.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", status.message.c_str());
    ImGui::PopStyleColor();
  }
  if (!lab.trainer_error.empty()) ImGui::TextWrapped("%s", lab.trainer_error.c_str());
  loss_curve(trainer);
  if (ImGui::TreeNode("Training settings")) {
    settings(app, trainer);
    ImGui::TreePop();
  }
}

}  // namespace scorelab
