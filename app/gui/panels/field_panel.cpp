// The Score field & heatmap panel: arrows or streamlines of the true / learned / difference field at
// a noise level, and the heatmap of the true log pₜ, the model's log pₜ through the ODE, their
// difference, or the score error ‖s_θ − ∇log pₜ‖² (weighted by pₜ or not).
#include <algorithm>
#include <cstdio>

#include "app/gui/app.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

// auto / GPU / CPU on one line, with one tooltip for the three.
void device_choice(const char* id, ComputeDevice& device, const char* help) {
  int d = static_cast<int>(device);
  ImGui::PushID(id);
  ImGui::TextUnformatted("Compute on");
  ImGui::SameLine();
  ImGui::RadioButton("auto", &d, 0);
  tooltip(help);
  ImGui::SameLine();
  ImGui::RadioButton("GPU", &d, 1);
  tooltip(help);
  ImGui::SameLine();
  ImGui::RadioButton("CPU", &d, 2);
  tooltip(help);
  ImGui::PopID();
  device = static_cast<ComputeDevice>(d);
}

void level_controls(App& app) {
  FieldSettings f = app.lab.field();
  const Sde sde(app.scene.scene.noise);
  const float t_min = static_cast<float>(sde.sampling_eps());
  const float followed_t = std::clamp(static_cast<float>(field_level(app).t), t_min, 1.0f);
  const bool was_following = f.follow_sampler;
  ImGui::Checkbox("Follow the particles' level", &f.follow_sampler);
  tooltip("Show the field and heatmap at the noise level the particles are at now; untick to choose t.");
  if (was_following && !f.follow_sampler) f.t = followed_t;  // unticking keeps the picture where it is
  // While following, the slider shows the particles' t (greyed), not a stale choice.
  float t = f.follow_sampler ? followed_t : f.t;
  ImGui::BeginDisabled(f.follow_sampler);
  ImGui::SliderFloat("t", &t, t_min, 1.0f, "%.4f", kClamp | ImGuiSliderFlags_Logarithmic);
  ImGui::EndDisabled();
  if (!f.follow_sampler) f.t = t;
  app.lab.set_field(f);
  tooltip("The time of the noising process xₜ = m(t)·x₀ + s(t)·z shown in the plane. VE: σ(t) = "
          "σ_min(σ_max/σ_min)^t; VP: m = exp(−½B(t)), s = √(1 − m²); NCSN levels sit at their VE time.");
  const NoiseLevel level = field_level(app);
  ImGui::TextDisabled("m = %.3f, s = σ = %.4g", level.m, level.s);
}

void field_controls(App& app) {
  FieldSettings f = app.lab.field();
  ImGui::Checkbox("Score field", &f.show);
  tooltip("The score ∇ₓ log pₜ(x): it points uphill in density, towards where the data is.");
  ImGui::SameLine();
  int style = static_cast<int>(f.style);
  ImGui::RadioButton("arrows", &style, 0);
  tooltip("Arrows on a grid; colour = |s| (viridis, kept at contrast >= 3:1 on the theme's plane; up to the 90th "
          "percentile of the view).");
  ImGui::SameLine();
  ImGui::RadioButton("streamlines", &style, 1);
  tooltip("Curves tangent to s(x), traced with RK2 steps along s/|s| from a seed grid, coloured by |s|, "
          "arrowhead where each ends: the paths noiseless gradient ascent on log pₜ would take.");
  f.style = static_cast<FieldStyle>(style);
  int kind = static_cast<int>(f.kind);
  ImGui::RadioButton("true", &kind, 0);
  tooltip("∇log pₜ: exact for a mixture (Σₖ πₖ N(mμₖ, m²Σₖ + s²I)), the ideal score for a point set.");
  ImGui::SameLine();
  ImGui::RadioButton("learned", &kind, 1);
  tooltip("s_θ(x, t) = net(c_in·x, t)/s(t): the trainer's newest snapshot.");
  ImGui::SameLine();
  ImGui::RadioButton("difference", &kind, 2);
  tooltip("s_θ − ∇log pₜ, lengths relative to the true field: short arrows = a good model.");
  f.kind = static_cast<FieldKind>(kind);
  if (f.style == FieldStyle::arrows) {
    ImGui::Checkbox("Normalised", &f.normalise);
    tooltip("All arrows the same length (direction only); colour still shows |s|. Otherwise length ∝ |s| up "
            "to the 90th percentile of the visible field.");
    ImGui::SliderFloat("Arrow spacing", &f.spacing_em, 1.0f, 6.0f, "%.1f em", kClamp);
    tooltip("Distance between arrows, in font heights.");
    device_choice("arrows", f.device,
                  "GPU: score_field.comp writes the arrows straight into the layer's buffer; CPU: core's scores, "
                  "arrows built here. auto: the GPU unless it is emulated on the CPU (llvmpipe), where the CPU is "
                  "faster and a network kernel would stall the window for seconds while it compiles.");
    const FieldState& st = app.lab.field_state();
    if (st.gpu_used) ImGui::TextDisabled("(arrows from the GPU kernel)");
    else if (!st.gpu_note.empty() && f.device != ComputeDevice::cpu) ImGui::TextDisabled("(CPU arrows: %s)", st.gpu_note.c_str());
  } else {
    ImGui::SliderInt("Lines", &f.streamlines, 50, 1000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
    tooltip("Streamline seeds over the view (a jittered grid); each line runs at most three seed spacings.");
  }
  if (f.kind != FieldKind::true_score && !app.lab.learned() && f.show) ImGui::TextDisabled("(no learned score yet: start training)");
  ImGui::Checkbox("Denoiser arrows (Tweedie)", &f.tweedie_arrows);
  tooltip("From each of the first 300 particles a line to where its clean point is expected to be: "
          "E[x₀ | xₜ] = (xₜ + s²·score)/m (Tweedie's formula), with the score the particles follow (exact or "
          "learned) at their current level. Long lines at high noise (the estimate is the data's mean), "
          "short ones near the data.");
  app.lab.set_field(f);
}

void model_density_controls(App& app, HeatmapSettings& h) {
  if (h.kind == HeatmapKind::density_difference) {
    ImGui::SliderFloat("± range", &h.difference_nats, 0.1f, 10.0f, "%.1f nats", kClamp | ImGuiSliderFlags_Logarithmic);
    tooltip("Red: the model puts more mass there than the truth (log p_model − log pₜ > 0); blue: less. Colours "
            "span ±range; shown only where either density is within Range of the top.");
  }
  ImGui::SliderInt("ODE steps", &h.ode_steps, 4, 200, "%d × RK4", kClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("log p_model(x, t) = log p₁(x₁) + ∫ₜ¹ ∇·[f − ½g²s_θ](x_τ, τ) dτ along the probability-flow ODE from "
          "x at time t, with the exact 2D divergence (two JVPs). 4 score evaluations per step and cell.");
  ImGui::SliderInt("Model cells", &h.model_resolution, 16, 256, "%d across", kClamp);
  tooltip("Cells across the view for the model's log-density (an ODE solve per cell).");
  device_choice("density", h.device,
                "GPU: density.comp on its own context on a worker thread; CPU: core's ode_likelihood on a worker "
                "thread. auto: the GPU unless it is emulated on the CPU (llvmpipe), where the CPU is faster and a "
                "network kernel takes a minute to compile the first time. Either way the window never waits.");
  ImGui::SliderFloat("Every", &h.model_interval_s, 0.5f, 30.0f, "%.1f s", kClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("While the model changes (training, the particles' level), a new image at most this often; the "
          "old image stays until the new one is complete.");
  const std::string status = app.lab.heatmap_status();
  if (!status.empty()) ImGui::TextDisabled("%s", status.c_str());
  const double progress = app.lab.heatmap_progress();
  if (progress >= 0.0) ImGui::ProgressBar(static_cast<float>(progress), ImVec2(-1.0f, 0.35f * ImGui::GetFontSize()), "");
  const std::string note = app.lab.density_gpu_note();
  if (!note.empty() && h.device != ComputeDevice::cpu) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("(%s)", note.c_str());
    ImGui::PopStyleColor();
  }
}

// The score error's colour range: kept for the scene (so a trained and an untrained model compare)
// and editable; unlocked, each picture spans its own errors.
void error_range_controls(HeatmapSettings& h) {
  ImGui::Checkbox("Lock colour range", &h.error_range_locked);
  tooltip("Locked: the colours keep one range for this scene, so pictures compare: a trained network "
          "(errors ~1e-4) stays dark, an untrained one glows. The range starts at 0 … ¼ of the "
          "99th percentile of ‖∇log pₜ‖² (× pₜ when weighted) in view: an error of half the true score's size "
          "is the top colour. Edit it below. "
          "Unlocked: each picture spans its own errors, so there are always hot spots.");
  if (!h.error_range_locked) return;
  float range[2] = {h.error_range_lo, h.error_range_hi};
  if (ImGui::InputFloat2("Range##error", range, "%.3g") && range[1] > range[0]) {
    h.error_range_lo = range[0];
    h.error_range_hi = range[1];
  }
  tooltip("The error that maps to the bottom and to the top colour (larger errors clip to the top: "
          "\"≥\" in the legend).");
}

void heatmap_controls(App& app) {
  HeatmapSettings h = app.lab.heatmap();
  ImGui::Checkbox("Heatmap", &h.show);
  tooltip("A colour map under the data (magma: dark = low; balance: blue < 0 < red).");
  const char* const kinds[] = {"true log pₜ", "model log pₜ (ODE)", "difference (model − true)", "score error",
                               "curl of s_θ"};
  int kind = static_cast<int>(h.kind);
  ImGui::Combo("Shows", &kind, kinds, 5);
  tooltip("true: log pₜ(x) = logsumexpₖ[log πₖ + log N(x; mμₖ, m²Σₖ + s²I)]. model: the network's log-density "
          "through the probability-flow ODE (computed band by band in the background). difference: model − "
          "true. score error: ‖s_θ(x) − ∇log pₜ(x)‖², large where there is no data unless weighted by pₜ. curl: how much "
          "the learned field swirls, ∂s₂/∂x₁ − ∂s₁/∂x₂ (central differences): 0 for any gradient, so 0 for a true "
          "score and for an energy network s = −∇E; a free network's need not be (blue < 0 < red).");
  h.kind = static_cast<HeatmapKind>(kind);
  if (h.kind == HeatmapKind::score_error) {
    ImGui::Checkbox("Weight by pₜ", &h.weight_by_p);
    tooltip("Counts the error only where data is likely (what training minimises). pₜ(x)·‖s_θ − ∇log pₜ‖²: "
            "the integrand of the Fisher divergence E_pₜ‖s_θ − ∇log pₜ‖². Unweighted, "
            "the error is large where there is no data: the network is never trained there.");
    error_range_controls(h);
  } else if (h.kind == HeatmapKind::curl) {
    ImGui::TextDisabled("range: ±99th percentile of |curl|, at least 5 %% of |∇·s|");
    tooltip("Symmetric about 0 (white). The floor keeps a gradient field's rounding-level curl white instead "
            "of stretching it to full colour.");
  } else {
    ImGui::SliderFloat("Range", &h.range_nats, 1.0f, 40.0f, "%.0f nats", kClamp);
    tooltip("Colours span [max log p − range, max log p]; lower values clip to dark. The same for true and "
            "model, so the two can be compared (each against its own maximum).");
  }
  app.lab.set_heatmap(h);  // the status lines below describe the kind just chosen
  if (h.kind == HeatmapKind::model_log_density || h.kind == HeatmapKind::density_difference) model_density_controls(app, h);
  ImGui::SliderFloat("Opacity##heatmap", &h.opacity, 0.1f, 1.0f, "%.2f", kClamp);
  tooltip("How much of the grid shows through the heatmap.");
  if (h.kind == HeatmapKind::log_density || h.kind == HeatmapKind::score_error || h.kind == HeatmapKind::curl) {
    ImGui::SliderInt("Resolution", &h.resolution, 32, 400, "%d cells", kClamp);
    tooltip("Cells across the view (fewer for point sets: each cell sums a kernel per training point).");
  }
  app.lab.set_heatmap(h);
  if (!app.lab.heatmap_note().empty() && h.show) ImGui::TextDisabled("(%s)", app.lab.heatmap_note().c_str());
}

}  // namespace

void draw_field_panel(App& app) {
  level_controls(app);
  ImGui::Separator();
  field_controls(app);
  ImGui::Separator();
  heatmap_controls(app);
}

}  // namespace scorelab
