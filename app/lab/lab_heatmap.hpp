// The heatmap and field layers of the lab, one file each (lab_heatmap.cpp, lab_field.cpp), called
// by build_lab_layers (lab_layers.cpp).
#pragma once

#include <string>

#include "app/lab/lab_state.hpp"

namespace scorelab {

// Fills the renderer's heatmap layer: the CPU maps when their inputs changed (throttled by their
// cost), the model's log-density from the density worker as its rows arrive. With lab.heatmap_sync
// the model image is complete when this returns (export).
void build_heatmap(LabState& lab, const LabLayerFrame& frame);

// The running model-density job's progress in [0, 1); −1 when none is shown or running.
double heatmap_progress(const LabState& lab);
// The legend of the heatmap image on the plane; null when the layer is hidden or empty.
const HeatmapLegend* shown_heatmap_legend(const LabState& lab);
// One line for the field panel ("rows 64/160 · GPU (llvmpipe …) · 3.2 s"); "" when not relevant.
std::string heatmap_status(const LabState& lab);

// Fills the renderer's field batch: arrows (GPU kernel or CPU) or streamlines of the chosen field,
// and the thin progress bar of a running model-density job along the top of the view.
void build_field(LabState& lab, const LabLayerFrame& frame, PlaneStyle& style);

}  // namespace scorelab
