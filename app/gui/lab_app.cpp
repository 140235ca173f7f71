// The GUI's shorthands over app.lab and app.scene, and the screen sizes the lab layers need
// (ImGui's font height, the HiDPI scale). The lab itself (lab.cpp, lab_layers.cpp) knows no ImGui.
#include <imgui.h>

#include <cstdio>
#include <cstdlib>

#include "app/gui/lab_app.hpp"

#include "app/gui/app.hpp"

namespace scorelab {

void init_lab(App& app) {
  // --backend applies to the first lab (start-up); later the Sampler panel's switch decides.
  if (app.options.backend && app.frame == 0)
    app.lab.particles.backend = *app.options.backend == "cpu" ? ParticleBackend::cpu : ParticleBackend::gpu;
  // --score likewise sets the particles' score at start-up (scripted pictures and tests).
  if (app.options.score && app.frame == 0)
    app.lab.particles.source = *app.options.score == "learned" ? ScoreSource::learned : ScoreSource::exact;
  app.lab.gl_worker = app.gl_worker;
  init_lab(app.lab, app.scene);
  // SCORELAB_LAYERS (see --help) sets the field and heatmap layers at start-up; a bad one is reported.
  const char* layers = std::getenv("SCORELAB_LAYERS");
  if (layers != nullptr && app.frame == 0) {
    try {
      OtherLayers other;
      apply_layers_spec(layers, app.lab.field, app.lab.heatmap, &other);
      if (other.points) app.settings.show_points = *other.points;
      if (other.particles) app.lab.particles.show = *other.particles;
    } catch (const InputError& e) {
      std::fprintf(stderr, "scorelab: %s\n", e.what());
      set_status(app, e.what(), true);
    }
  }
}
void restart_sampler(App& app) { restart_sampler(app.lab, app.scene); }
void toggle_playback(App& app) {
  Lab& lab = app.lab;
  if (lab.scrub >= 0) {  // continue from the scrubbed frame
    lab.run.rewind_to(lab.scrub);
    lab.scrub = -1;
    lab.particles.playing = true;
  } else if (lab.run.started() && lab.run.finished()) {
    restart_and_play(app);  // the end of a run is no dead end
  } else {
    lab.particles.playing = !lab.particles.playing;
  }
}

void restart_and_play(App& app) {
  restart_sampler(app);
  app.lab.particles.playing = true;
}

void rebuild_trainer(App& app) { rebuild_trainer(app.lab, app.scene); }
void update_lab(App& app) {
  Lab& lab = app.lab;
  if (lab.run.started() && lab.run.config().kind == SamplerKind::langevin && !lab.particles.forward) {
    lab.sampler_score.set(sampler_target(lab));
    const double smallest = discrete_levels(app.scene.scene.noise).back().s;
    if (lab.sampler_score.lowest_noise(smallest) != lab.run_score_lowest) restart_sampler(app);
  }
  update_lab(lab);
}
NoiseLevel field_level(const App& app) { return field_level(app.lab, app.scene.scene.noise); }
Points shown_particles(const App& app) { return shown_particles(app.lab); }
int shown_frame_index(const App& app) { return shown_frame_index(app.lab); }

void build_lab_layers(App& app) {
  if (!app.plane_draw.visible) return;
  const float pixel_scale = app.content_scale * ImGui::GetIO().DisplayFramebufferScale.x;
  const LabLayerFrame frame{app.scene, app.view, *app.renderer, ImGui::GetFontSize(), pixel_scale};
  build_lab_layers(app.lab, frame, app.plane_draw.style);
}

}  // namespace scorelab
