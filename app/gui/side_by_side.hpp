// Side by side in the window (issue 15): the split view (View ▸ Split, Ctrl+D: A and a pane B with
// its own sampler, steps, schedule and score) and objectives compared (2–4 objectives, each training
// its own network, one pane each). The panes live in app.panes (app/lab/lab_panes.hpp: lockstep,
// the shared network, the trainers); here they get a renderer each and a cell of the plane. The
// plane is split into cells of one size (2: a row, 3: a row, 4: 2×2); one view transform, the
// size of a cell, serves them all, so pan and zoom move every pane together.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "app/render/plane_overlay.hpp"
#include "core/training/objectives.hpp"

namespace scorelab {

struct App;
class Lab;

// Ctrl+D and View ▸ Split: opens pane B (the probability-flow ODE beside a stochastic sampler, else
// Euler–Maruyama, with A's steps and schedule) or closes the panes.
void toggle_split_view(App& app);
// B from a scene file's sampler and noise sections (SCORELAB_SPLIT=B.json). Returns "" or the problem.
std::string open_split_from_file(App& app, const std::filesystem::path& path);
// Trains `objectives` (2–4) side by side: A the first, a pane each for the others. "" or the problem.
std::string compare_objectives(App& app, const std::vector<Objective>& objectives);
void close_panes(App& app);
// At start-up: SCORELAB_SPLIT=B.json opens the split view, SCORELAB_COMPARE=ncsn,dsm,... the
// objectives compared (a bad value goes to stderr and the status line).
void open_panes_from_env(App& app);

// Once a frame, after update_lab: the panes step in lockstep with A; new panes get renderers.
void update_panes(App& app);
// After build_lab_layers: each pane's layers into its renderer, for its cell.
void build_pane_layers(App& app);
// After the plane is drawn: each pane's picture in its cell.
void render_panes(App& app);

// The plane's cells for 1 + panes: columns and rows.
struct PaneGrid {
  int columns = 1, rows = 1;
};
PaneGrid pane_grid(int cells);
// The name a cell's caption gives its pane: "A", "B" (split) or the objective ("A · dsm").
std::string pane_name(const App& app, int cell);
// The mean over noise levels of the newest relative Fisher divergence of the cell's lab (NaN: none yet),
// and the training step it describes.
double mean_relative_fisher(const App& app, int cell, int64_t* step = nullptr);
// The lab of cell `cell` (0: A) and its scene.
const Lab& cell_lab(const App& app, int cell);
// The caption of cell `cell` (0: A): its settings and NFE, and in objectives mode its network's
// training step and relative Fisher divergence.
Caption cell_caption(const App& app, int cell);

}  // namespace scorelab
