// The GUI's shorthands over app.lab and app.scene, and the screen sizes the lab layers need
// (ImGui's font height, the HiDPI scale). The lab itself (lab.cpp, lab_layers.cpp) knows no ImGui.
#include <imgui.h>

#include <cstdio>
#include <cstdlib>

#include "app/gui/lab_app.hpp"

#include "app/gui/app.hpp"
#include "app/gui/side_by_side.hpp"
#include "app/lab/lab_show.hpp"

namespace scorelab {

void init_lab(App& app, const SceneShow* show) {
  Lab& lab = app.lab;
  if (show) apply_show(lab, *show);  // a new scene: its preset state first, the options over it
  ParticleSettings particles = lab.particles();
  // --backend applies to the first lab (start-up); later the Sampler panel's switch decides.
  if (app.options.backend && app.frame == 0)
    particles.backend = *app.options.backend == "cpu" ? ParticleBackend::cpu : ParticleBackend::gpu;
  // --score likewise sets the particles' score at start-up (scripted pictures and tests).
  if (app.options.score && app.frame == 0)
    particles.source = *app.options.score == "learned" ? ScoreSource::learned : ScoreSource::exact;
  lab.set_particles(particles);  // before a first load: nothing to restart yet
  lab.set_gl_worker(app.gl_worker);
  lab.load(app.scene);
  if (app.panes.is_open()) {  // the panes share A's data: rebuilt over the new scene
    app.panes.rebase(lab, app.scene);
    app.panes_dirty = true;
  }
  // SCORELAB_LAYERS (see --help) sets the field and heatmap layers at start-up; a bad one is reported.
  const char* layers = std::getenv("SCORELAB_LAYERS");
  if (layers != nullptr && app.frame == 0) {
    try {
      OtherLayers other;
      FieldSettings field = lab.field();
      HeatmapSettings heatmap = lab.heatmap();
      apply_layers_spec(layers, field, heatmap, &other);
      lab.set_field(field);
      lab.set_heatmap(heatmap);
      if (other.points) app.settings.show_points = *other.points;
      if (other.particles) {
        particles = lab.particles();
        particles.show = *other.particles;
        lab.set_particles(particles);
      }
    } catch (const InputError& e) {
      std::fprintf(stderr, "scorelab: %s\n", e.what());
      set_status(app, e.what(), true);
    }
  }
}
void restart_sampler(App& app) { app.lab.restart(app.scene); }
void toggle_playback(App& app) { app.lab.toggle_playback(); }
void restart_and_play(App& app) { app.lab.restart_and_play(); }
void rebuild_trainer(App& app) { app.lab.rebuild_trainer(app.scene); }
void update_lab(App& app) { app.lab.update(); }
NoiseLevel field_level(const App& app) { return app.lab.field_level(); }
Points shown_particles(const App& app) { return app.lab.shown_particles(); }
int shown_frame_index(const App& app) { return app.lab.shown_frame_index(); }

void build_lab_layers(App& app) {
  if (!app.plane_draw.visible) return;
  const float pixel_scale = app.content_scale * ImGui::GetIO().DisplayFramebufferScale.x;
  const LabLayerFrame frame{app.scene, app.view, *app.renderer, ImGui::GetFontSize(), pixel_scale};
  app.lab.build_layers(frame, app.plane_draw.style);
  build_pane_layers(app);
}

}  // namespace scorelab
