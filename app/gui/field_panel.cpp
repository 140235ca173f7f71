// The Score field & heatmap panel: arrows of the true / learned / difference field at a noise level,
// and the heatmap of log pₜ or of the score error ‖s_θ − ∇log pₜ‖² (weighted by pₜ or not).
#include <cstdio>

#include "app/gui/app.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

void level_controls(App& app) {
  FieldSettings& f = app.lab.field;
  ImGui::Checkbox("Follow the particles' level", &f.follow_sampler);
  tooltip("Show the field and heatmap at the noise level the particles are at now; untick to choose t.");
  ImGui::BeginDisabled(f.follow_sampler);
  const Sde sde(app.scene.scene.noise);
  ImGui::SliderFloat("t", &f.t, static_cast<float>(sde.sampling_eps()), 1.0f, "%.4f",
                     kClamp | ImGuiSliderFlags_Logarithmic);
  ImGui::EndDisabled();
  tooltip("The time of the noising process xₜ = m(t)·x₀ + s(t)·z shown in the plane. VE: σ(t) = "
          "σ_min(σ_max/σ_min)^t; VP: m = exp(−½B(t)), s = √(1 − m²); NCSN levels sit at their VE time.");
  const NoiseLevel level = field_level(app);
  ImGui::TextDisabled("m = %.3f, s = σ = %.4g", level.m, level.s);
}

void field_controls(App& app) {
  FieldSettings& f = app.lab.field;
  ImGui::Checkbox("Score field", &f.show);
  tooltip("Arrows of the score ∇ₓ log pₜ(x) on a grid: they point uphill in density.");
  ImGui::SameLine();
  ImGui::Checkbox("Normalised", &f.normalise);
  tooltip("All arrows the same length (direction only); colour still shows |s|. Otherwise length ∝ |s| up "
          "to the 90th percentile of the visible field.");
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
  ImGui::SliderFloat("Arrow spacing", &f.spacing_em, 1.0f, 6.0f, "%.1f em", kClamp);
}

void heatmap_controls(App& app) {
  HeatmapSettings& h = app.lab.heatmap;
  ImGui::Checkbox("Heatmap", &h.show);
  tooltip("A colour map under the data (magma: dark = low).");
  int kind = static_cast<int>(h.kind);
  ImGui::SameLine();
  ImGui::RadioButton("log pₜ", &kind, 0);
  tooltip("log pₜ(x) = logsumexpₖ[log πₖ + log N(x; mμₖ, m²Σₖ + s²I)], the top range below its maximum.");
  ImGui::SameLine();
  ImGui::RadioButton("score error", &kind, 1);
  tooltip("‖s_θ(x) − ∇log pₜ(x)‖², optionally × pₜ(x). Unweighted it is large where there is no data: "
          "the network is never trained there (the 'wrong where there is no data' pitfall).");
  h.kind = static_cast<HeatmapKind>(kind);
  if (h.kind == HeatmapKind::score_error) {
    ImGui::Checkbox("Weight by pₜ", &h.weight_by_p);
    tooltip("pₜ(x)·‖s_θ − ∇log pₜ‖²: the integrand of the Fisher divergence E_pₜ‖s_θ − ∇log pₜ‖².");
  } else {
    ImGui::SliderFloat("Range", &h.range_nats, 1.0f, 40.0f, "%.0f nats", kClamp);
    tooltip("Colours span [max log pₜ − range, max log pₜ]; lower values clip to dark.");
  }
  ImGui::SliderFloat("Opacity##heatmap", &h.opacity, 0.1f, 1.0f, "%.2f", kClamp);
  ImGui::SliderInt("Resolution", &h.resolution, 32, 400, "%d cells", kClamp);
  tooltip("Cells across the view (fewer for point sets: each cell sums a kernel per training point).");
  if (!app.lab.heatmap_note.empty() && h.show) ImGui::TextDisabled("(%s)", app.lab.heatmap_note.c_str());
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
