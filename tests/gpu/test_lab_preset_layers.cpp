// The presets' plane features driven through the Lab as the exporter drives it (headless EGL, the
// particles on the CPU path): the Tweedie denoiser lines are drawn in their colour only when switched
// on, and the pinned mode-weight bars are counted from the shown particles only when pinned.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "app/lab/lab.hpp"
#include "app/plane/tweedie_lines.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

LoadedScene preset(const char* name) {
  LoadedScene scene = load_scene_for_view(default_scene_path().parent_path() / name);
  scene.scene.sampler.particles = 2000;
  return scene;
}

struct Frame {
  explicit Frame(const LoadedScene& scene) {
    view.viewport = Vec2(400.0, 300.0);
    view.center = 0.5 * (scene.bounds.min + scene.bounds.max);
    view.pixels_per_unit = 300.0 / std::max(1e-9, (scene.bounds.max - scene.bounds.min).maxCoeff());
  }
  // Builds the lab's layers and renders the frame; returns the pixels near `color`.
  long draw(Lab& lab, const LoadedScene& scene, const Rgba& color) {
    PlaneLook look;
    look.show_points = false;  // only the lab's layers
    look.show_grid = false;
    look.show_ellipses = false;
    PlaneStyle style = plane_style(Theme::dark, look, 1.0f);
    lab.build_layers(LabLayerFrame{scene, view, renderer, 16.0f, 1.0f}, style);
    renderer.render_offscreen(view, style, 1e9);
    const std::vector<uint8_t> rgba = renderer.target().read_rgba();
    long n = 0;
    for (size_t i = 0; i + 3 < rgba.size(); i += 4)
      if (std::abs(rgba[i] / 255.0f - color.r) < 0.15f && std::abs(rgba[i + 1] / 255.0f - color.g) < 0.15f &&
          std::abs(rgba[i + 2] / 255.0f - color.b) < 0.15f)
        ++n;
    return n;
  }
  ViewTransform view;
  PlaneRenderer renderer;
};

void cpu_lab(Lab& lab, const LoadedScene& scene, bool pin) {
  ParticleSettings p = lab.particles();
  p.backend = ParticleBackend::cpu;
  p.pin_mode_weights = pin;
  p.show_trails = false;
  lab.set_particles(p);
  lab.load(scene);
  lab.run_synchronously();
}

}  // namespace

TEST_CASE("Tweedie lines: drawn from the particles in their colour when switched on, not otherwise") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = preset("tweedie.json");
  Lab lab;
  cpu_lab(lab, scene, false);
  lab.advance(4);  // still noisy: the lines are long
  REQUIRE(lab.run().level().s > 0.3);
  FieldSettings f = lab.field();
  f.show = false;
  f.tweedie_arrows = false;
  lab.set_field(f);
  Frame frame(scene);
  const Rgba cyan = tweedie_color(Theme::dark);
  const long off = frame.draw(lab, scene, cyan);
  f.tweedie_arrows = true;
  lab.set_field(f);
  const long on = frame.draw(lab, scene, cyan);
  MESSAGE("line pixels: " << on << " on, " << off << " off");
  CHECK(on > 500);
  CHECK(off < 20);
  lab.stop_training();
}

TEST_CASE("pinned mode-weight bars: counted from the shown particles when pinned, for a mixture") {
  SCORELAB_REQUIRE_GPU();
  const LoadedScene scene = preset("ncsn_pitfall_langevin.json");
  REQUIRE(scene.mixture);
  Frame frame(scene);
  Lab unpinned;
  cpu_lab(unpinned, scene, false);
  unpinned.advance(20);
  frame.draw(unpinned, scene, Rgba{});
  CHECK(unpinned.pinned_mode_weights() == nullptr);
  unpinned.stop_training();

  Lab lab;
  cpu_lab(lab, scene, true);
  lab.advance(300);
  frame.draw(lab, scene, Rgba{});
  const ModeWeightBars* bars = lab.pinned_mode_weights();
  REQUIRE(bars != nullptr);
  REQUIRE(bars->share.size() == static_cast<size_t>(scene.mixture->size()));
  CHECK(bars->particles == 2000);
  CHECK(std::accumulate(bars->share.begin(), bars->share.end(), 0.0) == doctest::Approx(1.0));
  // The pitfall itself: plain Langevin from a uniform start splits about evenly, far from the truth.
  MESSAGE("shares " << bars->share[0] << " / " << bars->share[1] << " against " << bars->truth[0] << " / "
                    << bars->truth[1]);
  CHECK(bars->truth[0] == doctest::Approx(scene.mixture->components()[0].weight));
  CHECK(std::abs(bars->share[0] - 0.5) < 0.1);
  CHECK(std::abs(bars->share[0] - bars->truth[0]) > 0.2);
  lab.stop_training();
}

}  // namespace scorelab
