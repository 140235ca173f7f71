// A scene's "show" section applied to a lab: opening or resetting a preset restores all of its own
// state (score, backend, direction, layers, heatmap, pace), starting from the defaults, not from
// what the previous scene left (a reset once kept "learned" on a network back at step 0).
#pragma once

#include "app/lab/lab.hpp"
#include "app/plane/scene_show.hpp"

namespace scorelab {

// The particle settings a preset starts with: the defaults with the show section's score,
// backend, direction, layer switches and pace.
ParticleSettings preset_particles(const SceneShow& show);

// Sets the lab's particle, field and heatmap settings to the preset's (before or after load()).
void apply_show(Lab& lab, const SceneShow& show);

}  // namespace scorelab
