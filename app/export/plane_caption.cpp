#include "app/export/plane_caption.hpp"

#include <cstdio>
#include <filesystem>

#include "app/export/exporter.hpp"
#include "app/plane/tweedie_lines.hpp"
#include "app/session/point_editing.hpp"

namespace scorelab {
namespace {

// The file the Data panel gives drawn points (app/gui/panels/data_panel.cpp's kDrawnFile).
constexpr const char* kDrawnPointsFile = "drawn_points.csv";

std::string preset_title(const LoadedScene& scene) {
  if (!scene.scene.title.empty()) return scene.scene.title;
  if (!scene.path.empty()) return scene.path.stem().string();
  return "Untitled scene";
}

}  // namespace

const char* sampler_title(SamplerKind kind) {
  switch (kind) {
    case SamplerKind::langevin: return "Langevin dynamics";
    case SamplerKind::annealed: return "Annealed Langevin";
    case SamplerKind::em: return "Reverse SDE (Euler-Maruyama)";
    case SamplerKind::pc: return "Predictor-corrector";
    case SamplerKind::ode: return "Probability-flow ODE";
    case SamplerKind::ddpm: return "DDPM ancestral";
  }
  return "Sampler";
}

const char* noise_title(NoiseKind kind) {
  switch (kind) {
    case NoiseKind::geometric: return "geometric noise levels";
    case NoiseKind::edm: return "EDM noise levels";
    case NoiseKind::ve: return "VE SDE";
    case NoiseKind::vp: return "VP SDE";
    case NoiseKind::subvp: return "sub-VP SDE";
  }
  return "noise";
}

std::string level_text(const NoiseLevel& level, NoiseKind kind) {
  char text[160];
  if (kind == NoiseKind::vp || kind == NoiseKind::subvp)
    std::snprintf(text, sizeof text, "t = %.3f · m(t) = %.3f · s(t) = %.3f", level.t, level.m, level.s);
  else
    std::snprintf(text, sizeof text, "t = %.3f · σ = %.3g", level.t, level.s);
  return text;
}

std::string plane_title(const LoadedScene& scene) {
  const DataConfig& data = scene.scene.data;
  if (same_data(data, scene.preset_data)) return preset_title(scene);
  if (data.kind == DataKind::points) {
    const std::string name = data.file.empty() || std::filesystem::path(data.file).filename() == kDrawnPointsFile
                                 ? std::string("Drawn points")
                                 : std::filesystem::path(data.file).filename().string();
    return name + " (N = " + std::to_string(data.points.cols()) + ")";
  }
  return preset_title(scene) + " · data edited";
}

std::string live_score_label(const LoadedScene& scene, const Lab& lab) {
  if (lab.particles().source == ScoreSource::exact) return exact_score_label(scene);
  // Never silently: an untrained network's arrows and particles are noise, and the plane says so.
  if (!lab.learned()) return "learned score: no network yet, the exact score runs (T trains)";
  const int64_t step = lab.snapshot() ? lab.snapshot()->step : 0;
  if (step == 0) return "learned score: the network is untrained: press T, or use the exact score";
  return "learned score (training step " + std::to_string(step) + ")";
}

Caption live_caption(const LoadedScene& scene, const Lab& lab) {
  Caption c;
  c.title = plane_title(scene);
  char line[240];
  std::snprintf(line, sizeof line, "%ld points · %s", static_cast<long>(scene.points.cols()),
                describe_data(scene.scene.data).c_str());
  c.lines.push_back(line);
  if (!lab.particles().show || !lab.run().started()) return c;
  // Short lines: at 2× on a projector every wrapped line hides data. The particle count is in the
  // key, m(t) and s(t) in the Particles panel.
  if (lab.particles().forward)
    std::snprintf(line, sizeof line, "Forward process (%s)", noise_title(scene.scene.noise.kind));
  else
    std::snprintf(line, sizeof line, "%s · %s", sampler_title(scene.scene.sampler.kind),
                  live_score_label(scene, lab).c_str());
  c.lines.push_back(line);
  const int step = lab.run().step_of(lab.shown_frame_index());
  std::snprintf(line, sizeof line, "step %d / %d · t = %.3f", step, lab.run().num_steps(), lab.run().level_at_step(step).t);
  c.lines.push_back(line);
  return c;
}

Caption pane_caption(const std::string& name, const LoadedScene& scene, const Lab& lab, const std::string& score_label) {
  Caption c;
  const SamplerConfig& sampler = scene.scene.sampler;
  c.title = name + ": " + sampler_title(sampler.kind);
  char line[240];
  const bool annealed = sampler.kind == SamplerKind::annealed;
  std::snprintf(line, sizeof line, "%s · %d steps%s · %s", noise_title(scene.scene.noise.kind),
                annealed ? sampler.steps_per_level : sampler.steps, annealed ? " per level" : "", score_label.c_str());
  c.lines.push_back(line);
  if (!lab.run().started()) return c;
  const int step = lab.run().step_of(lab.shown_frame_index());
  std::snprintf(line, sizeof line, "step %d / %d · t = %.3f · NFE %ld", step, lab.run().num_steps(),
                lab.run().level_at_step(step).t, lab.nfe());
  c.lines.push_back(line);
  return c;
}

PlaneKey plane_key(const LoadedScene& scene, const Lab& lab, const PlaneStyle& style) {
  PlaneKey key;
  const PlanePalette& p = style.palette;
  // Short labels: the caption has the counts; the key only says which mark is which.
  if (style.show_points && scene.points.cols() > 0) {
    key.data = KeyMark{p.points, "data"};
    if (lab.shown_heatmap_legend()) {
      key.data->color = p.points_on_heatmap;  // as PlaneRenderer draws them over the heatmap
      key.data_rim = p.point_outline;
    }
  }
  const bool particles = lab.particles().show && lab.run().started();
  if (particles) {
    const std::string n = std::to_string(lab.run().count());
    key.samples = KeyMark{p.particles, lab.particles().forward ? n + " noised points" : n + " samples"};
  }
  if (particles && lab.particles().show_trails && lab.particles().trail_length > 0)
    key.trails = KeyMark{p.particles, "trails"};
  if (particles && lab.field().tweedie_arrows) key.tweedie = KeyMark{tweedie_color(style.theme), "→ E[x₀ | xₜ]"};
  const bool field = lab.field().show && lab.exact() && (lab.field().kind == FieldKind::true_score || lab.learned());
  if (field && lab.field_state().shown_reference > 0.0) {
    ArrowKey arrows;
    arrows.map = arrow_color_map(style.theme);
    arrows.u_lo = lab.field().style == FieldStyle::streamlines ? 0.3 : 0.15;  // line_color / magnitude_color
    arrows.reference = lab.field_state().shown_reference;
    const char* what = lab.field().style == FieldStyle::streamlines ? "lines" : "arrows";
    switch (lab.field().kind) {
      case FieldKind::true_score: arrows.label = std::string(what) + " |∇log pₜ|"; break;
      case FieldKind::learned: arrows.label = std::string(what) + " |s_θ|"; break;
      case FieldKind::difference: arrows.label = std::string(what) + " |s_θ − ∇log pₜ|"; break;
    }
    key.arrows = arrows;
  }
  return key;
}

}  // namespace scorelab
