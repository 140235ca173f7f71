#include "app/gui/side_by_side.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "app/export/plane_caption.hpp"
#include "app/gui/app.hpp"

namespace scorelab {

PaneGrid pane_grid(int cells) {
  if (cells == 4) return {2, 2};
  return {std::max(1, cells), 1};
}

std::string pane_name(const App& app, int cell) {
  const std::string letter(1, static_cast<char>('A' + cell));
  if (app.panes.mode() != PaneMode::objectives || cell >= static_cast<int>(app.panes.objectives().size())) return letter;
  return letter + " · " + to_string(app.panes.objectives()[static_cast<size_t>(cell)]);
}

const Lab& cell_lab(const App& app, int cell) { return cell == 0 ? app.lab : app.panes.lab(cell - 1); }

double mean_relative_fisher(const App& app, int cell, int64_t* step) {
  const FisherState& f = cell_lab(app, cell).fisher();
  if (!f.report || f.report->levels.empty()) return NAN;
  double sum = 0.0;
  int n = 0;
  for (const FisherLevel& l : f.report->levels)
    if (std::isfinite(l.value)) {
      sum += l.value;
      ++n;
    }
  if (step) *step = f.report_step;
  return n > 0 ? sum / n : NAN;
}

namespace {

const LoadedScene& cell_scene(const App& app, int cell) { return cell == 0 ? app.scene : app.panes.scene(cell - 1); }

// "rel. Fisher 0.042 (step 1200)": the mean over the levels of the newest finished job of the cell's lab.
std::string fisher_text(const App& app, int cell) {
  int64_t step = 0;
  const double d = mean_relative_fisher(app, cell, &step);
  if (!std::isfinite(d)) return "rel. Fisher …";
  char line[96];
  std::snprintf(line, sizeof line, "rel. Fisher %.3g (step %lld)", d, static_cast<long long>(step));
  return line;
}

}  // namespace

Caption cell_caption(const App& app, int cell) {
  const Lab& lab = cell_lab(app, cell);
  const LoadedScene& scene = cell_scene(app, cell);
  Caption c = pane_caption(pane_name(app, cell), scene, lab, live_score_label(scene, lab));
  if (cell > 0 && !app.panes.note(cell - 1).empty()) c.lines.push_back(app.panes.note(cell - 1));
  if (app.panes.mode() == PaneMode::objectives) {
    // Every pane runs A's sampler and schedule: the title names the objective, the lines its network.
    // Short: four panes share the plane. The network's training step is in the Fisher's brackets.
    c.title = pane_name(app, cell);
    c.lines.erase(c.lines.begin());
    c.lines.push_back(fisher_text(app, cell));
  }
  return c;
}

void close_panes(App& app) {
  app.panes.close();
  app.pane_renderers.clear();
  app.fit_requested = true;  // the plane is one cell again: the data fitted to it
}

void toggle_split_view(App& app) {
  if (app.panes.is_open()) {
    close_panes(app);
    return;
  }
  PaneSettings b = pane_settings_of(app.scene.scene, app.lab.particles().source);
  const SamplerKind a = app.scene.scene.sampler.kind;
  b.sampler = a == SamplerKind::ode ? SamplerKind::em : SamplerKind::ode;
  if (a == SamplerKind::annealed || a == SamplerKind::langevin) b.steps = app.scene.scene.sampler.steps;
  app.panes.open_split(app.lab, app.scene, b);
  app.panes_dirty = true;
  app.fit_requested = true;  // the data fitted to a cell
}

std::string open_split_from_file(App& app, const std::filesystem::path& path) {
  try {
    const LoadedScene b = pane_scene_from(app.scene, load_scene_for_view(path).scene);
    app.panes.open_split(app.lab, app.scene, pane_settings_of(b.scene, app.lab.particles().source));
    app.panes_dirty = true;
    app.fit_requested = true;
    return {};
  } catch (const InputError& e) {
    return e.what();
  }
}

std::string compare_objectives(App& app, const std::vector<Objective>& objectives) {
  std::string problem = app.panes.open_objectives(app.lab, app.scene, objectives);
  if (problem.empty()) {
    app.panes_dirty = true;
    app.fit_requested = true;
    app.scene.scene.train = to_json(app.lab.trainer()->train_config());  // A trains the first: the document says so
  }
  return problem;
}

void open_panes_from_env(App& app) {
  std::string problem;
  if (const char* split = std::getenv("SCORELAB_SPLIT"); split != nullptr && *split != '\0') {
    problem = open_split_from_file(app, split);
  } else if (const char* list = std::getenv("SCORELAB_COMPARE"); list != nullptr && *list != '\0') {
    std::vector<Objective> objectives;
    std::stringstream items(list);
    std::string item;
    try {
      while (std::getline(items, item, ',')) objectives.push_back(parse_objective(item));
      problem = compare_objectives(app, objectives);
    } catch (const InputError& e) {
      problem = e.what();
    }
  }
  if (problem.empty()) return;
  std::fprintf(stderr, "scorelab: side by side: %s\n", problem.c_str());
  set_status(app, "side by side: " + problem, true);
}

void update_panes(App& app) {
  if (!app.panes.is_open()) {
    if (!app.pane_renderers.empty()) app.pane_renderers.clear();
    app.plane_draw.panes.clear();
    return;
  }
  app.panes.update(app.lab);
  if (app.panes.mode() == PaneMode::objectives) app.lab.update_fisher();  // A's, beside the panes'
  if (app.panes_dirty || static_cast<int>(app.pane_renderers.size()) != app.panes.size()) {
    app.pane_renderers.clear();
    for (int k = 0; k < app.panes.size(); ++k) {
      auto renderer = std::make_unique<PlaneRenderer>();
      renderer->set_data(app.panes.scene(k).points);
      renderer->set_mixture(app.panes.scene(k).mixture);
      app.pane_renderers.push_back(std::move(renderer));
    }
    app.panes_dirty = false;
  }
}

void build_pane_layers(App& app) {
  if (!app.plane_draw.visible) return;
  const float pixel_scale = app.content_scale * ImGui::GetIO().DisplayFramebufferScale.x;
  const size_t n = std::min({app.plane_draw.panes.size(), app.pane_renderers.size(), static_cast<size_t>(app.panes.size())});
  for (size_t k = 0; k < n; ++k) {
    const LabLayerFrame frame{app.panes.scene(static_cast<int>(k)), app.view, *app.pane_renderers[k], ImGui::GetFontSize(),
                              pixel_scale};
    app.panes.lab(static_cast<int>(k)).build_layers(frame, app.plane_draw.panes[k].style);
  }
}

void render_panes(App& app) {
  if (!app.plane_draw.visible) return;
  const size_t n = std::min(app.plane_draw.panes.size(), app.pane_renderers.size());
  for (size_t k = 0; k < n; ++k) {
    const App::PlaneDraw::Cell& cell = app.plane_draw.panes[k];
    app.pane_renderers[k]->render_in_window(app.view, cell.style, app.plane_draw.min_major_px, cell.x, cell.y);
  }
}

}  // namespace scorelab
