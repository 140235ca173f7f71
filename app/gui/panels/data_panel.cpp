// The Data panel: where the training set comes from (a Gaussian mixture, a toy set, drawn points),
// its size and seed, the mixture's components as an editable table, the drawing tools, and undo.
// Continuous edits (dragging a value, a brush stroke, a mean on the plane) redraw the data every
// frame and rebuild the lab (exact score, trainer, sampler) once, when the edit ends.
#include <algorithm>
#include <cstdio>
#include <string>

#include "app/gui/app.hpp"
#include "app/plane/ellipse.hpp"
#include "core/toy_data.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;
constexpr const char* kDrawnFile = "drawn_points.csv";  // the file a saved scene would point to

ImVec4 to_imvec4(const Rgba& c) { return ImVec4(c.r, c.g, c.b, c.a); }

// Three well-separated components: the mixture a switch to "mixture" starts from when the current
// data has none behind it.
GaussianMixture default_mixture() {
  return GaussianMixture({{0.5, Vec2(-2.0, -1.0), 0.5 * Mat2::Identity()},
                          {0.3, Vec2(2.0, -1.0), covariance_from(0.8, 0.4, 0.5)},
                          {0.2, Vec2(0.0, 2.0), 0.3 * Mat2::Identity()}});
}

// An immediate edit (button, combo): remember the state, change it, rebuild.
template <class F>
void edit_now(App& app, F&& change) {
  const DataConfig before = app.scene.scene.data;
  change(app.scene.scene.data);
  if (same_data(before, app.scene.scene.data)) return;
  app.data_edit.undo.push(before);
  apply_data_change(app, true);
}

// Call right after a continuous widget: the state before it was grabbed goes on the undo stack and
// the lab is rebuilt when it is let go; while held, `changed` only redraws the data.
void continuous_edit(App& app, bool changed) {
  DataEditState& e = app.data_edit;
  if (ImGui::IsItemActivated()) e.pending = app.scene.scene.data;
  if (changed) apply_data_change(app, false);
  if (ImGui::IsItemDeactivated()) {
    if (e.pending && !same_data(*e.pending, app.scene.scene.data)) {
      e.undo.push(*e.pending);
      apply_data_change(app, true);
    }
    e.pending.reset();
  }
}

void source_combo(App& app) {
  DataConfig& d = app.scene.scene.data;
  const char* names[] = {"Gaussian mixture", "Toy set", "Drawn points"};
  int kind = static_cast<int>(d.kind);
  if (ImGui::Combo("Source", &kind, names, 3) && kind != static_cast<int>(d.kind)) {
    edit_now(app, [&](DataConfig& data) {
      if (kind == static_cast<int>(DataKind::mixture) && data.mixture.size() == 0)
        data.mixture = exact_mixture(data).value_or(default_mixture());
      if (kind == static_cast<int>(DataKind::points) && data.file.empty()) data.file = kDrawnFile;
      data.kind = static_cast<DataKind>(kind);
    });
  }
  tooltip("Where the training set comes from. A Gaussian mixture Σₖ πₖ N(μₖ, Σₖ) has an exact score at "
          "every noise level; a toy set is sampled from FFJORD's generators; drawn points are a finite set "
          "{xᵢ}, whose exact score is the ideal (empirical) score of (1/n)Σᵢ N(m xᵢ, s²I).\n"
          "Any data change rebuilds the exact score, resets training and restarts the sampler.");
}

void toy_combo(App& app) {
  const std::vector<std::string>& names = toy_names();
  const std::string& current = app.scene.scene.data.toy;
  if (ImGui::BeginCombo("Toy set", current.c_str())) {
    for (const std::string& name : names) {
      if (ImGui::Selectable(name.c_str(), name == current) && name != current)
        edit_now(app, [&](DataConfig& d) { d.toy = name; });
    }
    ImGui::EndCombo();
  }
  char help[200];
  std::snprintf(help, sizeof help,
                "The classic 2D sets of FFJORD (Grathwohl et al. 2019) and the NCSN two-Gaussian toy. "
                "Differential entropy of \"%s\": %.3f nats, the lowest NLL any model can reach.",
                current.c_str(), toy_entropy(current));
  tooltip(help);
}

void count_and_seed(App& app) {
  DataConfig& d = app.scene.scene.data;
  int count = d.count;
  const bool count_changed =
      ImGui::SliderInt("Count", &count, 100, 100000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
  if (count_changed) d.count = count;
  continuous_edit(app, count_changed);
  tooltip("Size n of the training set drawn from the distribution. The trainer sees only these n "
          "points; the true score knows the distribution itself.");
  int seed = static_cast<int>(d.seed);
  const bool seed_changed = ImGui::DragInt("Seed", &seed, 0.2f, 0, 1000000, "%d", kClamp);
  if (seed_changed) d.seed = static_cast<uint32_t>(seed);
  continuous_edit(app, seed_changed);
  tooltip("Seed of the training set's draws (counter-based RNG): the same seed gives the same points.");
}

// One component's row: swatch, π, μx, μy, σx, σy, ρ, remove. Returns true when "remove" was clicked.
bool component_row(App& app, std::vector<GaussianComponent>& comps, int k) {
  GaussianComponent& c = comps[static_cast<size_t>(k)];
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  const float swatch = ImGui::GetTextLineHeight();
  ImGui::ColorButton("##swatch", to_imvec4(component_color(k, app.settings.theme)),
                     ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop, ImVec2(swatch, swatch));
  // The widgets edit floats; a change rewrites the component and the scene's mixture at once, so
  // the plane follows the drag (continuous_edit), and the lab is rebuilt on release.
  const auto field = [&](int column, const char* id, float value, float speed, float lo, float hi, auto apply) {
    ImGui::TableSetColumnIndex(column);
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool edited = ImGui::DragFloat(id, &value, speed, lo, hi, "%.2f", kClamp);
    if (edited) {
      apply(value);
      app.scene.scene.data.mixture = GaussianMixture(comps);
    }
    continuous_edit(app, edited);
  };
  ImGui::BeginDisabled(comps.size() == 1);
  field(1, "##pi", static_cast<float>(c.weight), 0.003f, static_cast<float>(kMinWeight), 1.0f,
        [&](float v) { set_component_weight(comps, k, v); });
  ImGui::EndDisabled();
  tooltip("Weight πₖ: the share of the data in this component. The others are rescaled so Σπ = 1.");
  field(2, "##mx", static_cast<float>(c.mean.x()), 0.02f, -100.0f, 100.0f, [&](float v) { c.mean.x() = v; });
  tooltip("Mean μₖ, first coordinate. With \"Edit on plane\" on, drag the mean's handle on the plane.");
  field(3, "##my", static_cast<float>(c.mean.y()), 0.02f, -100.0f, 100.0f, [&](float v) { c.mean.y() = v; });
  tooltip("Mean μₖ, second coordinate.");
  const SigmaRho sr = sigma_rho(c.cov);
  field(4, "##sx", static_cast<float>(sr.sigma_x), 0.005f, 0.05f, 20.0f,
        [&](float v) { c.cov = covariance_from(v, sr.sigma_y, sr.rho); });
  tooltip("σx = √Σ₁₁, the spread along x₁.");
  field(5, "##sy", static_cast<float>(sr.sigma_y), 0.005f, 0.05f, 20.0f,
        [&](float v) { c.cov = covariance_from(sr.sigma_x, v, sr.rho); });
  tooltip("σy = √Σ₂₂, the spread along x₂.");
  field(6, "##rho", static_cast<float>(sr.rho), 0.004f, -0.95f, 0.95f,
        [&](float v) { c.cov = covariance_from(sr.sigma_x, sr.sigma_y, v); });
  tooltip("Correlation ρ = Σ₁₂/(σx σy) ∈ (−1, 1): tilts the ellipse. Σ = [[σx², ρσxσy], [ρσxσy, σy²]].");
  ImGui::TableSetColumnIndex(7);
  ImGui::BeginDisabled(comps.size() == 1);
  const bool remove = ImGui::SmallButton("×");
  ImGui::EndDisabled();
  tooltip("Remove this component (the others' weights are renormalised).");
  return remove;
}

void mixture_table(App& app) {
  std::vector<GaussianComponent> comps = app.scene.scene.data.mixture.components();
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg;
  if (ImGui::BeginTable("mixture_edit", 8, flags)) {
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetTextLineHeight());
    for (const char* name : {"π", "μx", "μy", "σx", "σy", "ρ"}) ImGui::TableSetupColumn(name, 0, 1.0f);
    const float remove_w = ImGui::CalcTextSize("×").x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, remove_w);
    ImGui::TableHeadersRow();
    int remove = -1;
    for (int k = 0; k < static_cast<int>(comps.size()); ++k) {
      ImGui::PushID(k);
      if (component_row(app, comps, k)) remove = k;
      ImGui::PopID();
    }
    ImGui::EndTable();
    if (remove >= 0) edit_now(app, [&](DataConfig& d) {
        remove_component(comps, remove);
        d.mixture = GaussianMixture(comps);
      });
  }
  if (ImGui::Button("Add component")) {
    edit_now(app, [&](DataConfig& d) {
      add_component(comps, app.view.center, 0.5);
      d.mixture = GaussianMixture(comps);
    });
  }
  tooltip("Adds N(c, 0.5²I) at the centre c of the view, with weight 1/(K+1).");
  ImGui::SameLine();
  ImGui::Checkbox("Edit on plane", &app.data_edit.edit_on_plane);
  tooltip("Show a handle at each mean μₖ on the plane: drag it to move the component (right-drag pans).");
}

void drawing_tools(App& app) {
  DataEditState& e = app.data_edit;
  const long n = static_cast<long>(app.scene.scene.data.points.cols());
  int tool = static_cast<int>(e.tool);
  ImGui::TextUnformatted("Tool:");
  ImGui::SameLine();
  ImGui::RadioButton("Add", &tool, 0);
  tooltip("Left-drag on the plane sprays points uniformly in the brush disc, at 'rate' points per second.");
  ImGui::SameLine();
  ImGui::RadioButton("Erase", &tool, 1);
  tooltip("Left-drag on the plane removes every point within the brush radius.");
  e.tool = static_cast<DrawTool>(tool);
  ImGui::SameLine();
  if (ImGui::Button("Clear")) edit_now(app, [](DataConfig& d) { d.points.resize(2, 0); });
  tooltip("Remove every point (undo brings them back).");
  ImGui::SliderFloat("Brush radius", &e.brush_radius, 0.02f, 5.0f, "%.2f", kClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("Radius of the brush and the eraser, in data units (compare with the noise levels σ).");
  ImGui::BeginDisabled(e.tool != DrawTool::add);
  ImGui::SliderFloat("Rate", &e.brush_rate, 5.0f, 2000.0f, "%.0f pts/s", kClamp | ImGuiSliderFlags_Logarithmic);
  ImGui::EndDisabled();
  tooltip("Points added per second while the left button is held.");
  ImGui::Text("%ld points", n);
  tooltip("The drawn set is the training set itself: the exact score is its ideal score, and fresh "
          "'true' samples for the metrics are draws with replacement from it.");
}

}  // namespace

void apply_data_change(App& app, bool rebuild_lab) {
  LoadedScene& s = app.scene;
  const DataConfig& d = s.scene.data;
  DataEditState& e = app.data_edit;
  try {
    s.points = d.kind == DataKind::points ? d.points : training_points(d);
    s.mixture = d.kind == DataKind::points ? std::nullopt : exact_mixture(d);
  } catch (const std::exception& err) {
    e.note = err.what();
    return;
  }
  e.last_seen = d;
  s.bounds = bounds_of(s.points);
  if (s.mixture) {
    for (const GaussianComponent& c : s.mixture->components())
      s.bounds.include(covariance_ellipse_bounds(c.mean, c.cov, kEllipseSigmas));
  }
  if (app.renderer) {
    app.renderer->set_data(s.points);
    app.renderer->set_mixture(s.mixture);
  }
  if (!rebuild_lab) return;
  if (d.kind == DataKind::points && d.points.cols() < 2) {
    e.note = "Draw at least 2 points (left button on the plane): until then the lab, its particles and its "
             "network stay those of the previous data.";
    return;
  }
  e.note.clear();
  // The network learned the old data: rebuilding starts it again, which must not pass unnoticed.
  const long long trained = app.lab.snapshot() ? static_cast<long long>(app.lab.snapshot()->step) : 0;
  init_lab(app);
  if (trained > 0)
    set_status(app, "The data changed: the network starts again from step 0 (it had " + std::to_string(trained) +
                        " training steps on the old data); the particles restart too.", false);
  // The metrics described the old data.
  MetricsState& m = app.metrics;
  m.quality_job.discard();
  m.nll_job.discard();
  m.quality.reset();
  m.nll.reset();
  m.quality_error.clear();
  m.nll_error.clear();
}

bool undo_data_edit(App& app) {
  DataEditState& e = app.data_edit;
  if (e.stroke_active || e.pending) return false;  // mid-edit: let the edit finish first
  std::optional<DataConfig> previous = e.undo.pop();
  if (!previous) return false;
  app.scene.scene.data = std::move(*previous);
  apply_data_change(app, true);
  return true;
}

void track_data_changes(App& app) {
  DataEditState& e = app.data_edit;
  if (e.stroke_active || e.pending) return;
  if (e.last_seen && same_data(*e.last_seen, app.scene.scene.data)) return;
  // First frame, or the scene was replaced (File menu, scene undo): the edit history is of other data.
  if (e.last_seen) {
    e.undo.clear();
    e.note.clear();
  }
  e.last_seen = app.scene.scene.data;
}

void draw_data_panel(App& app) {
  source_combo(app);
  DataConfig& d = app.scene.scene.data;
  if (d.kind == DataKind::toy) toy_combo(app);
  if (d.kind != DataKind::points) count_and_seed(app);
  if (d.kind == DataKind::mixture) mixture_table(app);
  if (d.kind == DataKind::points) {
    drawing_tools(app);
  } else {
    if (ImGui::Button("Start from the current data")) {
      edit_now(app, [&](DataConfig& data) {
        data.points = app.scene.points;
        data.kind = DataKind::points;
        data.file = kDrawnFile;
      });
    }
    tooltip("Turn the current training points into an editable drawn set (then add or erase points).");
  }
  const DataEditState& e = app.data_edit;
  if (!e.note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.62f, 0.30f, 1.0f));
    ImGui::TextWrapped("%s", e.note.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::BeginDisabled(e.undo.empty() || e.stroke_active);
  char undo_label[48];
  std::snprintf(undo_label, sizeof undo_label, "Undo data edit (%zu)", e.undo.size());
  if (ImGui::Button(undo_label)) undo_data_edit(app);
  ImGui::EndDisabled();
  tooltip("Back to the data before the last edit (up to 20 steps; Ctrl+Z).");
}

}  // namespace scorelab
