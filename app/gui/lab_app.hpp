// The GUI's shorthands over app.lab and app.scene (lab_app.cpp): the lab's calls with the App's
// scene, start-up options and screen sizes (ImGui's font height, the HiDPI scale) filled in.
#pragma once

#include "app/lab/lab.hpp"
#include "app/plane/scene_show.hpp"

namespace scorelab {

struct App;

// Builds the lab for app.scene. With a show section (a scene just opened, reset or restored), the
// lab's settings are first set to the preset's; the start-up options (--backend, --score,
// SCORELAB_LAYERS) apply over them on the first frame.
void init_lab(App& app, const SceneShow* show = nullptr);
void restart_sampler(App& app);
void rebuild_trainer(App& app);
void update_lab(App& app);
NoiseLevel field_level(const App& app);
Points shown_particles(const App& app);
int shown_frame_index(const App& app);
void build_lab_layers(App& app);

}  // namespace scorelab
