// The Lab as a small object (app/lab/lab.hpp), on a headless GL context as the exporter drives it:
//   1. its API: a loaded scene restarts to the sampler's initial cloud, and settings round-trip;
//   2. one network change (a new snapshot) reaches the particles, the arrows and the heatmap once
//      each, however many frames follow;
//   3. one snapshot is packed and uploaded once: the weight uploads of this thread go up by exactly 1
//      per snapshot after particles, arrows and heatmap all used it, and the particle engine and the
//      arrows bind the same GL buffer (read back from GL's binding point after each dispatch).
// Before the shared upload each view made its own GpuScore: 2 uploads per snapshot (particles and
// arrows), 3 with the hand-over check, and two buffer names.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include "app/gpu/bindings.hpp"
#include "app/gpu/gpu_field_arrows.hpp"
#include "app/lab/gpu_particle_engine.hpp"
#include "app/lab/lab.hpp"
#include "core/samplers/sampler.hpp"
#include "gpu_test_context.hpp"
#include "seeded_network.hpp"

namespace scorelab {
namespace {

// The starting scene, small: 256 particles, 40 Euler–Maruyama steps.
LoadedScene small_scene() {
  LoadedScene scene = load_scene_for_view(default_scene_path());
  scene.scene.sampler.kind = SamplerKind::em;
  scene.scene.sampler.steps = 40;
  scene.scene.sampler.particles = 256;
  return scene;
}

// What a window would give build_layers: a view of the scene's bounds and a renderer.
struct Frame {
  explicit Frame(const LoadedScene& scene) {
    view.viewport = Vec2(320.0, 240.0);
    view.center = 0.5 * (scene.bounds.min + scene.bounds.max);
    view.pixels_per_unit = 20.0;
  }
  void draw(Lab& lab, const LoadedScene& scene) {
    PlaneStyle style;
    lab.build_layers(LabLayerFrame{scene, view, renderer, 16.0f, 1.0f}, style);
  }
  ViewTransform view;
  PlaneRenderer renderer;
};

std::shared_ptr<const Snapshot> snapshot_of(const std::shared_ptr<const Mlp<float>>& net, uint64_t version) {
  return std::make_shared<const Snapshot>(Snapshot{version, 0, static_cast<int64_t>(100 * version), net, 0, 0.0});
}

// A lab showing the learned score everywhere: particles on the GPU, GPU arrows, the score-error heatmap.
void show_learned_everywhere(Lab& lab) {
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::gpu;
  p.source = ScoreSource::learned;
  p.playing = true;
  p.steps_per_frame = 1;
  p.budget_ms = 1e4f;  // one whole step a frame, whatever llvmpipe costs
  lab.set_particles(p);
  FieldSettings f = lab.field();
  f.show = true;
  f.kind = FieldKind::learned;
  f.style = FieldStyle::arrows;
  f.device = ComputeDevice::gpu;  // also on llvmpipe
  lab.set_field(f);
  HeatmapSettings h = lab.heatmap();
  h.show = true;
  h.kind = HeatmapKind::score_error;
  h.resolution = 32;
  lab.set_heatmap(h);
}

GLuint bound_network_weights() {
  GLint name = 0;
  glGetIntegeri_v(GL_UNIFORM_BUFFER_BINDING, gpu::binding::kMlpHead, &name);
  return static_cast<GLuint>(name);
}

TEST_CASE("Lab: a restart starts from the sampler's initial cloud; settings round-trip") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = small_scene();
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;  // core's positions, compared exactly
  lab.set_particles(p);
  lab.load(scene);
  lab.run_synchronously();
  REQUIRE(lab.sampler_error().empty());
  REQUIRE(lab.run().started());
  const Points start = initial_particles(scene.scene.sampler, scene.scene.noise);
  CHECK(lab.run().particles() == start);
  CHECK(lab.advance(5) == 5);
  CHECK(lab.run().step() == 5);
  CHECK(lab.run().particles() != start);
  lab.restart();
  CHECK(lab.run().step() == 0);
  CHECK(lab.run().particles() == start);
  CHECK(lab.shown_particles() == start);

  FieldSettings f = lab.field();
  f.kind = FieldKind::difference;
  f.spacing_em = 3.5f;
  f.follow_sampler = false;
  f.t = 0.25f;
  lab.set_field(f);
  CHECK(lab.field().kind == FieldKind::difference);
  CHECK(lab.field().spacing_em == 3.5f);
  CHECK(lab.field().t == 0.25f);
  CHECK(lab.field_level().t == doctest::Approx(0.25));
  HeatmapSettings h = lab.heatmap();
  h.kind = HeatmapKind::score_error;
  h.opacity = 0.3f;
  lab.set_heatmap(h);
  CHECK(lab.heatmap().kind == HeatmapKind::score_error);
  CHECK(lab.heatmap().opacity == 0.3f);
  p = lab.particles();
  p.size = 7.0f;
  p.trail_length = 11;
  lab.set_particles(p);
  CHECK(lab.particles().size == 7.0f);
  CHECK(lab.particles().trail_length == 11);
  CHECK(lab.run().step() == 0);

  // A new direction restarts the run (forward: from the training points).
  lab.advance(3);
  p.forward = true;
  lab.set_particles(p);
  CHECK(lab.run().step() == 0);
  CHECK(lab.particles().forward);

  // Scrubbing pauses on a recorded frame; Play continues from it.
  p.forward = false;
  lab.set_particles(p);
  for (int i = 0; i < 4; ++i) lab.advance(1);  // a recorded frame per call
  REQUIRE(lab.run().frames() == 5);
  lab.scrub_to(2);
  CHECK(lab.scrub_frame() == 2);
  CHECK_FALSE(lab.particles().playing);
  lab.toggle_playback();
  CHECK(lab.scrub_frame() == -1);
  CHECK(lab.particles().playing);
  CHECK(lab.run().step() == 2);

  // A session may hold its lab by value: the run and the settings move with it.
  Lab moved = std::move(lab);
  CHECK(moved.run().step() == 2);
  CHECK(moved.particles().size == 7.0f);
  CHECK(moved.field().kind == FieldKind::difference);
}

TEST_CASE("Lab: one snapshot reaches particles, arrows and heatmap once, through one upload") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = small_scene();
  Lab lab;
  lab.load(scene);
  lab.run_synchronously();  // no training thread; every layer complete in its call
  show_learned_everywhere(lab);
  Frame frame(scene);

  const int snapshots = 3, frames_per_snapshot = 3;
  for (int k = 1; k <= snapshots; ++k) {
    CAPTURE(k);
    const long uploads_before = GpuScore::weight_uploads_on_this_thread();
    const uint64_t change_before = lab.network_change();
    auto net = test::seeded_network({16, 12}, 40 + k, 1.5);
    lab.adopt_network(std::make_shared<const NetworkScore>(net), snapshot_of(net, k));
    CHECK(lab.network_change() == change_before + 1);
    if (k == 1) lab.restart();  // the run starts on the learned score (built on its shared upload)
    for (int f = 0; f < frames_per_snapshot; ++f) {
      lab.update();
      REQUIRE(lab.sampler_error().empty());
      REQUIRE(lab.backend_note().empty());  // the particles are on the GPU
      GpuParticleEngine* engine = lab.run().engine()->as_gpu();
      REQUIRE(engine != nullptr);
      const std::shared_ptr<const GpuScore> shared = lab.uploaded_network();
      REQUIRE(shared != nullptr);
      const GLuint weights = shared->weight_buffer();
      REQUIRE(weights != 0);
      // The particles' step bound the shared weights, and the engine reads them next step.
      CHECK(bound_network_weights() == weights);
      CHECK(engine->weight_buffer() == weights);
      glBindBufferBase(GL_UNIFORM_BUFFER, gpu::binding::kMlpHead, 0);  // the arrows must bind it again
      frame.draw(lab, scene);
      REQUIRE(lab.field_state().gpu_used);  // the arrows came from the GPU kernel
      CHECK(bound_network_weights() == weights);
      CHECK(lab.field_state().gpu->learned_weight_buffer() == weights);
      CHECK(lab.heatmap_note().empty());
    }
    // One pack and upload of this snapshot's weights on this context, whoever used it.
    CHECK(GpuScore::weight_uploads_on_this_thread() - uploads_before == 1);
    const SnapshotDeliveries& d = lab.deliveries();
    CHECK(d.particles == k);
    CHECK(d.arrows == k);
    CHECK(d.heatmap == k);
  }
  CHECK(lab.run().step() > 0);
}

TEST_CASE("Lab: the trainer's snapshots raise one network change each, however many frames follow") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = small_scene();
  Lab lab;
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;
  p.source = ScoreSource::learned;
  lab.set_particles(p);
  lab.load(scene);
  REQUIRE(lab.trainer() != nullptr);
  const uint64_t start = lab.network_change();
  for (int round = 1; round <= 3; ++round) {
    CAPTURE(round);
    if (round > 1) {
      lab.trainer()->step(3);  // then the trainer publishes a snapshot and pauses
      REQUIRE(lab.trainer()->wait(std::chrono::seconds(60)));
    }
    for (int frame = 0; frame < 4; ++frame) lab.update();
    REQUIRE(lab.snapshot() != nullptr);
    CHECK(lab.network_change() == start + static_cast<uint64_t>(round));
    CHECK(lab.deliveries().particles == round);
    CHECK(lab.learned() != nullptr);
  }
  lab.stop_training();
}

TEST_CASE("Lab: with the exact score everywhere, a snapshot reaches no view and uploads nothing") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = small_scene();
  Lab lab;
  lab.load(scene);
  lab.run_synchronously();
  show_learned_everywhere(lab);
  ParticleSettings p = lab.particles();
  p.source = ScoreSource::exact;
  lab.set_particles(p);
  FieldSettings f = lab.field();
  f.kind = FieldKind::true_score;
  lab.set_field(f);
  HeatmapSettings h = lab.heatmap();
  h.kind = HeatmapKind::log_density;
  lab.set_heatmap(h);
  Frame frame(scene);
  const long uploads_before = GpuScore::weight_uploads_on_this_thread();
  auto net = test::seeded_network({16, 12}, 7, 1.5);
  lab.adopt_network(std::make_shared<const NetworkScore>(net), snapshot_of(net, 1));
  for (int i = 0; i < 3; ++i) {
    lab.update();
    frame.draw(lab, scene);
  }
  CHECK(GpuScore::weight_uploads_on_this_thread() == uploads_before);
  CHECK(lab.deliveries().particles == 0);
  CHECK(lab.deliveries().arrows == 0);
  CHECK(lab.deliveries().heatmap == 0);
}

}  // namespace
}  // namespace scorelab
