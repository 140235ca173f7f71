// The GUI's shorthands over app.lab and app.scene, and the screen sizes the lab layers need
// (ImGui's font height, the HiDPI scale). The lab itself (lab.cpp, lab_layers.cpp) knows no ImGui.
#include <imgui.h>

#include "app/gui/app.hpp"

namespace scorelab {

void init_lab(App& app) { init_lab(app.lab, app.scene); }
void restart_sampler(App& app) { restart_sampler(app.lab, app.scene); }
void rebuild_trainer(App& app) { rebuild_trainer(app.lab, app.scene); }
void update_lab(App& app) { update_lab(app.lab); }
NoiseLevel field_level(const App& app) { return field_level(app.lab, app.scene.scene.noise); }
const FramePoints& shown_frame(const App& app) { return shown_frame(app.lab); }
int shown_frame_index(const App& app) { return shown_frame_index(app.lab); }

void build_lab_layers(App& app) {
  if (!app.plane_draw.visible) return;
  const float pixel_scale = app.content_scale * ImGui::GetIO().DisplayFramebufferScale.x;
  const LabLayerFrame frame{app.scene, app.view, *app.renderer, ImGui::GetFontSize(), pixel_scale};
  build_lab_layers(app.lab, frame, app.plane_draw.style);
}

}  // namespace scorelab
