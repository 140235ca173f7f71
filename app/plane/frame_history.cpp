#include "app/plane/frame_history.hpp"

namespace scorelab {

void FrameHistory::clear() {
  frames_.clear();
  steps_.clear();
}

size_t FrameHistory::stored_floats() const {
  size_t n = 0;
  for (const FramePoints& f : frames_) n += static_cast<size_t>(f.size());
  return n;
}

void FrameHistory::push(int step, const Points& x) {
  frames_.push_back(x.cast<float>());
  steps_.push_back(step);
  decimate();
}

void FrameHistory::truncate_after(int i) {
  if (i < 0 || i + 1 >= size()) return;
  frames_.resize(static_cast<size_t>(i) + 1);
  steps_.resize(static_cast<size_t>(i) + 1);
}

void FrameHistory::decimate() {
  while (frames_.size() > 2 && stored_floats() > budget_) {
    // Keep even indices and the newest frame.
    const size_t last = frames_.size() - 1;
    size_t out = 0;
    for (size_t i = 0; i <= last; ++i) {
      if (i % 2 != 0 && i != last) continue;
      if (out != i) {
        frames_[out] = std::move(frames_[i]);
        steps_[out] = steps_[i];
      }
      ++out;
    }
    frames_.resize(out);
    steps_.resize(out);
    if (out == last + 1) break;  // nothing dropped (cannot happen with > 2 frames; a guard)
  }
}

std::vector<float> trail_alphas(int segments, float max_alpha) {
  std::vector<float> alphas;
  for (int i = 0; i < segments; ++i)
    alphas.push_back(max_alpha * static_cast<float>(i + 1) / static_cast<float>(segments));
  return alphas;
}

float trail_length_fade(float length_px, float fade_px) {
  if (fade_px <= 0.0f || length_px <= fade_px) return 1.0f;
  const float r = fade_px / length_px;
  return r * r;
}

}  // namespace scorelab
