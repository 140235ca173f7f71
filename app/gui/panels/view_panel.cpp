// The View panel: how the plane looks (points, grid, ellipses, labels), the theme and the
// presentation font scale.
#include "app/gui/app.hpp"

namespace scorelab {
namespace {

void layers_section(App& app) {
  ViewSettings& v = app.settings;
  ImGui::Checkbox("Data points", &v.show_points);
  tooltip("Show the training set: one dot per sample xᵢ ~ p_data.");
  ImGui::BeginDisabled(!v.show_points);
  ImGui::SliderFloat("Point size", &v.point_size, 1.0f, 12.0f, "%.1f px");
  tooltip("Diameter of each data point on screen, in pixels (scaled with the display's DPI).");
  ImGui::SliderFloat("Opacity", &v.point_alpha, 0.02f, 1.0f, "%.2f");
  tooltip("Opacity of one point. Low values turn dense regions darker, a quick picture of the density.");
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!app.scene.mixture);
  bool ellipses = v.show_ellipses && app.scene.mixture;  // shown unticked when there is nothing to draw
  if (ImGui::Checkbox("Component ellipses", &ellipses)) v.show_ellipses = ellipses;
  ImGui::EndDisabled();
  tooltip(app.scene.mixture ? "Outline each mixture component N(μₖ, Σₖ) at 2σ: (x − μₖ)ᵀΣₖ⁻¹(x − μₖ) = 4."
                            : "Only for data with a known mixture (mixture scenes, 8gaussians).");
  ImGui::BeginDisabled(!app.scene.mixture);
  ParticleSettings particles = app.lab.particles();
  bool pin = particles.pin_mode_weights && app.scene.mixture;
  if (ImGui::Checkbox("Pin mode weights", &pin)) {
    particles.pin_mode_weights = pin;
    app.lab.set_particles(particles);
  }
  ImGui::EndDisabled();
  tooltip(app.scene.mixture ? "Bars on the plane (top-right): for each mixture component, the share of the particles "
                              "closest to it (most responsible component) beside its true weight πₖ. Recounted a few "
                              "times a second."
                            : "Only for data with a known mixture (mixture scenes, 8gaussians).");
  ImGui::Checkbox("Grid", &v.show_grid);
  tooltip("Grid lines at round numbers; the axes x₁ = 0 and x₂ = 0 are always drawn.");
  ImGui::SameLine();
  ImGui::Checkbox("Axis labels", &v.show_labels);
  tooltip("Numbers along the axes.");
}

void appearance_section(App& app) {
  ViewSettings& v = app.settings;
  int theme = v.theme == Theme::dark ? 0 : 1;
  ImGui::TextUnformatted("Theme");
  ImGui::SameLine();
  bool changed = ImGui::RadioButton("Dark", &theme, 0);
  tooltip("Light text on a dark plane: best on screens and in dim rooms.");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Light", &theme, 1);
  tooltip("Dark text on a light plane: best on projectors in bright rooms and for printed figures.");
  if (changed) {
    v.theme = theme == 0 ? Theme::dark : Theme::light;
    app.style_dirty = true;
  }
  // The atlas is rebuilt when the slider is released, not on every drag step.
  ImGui::SliderFloat("Font scale", &v.font_scale, 0.75f, 3.0f, "%.2fx");
  if (ImGui::IsItemDeactivatedAfterEdit()) app.fonts_dirty = true;
  tooltip("Presentation scale for text and widgets, on top of the monitor's own scale. "
          "1.5x-2x for a projector in a large room.");
}

}  // namespace

void draw_view_panel(App& app) {
  layers_section(app);
  ImGui::Separator();
  appearance_section(app);
  if (ImGui::Button("Fit view (F)")) app.fit_requested = true;
  tooltip("Zoom and centre the plane on the data and the component ellipses. Shortcut: F. "
          "In the plane: drag to pan, scroll to zoom about the cursor.");
}

}  // namespace scorelab
