// Recorded particle positions of a sampler run: the time scrubber plays them back and the trails
// are drawn from the last few of them. Frames are stored as floats within a memory budget; when
// it is exceeded every other interior frame is dropped (the first and the newest are kept), so a
// long run keeps its whole span at a coarser spacing. Frames dropped or cleared keep their storage for
// the next ones, and a restarted run's new history adopts the old one's (adopt_storage): a live run
// that is restarted every minute for an hour allocates its frames once, not ~10⁵ times, so the heap
// does not fragment and grow (issue 17's soak). Pure logic, no GL: tests/app/test_frame_history.cpp.
#pragma once

#include <vector>

#include "core/types.hpp"

namespace scorelab {

using FramePoints = Eigen::Matrix<float, 2, Eigen::Dynamic>;  // (2, N) one particle per column

class FrameHistory {
 public:
  // budget_floats: the most floats kept (2 per particle per frame); at least 2 frames are always kept.
  explicit FrameHistory(size_t budget_floats = size_t{1} << 25) : budget_(budget_floats) {}

  void clear();
  // Takes `other`'s frame storage as spares (its frames are dropped): a new run's history reuses the
  // blocks of the run it replaces (a restart makes a new engine). This history's budget holds.
  void adopt_storage(FrameHistory&& other);
  // Appends the positions after sampler step `step`.
  void push(int step, const Points& x);
  // Drops every frame after index i (the scrubber's "continue from here").
  void truncate_after(int i);

  int size() const { return static_cast<int>(frames_.size()); }
  bool empty() const { return frames_.empty(); }
  const FramePoints& frame(int i) const { return frames_[static_cast<size_t>(i)]; }
  int step_of(int i) const { return steps_[static_cast<size_t>(i)]; }
  size_t stored_floats() const { return stored_; }
  // Frames kept for reuse (their storage allocated, their content stale); with the stored ones
  // never more floats than the budget, or two frames.
  int spare_frames() const { return static_cast<int>(spare_.size()); }

 private:
  void decimate();
  void retire(FramePoints&& frame);  // to the spares, or freed when they would exceed the budget

  size_t budget_;
  size_t stored_ = 0;  // floats in frames_
  std::vector<FramePoints> frames_;
  std::vector<int> steps_;
  std::vector<FramePoints> spare_;
};

// Opacity of each trail segment, oldest first: segments = number of segments (≥ 0); the newest gets
// max_alpha and they fade linearly towards 0 (the oldest is max_alpha/segments).
std::vector<float> trail_alphas(int segments, float max_alpha);

// Opacity factor of a trail segment length_px long: 1 up to fade_px, then (fade_px / length)², so
// the long straight jumps of high-noise steps (annealed Langevin at σ = 20) do not clutter the plane.
// fade_px ≤ 0: no fading. shaders/trails.vert computes the same.
float trail_length_fade(float length_px, float fade_px);

// The fade length for a plane of w × h pixels: a twelfth of its smaller side (~70 px on a laptop).
inline float trail_fade_px(double w, double h) { return static_cast<float>((w < h ? w : h) / 12.0); }

// The frame range of a trail ending at frame `current` with up to `segments` segments:
// [first, current], first = max(0, current − segments).
inline int trail_first(int current, int segments) { return current - segments < 0 ? 0 : current - segments; }

}  // namespace scorelab
