// The Scene panel: what the loaded scene is (title, description, data, noise, sampler), the
// mixture's components with their ellipse colours, and reload / fit buttons.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/gui/app.hpp"

namespace scorelab {
namespace {

ImVec4 to_imvec4(const Rgba& c) { return ImVec4(c.r, c.g, c.b, c.a); }

std::string noise_summary(const NoiseConfig& n) {
  char buf[160];
  switch (n.kind) {
    case NoiseKind::geometric:
    case NoiseKind::edm:
      std::snprintf(buf, sizeof buf, "%s, %d levels, σ %g → %g", to_string(n.kind), n.levels, n.sigma_max,
                    n.sigma_min);
      break;
    case NoiseKind::ve:
      std::snprintf(buf, sizeof buf, "VE SDE, σ(t) from %g to %g", n.sigma_min, n.sigma_max);
      break;
    case NoiseKind::vp:
    case NoiseKind::subvp:
      std::snprintf(buf, sizeof buf, "%s SDE, β from %g to %g", n.kind == NoiseKind::vp ? "VP" : "sub-VP",
                    n.beta_min, n.beta_max);
      break;
  }
  return buf;
}

// One "key  value" row of the summary table, with a tooltip on the key.
void row(const char* key, const std::string& value, const char* help) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", key);
  tooltip(help);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextWrapped("%s", value.c_str());
}

void summary_table(const App& app) {
  const Scene& s = app.scene.scene;
  if (!ImGui::BeginTable("scene_summary", 2, ImGuiTableFlags_SizingFixedFit)) return;
  // Widths given up front: a fit-to-content column measures itself only from the second frame.
  ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("Sampler").x);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  const std::string file = app.scene.path.empty() ? "(built-in)" : app.scene.path.filename().string();
  row("File", file, app.scene.path.empty() ? "No scene file: the built-in default." : app.scene.path.c_str());
  row("Data", describe_data(s.data), "Where the training set comes from: a Gaussian mixture (exact score known "
                                     "everywhere), a classic toy set, or a drawn/loaded point set.");
  char points[96];
  std::snprintf(points, sizeof points, "%ld (seed %u)", static_cast<long>(app.scene.points.cols()), s.data.seed);
  row("Points", points, "Size of the training set drawn from the data distribution, and the seed that draws it.");
  row("Noise", noise_summary(s.noise), "The noise schedule (THEORY.md §3): geometric levels "
                                       "σᵢ = σ_max·(σ_min/σ_max)^((i−1)/(L−1)), or an SDE (VE, VP, sub-VP).");
  char sampler[96];
  std::snprintf(sampler, sizeof sampler, "%s, %d particles", to_string(s.sampler.kind), s.sampler.particles);
  row("Sampler", sampler, "The sampler this scene starts with (THEORY.md §4) and its particle count.");
  ImGui::EndTable();
}

void mixture_table(const App& app) {
  if (!app.scene.mixture) return;
  ImGui::Spacing();
  ImGui::TextDisabled("Components (ellipses: 2σ)");
  tooltip("Each component N(μₖ, Σₖ) with weight πₖ. Its ellipse is (x − μ)ᵀΣ⁻¹(x − μ) = 4, which holds "
          "1 − e⁻² ≈ 86 % of the component's mass.");
  // Up to 8 rows show in full; longer lists scroll (ScrollY needs a fixed height).
  const int n = app.scene.mixture->size();
  ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
  float height = 0.0f;
  if (n > 8) {
    flags |= ImGuiTableFlags_ScrollY;
    height = (ImGui::GetFrameHeight() + ImGui::GetStyle().CellPadding.y) * 9.0f;
  }
  if (!ImGui::BeginTable("components", 4, flags, ImVec2(0.0f, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("");
  ImGui::TableSetupColumn("π");
  ImGui::TableSetupColumn("μ");
  ImGui::TableSetupColumn("σ₁, σ₂");
  ImGui::TableHeadersRow();
  int k = 0;
  for (const GaussianComponent& c : app.scene.mixture->components()) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const float swatch = ImGui::GetTextLineHeight();
    ImGui::ColorButton("##swatch", to_imvec4(component_color(k++, app.settings.theme)),
                       ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop, ImVec2(swatch, swatch));
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("%.3g", c.weight);
    ImGui::TableSetColumnIndex(2);
    ImGui::Text("(%.3g, %.3g)", c.mean.x(), c.mean.y());
    ImGui::TableSetColumnIndex(3);
    ImGui::Text("%.3g, %.3g", std::sqrt(c.cov(0, 0)), std::sqrt(c.cov(1, 1)));
  }
  ImGui::EndTable();
}

}  // namespace

void draw_scene_panel(App& app) {
  const Scene& s = app.scene.scene;
  const std::string title = !s.title.empty() ? s.title
                            : app.scene.path.empty() ? "Untitled scene"
                                                     : app.scene.path.stem().string();
  ImGui::PushFont(app.fonts.heading);
  ImGui::TextWrapped("%s", title.c_str());
  ImGui::PopFont();
  if (!s.description.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", s.description.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  summary_table(app);
  mixture_table(app);
  if (!app.scene_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", app.scene_error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  ImGui::BeginDisabled(app.scene.path.empty());
  if (ImGui::Button("Reload")) reload_scene(app, app.scene.path);
  ImGui::EndDisabled();
  tooltip("Read the scene file again from disk (after editing it in a text editor).");
}

}  // namespace scorelab
