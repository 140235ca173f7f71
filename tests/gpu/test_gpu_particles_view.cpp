// The GUI's GPU particle path: the engine's ring of frames holds what core's sampler computes after
// the same steps (within test_gpu_parity.cpp's tolerances: median ≤ 2·10⁻⁶·scale, 99 % ≤ 2·10⁻⁵·scale,
// all ≤ 10⁻³·scale, reasoned there), the ring forgets only its oldest frames, a rewind continues the
// same run, the forward process matches core's, and the view draws the particle buffer in place:
// N points, T·segments trail quads, at the right pixels. New positions of many particles are splatted
// over several draws, showing the previous picture (points and trails together) until complete.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "app/gl/compute.hpp"
#include "app/lab/gpu_particle_engine.hpp"
#include "app/render/particle_view.hpp"
#include "core/forward_process.hpp"
#include "core/mixture.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

GaussianMixture test_mixture() {
  Mat2 a, b;
  a << 1.0, 0.3, 0.3, 0.5;
  b << 0.4, -0.1, -0.1, 0.8;
  return GaussianMixture({{0.6, Vec2(-3.0, 1.0), a}, {0.4, Vec2(3.0, 2.0), b}});
}

SamplerConfig pc_config(int particles) {
  SamplerConfig c;
  c.kind = SamplerKind::pc;
  c.particles = particles;
  c.seed = 7;
  c.steps = 60;
  return c;
}

NoiseConfig vp_noise() {
  NoiseConfig n;
  n.kind = NoiseKind::vp;
  return n;
}

void check_parity(const Points& gpu, const Points& cpu) {
  REQUIRE(gpu.cols() == cpu.cols());
  REQUIRE(gpu.allFinite());
  const Eigen::VectorXd err = (gpu - cpu).colwise().norm().transpose();
  std::vector<double> e(err.data(), err.data() + err.size());
  std::sort(e.begin(), e.end());
  const double scale = std::max(cpu.cwiseAbs().maxCoeff(), 1.0);
  CHECK(e[e.size() / 2] <= 2e-6 * scale);
  CHECK(e[e.size() * 99 / 100] <= 2e-5 * scale);
  CHECK(e.back() <= 1e-3 * scale);
}

// Both runs advanced `per_frame` steps a frame; every frame still in the GPU ring is compared.
void check_ring_against_core(ParticleRun& gpu_run, ParticleRun& cpu_run, int per_frame) {
  while (!cpu_run.finished()) {
    cpu_run.advance(per_frame);
    gpu_run.advance(per_frame);
  }
  REQUIRE(gpu_run.step() == cpu_run.step());
  CHECK(gpu_run.nfe() == cpu_run.nfe());
  const int offset = cpu_run.frames() - gpu_run.frames();  // frames the ring has forgotten
  REQUIRE(offset >= 0);
  for (int i = 0; i < gpu_run.frames(); ++i) {
    CAPTURE(i);
    REQUIRE(gpu_run.step_of(i) == cpu_run.step_of(i + offset));
    check_parity(gpu_run.engine()->download(i), cpu_run.engine()->download(i + offset));
  }
  check_parity(gpu_run.particles(), cpu_run.particles());
}

// A w × h RGBA8 framebuffer, cleared to black; the test draws into it and reads it back.
struct Canvas {
  gl::Texture texture = gl::make_texture();
  gl::Framebuffer fbo = gl::make_framebuffer();
  int w, h;
  Canvas(int width, int height) : w(width), h(height) {
    glBindTexture(GL_TEXTURE_2D, texture.id());
    glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, w, h);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture.id(), 0);
    glViewport(0, 0, w, h);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  }
  ~Canvas() { glBindFramebuffer(GL_FRAMEBUFFER, 0); }
  std::vector<unsigned char> pixels() const {
    std::vector<unsigned char> rgba(size_t(w) * h * 4);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    return rgba;
  }
};

// Primitives the draw call generates (GL_PRIMITIVES_GENERATED): points, or 2 triangles per quad.
template <class Draw>
GLuint primitives_of(Draw draw) {
  GLuint query = 0;
  glGenQueries(1, &query);
  glBeginQuery(GL_PRIMITIVES_GENERATED, query);
  draw();
  glEndQuery(GL_PRIMITIVES_GENERATED);
  GLuint count = 0;
  glGetQueryObjectuiv(query, GL_QUERY_RESULT, &count);
  glDeleteQueries(1, &query);
  return count;
}

}  // namespace

TEST_CASE("the GPU ring holds core's positions after every recorded frame (predictor–corrector)") {
  SCORELAB_REQUIRE_GPU();
  const MixtureScore score(test_mixture());
  const SamplerConfig c = pc_config(2048);
  const NoiseConfig noise = vp_noise();
  ParticleRun cpu_run, gpu_run;
  cpu_run.restart(c, noise, score);
  gpu_run.start(std::make_unique<GpuParticleEngine>(c, noise, score, initial_particles(c, noise)), c);
  REQUIRE(gpu_run.frames() == 1);
  check_ring_against_core(gpu_run, cpu_run, 3);
  CHECK(gpu_run.frames() == cpu_run.frames());  // the whole run fits: ceil(60 / 3) + 1 frames
  CHECK(gpu_run.frames() == 21);
}

TEST_CASE("a small ring keeps the newest frames; a rewind continues the same run") {
  SCORELAB_REQUIRE_GPU();
  const MixtureScore score(test_mixture());
  const SamplerConfig c = pc_config(1000);
  const NoiseConfig noise = vp_noise();
  const size_t five_frames = size_t(5) * 1000 * 8;
  ParticleRun cpu_run, gpu_run;
  cpu_run.restart(c, noise, score);
  auto engine = std::make_unique<GpuParticleEngine>(c, noise, score, initial_particles(c, noise), five_frames);
  CHECK(engine->ring().capacity == 5);
  gpu_run.start(std::move(engine), c);
  check_ring_against_core(gpu_run, cpu_run, 4);
  CHECK(gpu_run.frames() == 5);
  CHECK(gpu_run.step_of(4) == 60);
  CHECK(gpu_run.step_of(0) == 44);
  // Back to the frame at step 48 and on to the end: a copy of the ring slot is exact, and the RNG
  // is counter-based, so the continuation is bit for bit the run it replaced.
  const Points end = gpu_run.particles();
  gpu_run.rewind_to(1);
  CHECK(gpu_run.step() == 48);
  CHECK(gpu_run.frames() == 2);
  while (!gpu_run.finished()) gpu_run.advance(4);
  CHECK((gpu_run.particles() - end).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("a run handed from the CPU to the GPU at a step boundary continues core's run") {
  SCORELAB_REQUIRE_GPU();
  // As the GUI does while the kernels compile off its thread (app/lab/lab_gpu.cpp): the CPU steps
  // first, the GPU engine (built and stepped once elsewhere) takes the particles over.
  const MixtureScore score(test_mixture());
  const SamplerConfig c = pc_config(1500);
  const NoiseConfig noise = vp_noise();
  ParticleRun cpu_run, handed;
  cpu_run.restart(c, noise, score);
  handed.restart(c, noise, score);
  handed.advance(24);
  auto engine = std::make_unique<GpuParticleEngine>(c, noise, score, initial_particles(c, noise));
  engine->step(0);  // the builder's warm-up step; set_positions replaces its result
  engine->set_positions(handed.particles());
  handed.switch_engine(std::move(engine));
  CHECK(handed.step() == 24);
  REQUIRE(handed.frames() == 1);
  CHECK(handed.step_of(0) == 24);
  cpu_run.advance(24);
  check_ring_against_core(handed, cpu_run, 3);
}

TEST_CASE("the forward process on the GPU matches core's, frame by frame") {
  SCORELAB_REQUIRE_GPU();
  SamplerConfig c = pc_config(3000);
  const NoiseConfig noise = vp_noise();
  const Points data = initial_particles(c, noise) * 2.0;  // any points will do as data
  const Points x0 = forward_start(data, 3000, noise, c.seed);
  ParticleRun cpu_run, gpu_run;
  cpu_run.start(std::make_unique<CpuParticleEngine>(make_forward_process(c, noise, 50), x0), c);
  gpu_run.start(GpuParticleEngine::forward(c, noise, 50, x0), c);
  check_ring_against_core(gpu_run, cpu_run, 5);
  CHECK(gpu_run.level().t == doctest::Approx(1.0));
}

TEST_CASE("the view draws N points from the particle buffer in place, and T × segments trail quads") {
  SCORELAB_REQUIRE_GPU();
  const MixtureScore score(test_mixture());
  SamplerConfig c = pc_config(5000);
  const NoiseConfig noise = vp_noise();
  ParticleRun run;
  run.start(std::make_unique<GpuParticleEngine>(c, noise, score, initial_particles(c, noise)), c);
  for (int f = 0; f < 6; ++f) run.advance(2);
  const auto& engine = dynamic_cast<const GpuParticleEngine&>(*run.engine());
  Canvas canvas(200, 200);
  ViewTransform view;
  view.viewport = Vec2(200, 200);
  view.pixels_per_unit = 20;
  ParticleView particles;
  particles.show_points(engine.particle_buffer(), 0, engine.count());
  CHECK(primitives_of([&] { particles.draw_points(view, 2.0f, Rgba{1, 1, 1, 1}); }) == 5000u);
  const GpuRingView ring = engine.ring();
  const int newest = run.frames() - 1;
  particles.show_trails({ring.buffer, ring.stride, ring.capacity, engine.slot_of(newest), 4, 300});
  CHECK(particles.trail_instances() == 1200);
  TrailLook look;
  look.color = Rgba{1, 1, 1, 0.5f};
  CHECK(primitives_of([&] { particles.draw_trails(view, look); }) == 2u * 1200u);
}

// Draws `count` particles of `buffer` at 5 px over black on a 200 × 200 canvas at 20 px/unit (world
// (x, y) at pixel (100 + 20x, 100 + 20y)), as GL points or splatted; returns the canvas. A splat is
// drawn twice: the second frame reuses the coverage and must give the same picture.
static std::vector<unsigned char> draw_on_canvas(GLuint buffer, int count, bool splat, const Rgba& color) {
  Canvas canvas(200, 200);
  ViewTransform view;
  view.viewport = Vec2(200, 200);
  view.pixels_per_unit = 20;
  ParticleView particles;
  particles.set_splat_above(splat ? 0 : 1 << 30);
  particles.show_points(buffer, 0, count);
  CHECK(particles.splats() == splat);
  particles.draw_points(view, 5.0f, color);
  if (splat) {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    particles.draw_points(view, 5.0f, color);
  }
  return canvas.pixels();
}

// Two particles at world (2, 1) and (−3, −2) from the engine's buffer: pixels (140, 120), (40, 60).
static std::vector<unsigned char> draw_two_particles(bool splat) {
  const MixtureScore score(test_mixture());
  SamplerConfig c = pc_config(2);
  Points x0(2, 2);
  x0 << 2.0, -3.0, 1.0, -2.0;
  GpuParticleEngine engine(c, vp_noise(), score, x0);
  return draw_on_canvas(engine.particle_buffer(), engine.count(), splat, Rgba{1, 0, 0, 1});
}

TEST_CASE("points drawn from a GPU buffer land at their pixels, as GL points and splatted") {
  SCORELAB_REQUIRE_GPU();
  for (bool splat : {false, true}) {
    CAPTURE(splat);
    const std::vector<unsigned char> px = draw_two_particles(splat);
    const auto red = [&](int x, int y) { return int(px[(size_t(y) * 200 + x) * 4]); };
    CHECK(red(140, 120) > 200);  // (2, 1)
    CHECK(red(40, 60) > 200);    // (−3, −2)
    CHECK(red(141, 120) > 200);  // inside the 5 px disc (centre at the pixel corner (140, 120))
    CHECK(red(145, 120) == 0);   // outside it
    CHECK(red(100, 100) == 0);   // nothing at the origin
    CHECK(red(140, 60) == 0);
  }
}

// Particles at the given world points in a buffer of their own (vec2 each).
static gl::Buffer points_buffer(const std::vector<Vec2>& points) {
  std::vector<float> xy;
  for (const Vec2& p : points) xy.insert(xy.end(), {float(p.x()), float(p.y())});
  return gpu::make_storage(GLsizeiptr(xy.size() * sizeof(float)), xy.data());
}

// `points` in white (straight alpha) on the canvas of draw_on_canvas.
static std::vector<unsigned char> draw_white(const std::vector<Vec2>& points, bool splat, float alpha = 1.0f) {
  const gl::Buffer buffer = points_buffer(points);
  return draw_on_canvas(buffer.id(), int(points.size()), splat, Rgba{1, 1, 1, alpha});
}

TEST_CASE("GL points and the splat path draw the same picture where no particles overlap") {
  SCORELAB_REQUIRE_GPU();
  // A lattice 0.4 units (8 px) apart, 5 px discs: no pixel under two particles, so the splat's density
  // shading is the GL point's own anti-aliased disc.
  std::vector<Vec2> lattice;
  for (int i = -11; i <= 11; ++i)
    for (int j = -11; j <= 11; ++j) lattice.emplace_back(0.4 * i + 0.013, 0.4 * j - 0.021);
  for (float alpha : {1.0f, 0.6f}) {
    CAPTURE(alpha);
    const std::vector<unsigned char> gl_points = draw_white(lattice, false, alpha), splat = draw_white(lattice, true, alpha);
    int lit = 0, worst = 0;
    for (size_t i = 0; i < gl_points.size(); i += 4) {
      lit += gl_points[i] > 64;
      worst = std::max(worst, std::abs(int(gl_points[i]) - int(splat[i])));
    }
    CHECK(lit > 23 * 23 * 9);  // every disc drawn (about 20 pixels each)
    CHECK(worst <= 2);         // 1/255 steps of coverage on both sides
  }
}

TEST_CASE("the splat shades a crowd by density: opacity grows with the square root of the count") {
  SCORELAB_REQUIRE_GPU();
  // 16 particles on (2, 1), 4 on (−3, −2), 1 on (0, 3): at their pixels n = 16, 4, 1 and n_max = 16.
  std::vector<Vec2> points(16, Vec2(2.0, 1.0));
  points.insert(points.end(), 4, Vec2(-3.0, -2.0));
  points.emplace_back(0.0, 3.0);
  const std::vector<unsigned char> px = draw_white(points, true);
  const auto level = [&](int x, int y) { return int(px[(size_t(y) * 200 + x) * 4]); };
  // splat_points.frag: opacity = min(n, 1)·(f + (1 − f)·√(n / n_max)), f = 0.25, white over black.
  const auto expected = [](double n) { return int(std::lround(255.0 * (0.25 + 0.75 * std::sqrt(n / 16.0)))); };
  CHECK(std::abs(level(140, 120) - expected(16)) <= 2);  // the densest pixel: full opacity
  CHECK(std::abs(level(40, 60) - expected(4)) <= 2);     // four times fewer: 0.625
  CHECK(std::abs(level(100, 160) - expected(1)) <= 2);   // a lone particle keeps 0.4375
  CHECK(level(140, 120) > level(40, 60));
  CHECK(level(40, 60) > level(100, 160));
  CHECK(level(100, 100) == 0);  // nothing where no particle is
  // GL points blend the 16 opaque discs to the same white as one: the crowd is invisible there.
  const std::vector<unsigned char> gl_points = draw_white(points, false);
  CHECK(int(gl_points[(size_t(60) * 200 + 40) * 4]) == int(gl_points[(size_t(160) * 200 + 100) * 4]));
}

}  // namespace scorelab

namespace scorelab {
namespace {

// n particles on a spiral, turned by `turn`: every population differs in most pixels.
gl::Buffer spiral_buffer(int n, double turn) {
  std::vector<float> xy(size_t(n) * 2);
  for (int j = 0; j < n; ++j) {
    const double r = 0.5 + 4.0 * j / n, a = 0.01 * j + turn;
    xy[size_t(j) * 2] = float(r * std::cos(a));
    xy[size_t(j) * 2 + 1] = float(r * std::sin(a));
  }
  return gpu::make_storage(GLsizeiptr(xy.size() * sizeof(float)), xy.data());
}

ViewTransform small_view(double cx = 0.0) {
  ViewTransform view;
  view.viewport = Vec2(160, 120);
  view.pixels_per_unit = 12;
  view.center = Vec2(cx, 0.0);
  return view;
}

// What a fresh view draws for the buffer's points: the whole splat at once.
std::vector<unsigned char> whole_picture(GLuint buffer, int n, const ViewTransform& view) {
  Canvas canvas(160, 120);
  ParticleView reference;
  reference.set_splat_above(0);
  reference.show_points(buffer, 0, n);
  reference.draw_points(view, 3.0f, Rgba{1, 1, 1, 1});
  return canvas.pixels();
}

// One frame of the live view: its trails (when given), then its points.
std::vector<unsigned char> draw_once(ParticleView& particles, const ViewTransform& view,
                                     const TrailLook* trails = nullptr) {
  Canvas canvas(160, 120);
  if (trails != nullptr) particles.draw_trails(view, *trails);
  particles.draw_points(view, 3.0f, Rgba{1, 1, 1, 1});
  return canvas.pixels();
}

}  // namespace

TEST_CASE("new positions of the same particles are splatted over several draws; the old picture stays until then") {
  SCORELAB_REQUIRE_GPU();
  const int n = 3000;
  const gl::Buffer a = spiral_buffer(n, 0.0), b = spiral_buffer(n, 1.0), c = spiral_buffer(n, 2.0);
  const ViewTransform view = small_view();
  const std::vector<unsigned char> pic_a = whole_picture(a.id(), n, view), pic_b = whole_picture(b.id(), n, view);
  REQUIRE(pic_a != pic_b);
  ParticleView particles;
  particles.set_splat_above(0);
  particles.set_splat_slice(500);
  particles.show_points(a.id(), 0, n, 1);
  for (int i = 0; i < 10; ++i) CHECK(draw_once(particles, view) == pic_a);  // a lasted 10 draws
  // b (a step later, in the other buffer as the GPU engine swaps them): within half of a's 10 draws,
  // 600 particles a draw (≥ 500): 5 draws; the first 4 show a whole, the 5th shows b whole.
  CHECK(ParticleView::splat_slice(n, 10, 500) == 600);
  particles.show_points(b.id(), 0, n, 2);
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(particles.lagging(view));
    CHECK(draw_once(particles, view) == pic_a);
  }
  CHECK(!particles.lagging(view));  // the next draw completes it
  CHECK(draw_once(particles, view) == pic_b);  // sliced and whole splats give the same pixels
  CHECK(draw_once(particles, view) == pic_b);
  // Positions that change every draw (cheap steps) are splatted whole at once: never starved.
  const std::vector<unsigned char> pic_c = whole_picture(c.id(), n, view);
  particles.show_points(c.id(), 0, n, 3);
  CHECK(particles.lagging(view));  // b lasted 6 draws: c is spread over 3
  CHECK(draw_once(particles, view) == pic_b);
  particles.show_points(a.id(), 0, n, 4);  // c lasted one draw
  CHECK(!particles.lagging(view));
  CHECK(draw_once(particles, view) == pic_a);
  particles.show_points(c.id(), 0, n, 5);
  CHECK(draw_once(particles, view) == pic_c);
  // A new view in the middle of a build: the current points at once, as before.
  for (int i = 0; i < 10; ++i) draw_once(particles, view);
  particles.show_points(a.id(), 0, n, 6);
  CHECK(draw_once(particles, view) == pic_c);  // still c: a is under way
  const ViewTransform moved = small_view(1.5);
  CHECK(!particles.lagging(moved));
  CHECK(draw_once(particles, moved) == whole_picture(a.id(), n, moved));
  // Another population (size) or a cleared view: at once too.
  for (int i = 0; i < 10; ++i) draw_once(particles, moved);
  particles.show_points(b.id(), 0, n - 1, 7);
  CHECK(!particles.lagging(moved));
  particles.clear();
  particles.show_points(a.id(), 0, n, 8);
  CHECK(!particles.lagging(moved));
}

TEST_CASE("while new positions are splatted in slices, the trails stay with the points on screen") {
  SCORELAB_REQUIRE_GPU();
  const int n = 3000, trails = 200;
  // A ring of 3 slots of n particles: frames 0, 1, 2 are spirals turned by 0, 0.3, 0.6.
  std::vector<float> ring_xy;
  for (int f = 0; f < 3; ++f) {
    const gl::Buffer frame = spiral_buffer(n, 0.3 * f);
    std::vector<float> xy(size_t(n) * 2);
    gpu::read_storage(frame, 0, GLsizeiptr(xy.size() * 4), xy.data());
    ring_xy.insert(ring_xy.end(), xy.begin(), xy.end());
  }
  const gl::Buffer ring = gpu::make_storage(GLsizeiptr(ring_xy.size() * 4), ring_xy.data());
  const auto slot = [&](int f) { return long(f) * n; };
  const ViewTransform view = small_view();
  TrailLook look;
  look.color = Rgba{0, 1, 0, 1};
  // The pictures with frame f on screen and its trail from frame f − 1, drawn by a fresh view.
  const auto picture = [&](int f) {
    ParticleView fresh;
    fresh.set_splat_above(0);
    fresh.show_points(ring.id(), slot(f), n);
    fresh.show_trails({ring.id(), n, 3, f, 1, trails});
    return draw_once(fresh, view, &look);
  };
  const std::vector<unsigned char> pic1 = picture(1), pic2 = picture(2);
  REQUIRE(pic1 != pic2);
  // The live view draws the positions from the engine's particle buffer (first 0; two buffers that
  // swap when a sliced step completes) and the trails from the ring, as the lab does.
  const gl::Buffer at1 = spiral_buffer(n, 0.3), at2 = spiral_buffer(n, 0.6);
  ParticleView particles;
  particles.set_splat_above(0);
  particles.set_splat_slice(500);
  particles.show_points(at1.id(), 0, n, 1);
  particles.show_trails({ring.id(), n, 3, 1, 1, trails});
  for (int i = 0; i < 10; ++i) CHECK(draw_once(particles, view, &look) == pic1);
  // The step to frame 2 completes: new positions, the trails asked to end at frame 2.
  particles.show_points(at2.id(), 0, n, 2);
  particles.show_trails({ring.id(), n, 3, 2, 1, trails});
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(draw_once(particles, view, &look) == pic1);  // points and trails of frame 1, together
  }
  CHECK(draw_once(particles, view, &look) == pic2);
  CHECK(draw_once(particles, view, &look) == pic2);
}

}  // namespace scorelab
