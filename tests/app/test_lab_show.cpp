// A preset restores all of its own state (app/lab/lab_show.hpp): whatever the previous scene left in
// the lab (a learned score, a heatmap, another backend), applying a show section starts from the
// defaults, then the section's own settings.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "app/lab/lab_show.hpp"

using namespace scorelab;

TEST_CASE("a preset without a show section resets the lab's settings to the defaults") {
  Lab lab;
  ParticleSettings dirty = lab.particles();
  dirty.source = ScoreSource::learned;
  dirty.backend = ParticleBackend::cpu;
  dirty.forward = true;
  dirty.steps_per_frame = 40;
  dirty.frames_per_step = 60;
  dirty.pin_mode_weights = true;
  lab.set_particles(dirty);
  HeatmapSettings heat = lab.heatmap();
  heat.show = true;
  heat.kind = HeatmapKind::score_error;
  lab.set_heatmap(heat);
  FieldSettings field = lab.field();
  field.style = FieldStyle::streamlines;
  lab.set_field(field);

  apply_show(lab, parse_scene_show(nlohmann::json()));
  const ParticleSettings fresh;
  CHECK(lab.particles().source == ScoreSource::exact);
  CHECK(lab.particles().backend == fresh.backend);
  CHECK(!lab.particles().forward);
  CHECK(lab.particles().steps_per_frame == fresh.steps_per_frame);
  CHECK(lab.particles().frames_per_step == 1);
  CHECK(!lab.particles().pin_mode_weights);
  CHECK(!lab.heatmap().show);
  CHECK(lab.field().style == FieldStyle::arrows);
}

TEST_CASE("a show section's score, backend, layers and pace reach the lab") {
  Lab lab;
  apply_show(lab, parse_scene_show(nlohmann::json::parse(
                      R"({"score": "learned", "backend": "cpu", "layers": "heatmap=error_p,field=streamlines,particles=0",
                          "forward": true, "steps_per_frame": 7, "frames_per_step": 30, "pin": "mode_weights"})")));
  CHECK(lab.particles().source == ScoreSource::learned);
  CHECK(lab.particles().backend == ParticleBackend::cpu);
  CHECK(lab.particles().forward);
  CHECK(!lab.particles().show);
  CHECK(lab.particles().steps_per_frame == 7);
  CHECK(lab.particles().frames_per_step == 30);
  CHECK(lab.particles().pin_mode_weights);
  CHECK(lab.heatmap().show);
  CHECK(lab.heatmap().kind == HeatmapKind::score_error);
  CHECK(lab.heatmap().weight_by_p);
  CHECK(lab.field().style == FieldStyle::streamlines);
}
