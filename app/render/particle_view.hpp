// Draws the sampler's particles and their trails straight from GL buffers: the points shader reads
// the particle buffer as a vertex buffer (or, for large N, a compute kernel splats it into a coverage
// buffer that one full-viewport triangle composites), the trails shader (shaders/trails.vert) reads
// a ring of recorded frames by vertex index. On the GPU path those are the GpuParticleEngine's buffers (nothing is
// copied per frame); the CPU path uploads the shown frame and the few trail frames into the view's
// own buffers. Lives beside the engine (app/gpu) so the EGL tests draw exactly what the GUI draws.
// A GL context must be current; draw() assumes the target is bound with blending on.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "app/gl/capabilities.hpp"
#include "app/gl/objects.hpp"
#include "app/plane/plane_style.hpp"
#include "app/plane/view_transform.hpp"

namespace scorelab {

// Trails between consecutive frames of a ring: slot r holds `stride` vec2 at r·stride.
struct TrailSource {
  GLuint buffer = 0;
  int stride = 0;       // vec2 per slot
  int capacity = 0;     // slots
  int newest_slot = 0;  // the slot of the frame on screen
  int segments = 0;     // segments per trail: frames newest − segments … newest
  int trails = 0;       // particles with a trail (the first ones); ≤ stride
};

struct TrailLook {
  Rgba color;              // rgb, and the newest segment's alpha
  float width_px = 1.0f;
  float fade_px = 0.0f;    // trail_length_fade(): segments longer than this fade; 0: none
};

class ParticleView {
 public:
  ParticleView();

  void clear();
  // Points from a buffer the caller owns (alive until drawn): n vec2 starting at vec2 index `first`.
  // version: changes when the positions may have changed (ParticleRun::generation()); the splat
  // path redraws its coverage only then or when the view changes.
  void show_points(GLuint buffer, long first, int n, long version = 0);
  // CPU path: n interleaved (x, y) floats into the view's own buffer.
  void upload_points(const float* xy, int n);
  void show_trails(const TrailSource& source);
  // CPU path: frames oldest first, each with at least `trails` (x, y) float pairs; the first
  // `trails` of each are uploaded as a ring of frames.size() slots, the last one on screen.
  void upload_trails(const std::vector<const float*>& frames, int trails);

  // Above this many particles the splat path draws them: on Mesa llvmpipe a GL point costs ~1 µs of
  // setup whatever its size (10⁵ points ~100 ms, 10⁶ ~0.9 s), the splat ~5 ms plus ~0.15 µs a point
  // (10⁵: ~20 ms, 10⁶: ~150–280 ms; measured at 1, 2, 3 px).
  static constexpr int kSplatAbove = 30000;
  int point_count() const { return count_; }
  // The splat needs compute shaders (GL 4.3); below that every count is drawn as GL points.
  bool splats() const { return compute_ && count_ > splat_above_; }
  void set_splat_above(int n) { splat_above_ = n; }  // tests draw both paths
  int trail_instances() const { return trails_.segments * trails_.trails; }

  // New positions of the same particles (a sampler step completed: same first and count, same view)
  // are splatted in slices over several draws when the previous positions lasted long enough: at
  // 10⁶ particles a whole splat takes ~0.25 s on llvmpipe, a frame freeze after every step. Until
  // the new coverage is complete the previous one is drawn — a whole population at the previous
  // step, with the trails that go with it (lagging()), never a mix. A new view, point size, frame
  // (scrubbing: another `first`) or particle count splats whole at once. Positions that change every
  // draw or two (cheap steps) splat whole too, so the picture never starves. A restart with the same
  // count looks like a step here: the old picture stays for those few draws, as it stayed on screen
  // during the whole splat's frozen frame before.
  static constexpr long kSplatSlice = 65536;  // per draw at least (~15 ms on llvmpipe)
  void set_splat_slice(long n) { splat_slice_ = std::max(n, 1L); }  // tests: small slices
  // Particles splatted per draw: spread over at most half the `lifetime` draws the previous
  // positions lasted, at least `slice` a draw; `count` (all at once) when that leaves < 2 draws.
  static long splat_slice(int count, int lifetime, long slice);
  // Whether this view's draws show older points than show_points() gave (their splat under way).
  bool lagging(const ViewTransform& view) const;

  void draw_trails(const ViewTransform& view, const TrailLook& look) const;
  // size_px: diameter in framebuffer pixels; color.a multiplies the coverage.
  void draw_points(const ViewTransform& view, float size_px, const Rgba& color);

 private:
  // What a coverage buffer holds (or is being filled with).
  struct SplatKey {
    GLuint buffer = 0;  // the points: buffer, first, count, version
    long first = 0;
    int count = 0;
    long version = 0;
    std::string geometry;  // view centre, scale and viewport (the trails share it)
    float size = 0.0f;
    bool same_points(const SplatKey& o) const {
      return buffer == o.buffer && first == o.first && count == o.count && version == o.version;
    }
    bool operator==(const SplatKey&) const = default;
  };
  SplatKey splat_key(const ViewTransform& view, float size_px) const;
  bool slices_to(const SplatKey& key, int lifetime) const;
  void splat_points(const ViewTransform& view, float size_px, const Rgba& color);
  void splat_range(const gl::Buffer& coverage, const ViewTransform& view, float size_px, long begin, long n);
  void clear_coverage(const gl::Buffer& coverage, GLsizeiptr& capacity, GLsizeiptr bytes);

  // GL 4.3: storage buffers, the splat kernel; else (GL 3.3) buffer textures and no splat.
  bool compute_ = gl::compute_available();
  gl::Program points_program_, trails_program_, splat_program_, composite_program_;
  gl::Buffer coverage_, building_;  // shown; being filled in slices
  GLsizeiptr coverage_bytes_ = 0, building_bytes_ = 0;
  int splat_above_ = kSplatAbove;
  long splat_slice_ = kSplatSlice;
  SplatKey shown_;           // what coverage_ holds; count 0: nothing
  SplatKey building_key_;    // what building_ is being filled with; count 0: nothing
  long building_next_ = 0;   // particles splatted into it so far
  TrailSource shown_trails_;  // the trails that go with coverage_'s points
  SplatKey seen_;            // the points of the last draw, drawn seen_draws_ times so far
  int seen_draws_ = 0;
  int lifetime_ = 0;         // draws the points before them lasted
  gl::VertexArray points_vao_, empty_vao_;
  gl::Buffer own_points_, own_trails_;
  gl::Texture trails_texture_;  // GL 3.3: a GL_RG32F view of the trail frames' buffer
  GLsizeiptr own_points_capacity_ = 0, own_trails_capacity_ = 0;
  GLuint points_buffer_ = 0;
  long first_ = 0;
  int count_ = 0;
  long version_ = 0;
  TrailSource trails_;
};

}  // namespace scorelab
