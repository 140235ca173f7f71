#include "app/plane/frame_history.hpp"

namespace scorelab {

void FrameHistory::clear() {
  stored_ = 0;
  for (FramePoints& f : frames_) retire(std::move(f));
  frames_.clear();
  steps_.clear();
}

void FrameHistory::adopt_storage(FrameHistory&& other) {
  other.clear();
  for (FramePoints& f : other.spare_) retire(std::move(f));
  other.spare_.clear();
}

void FrameHistory::retire(FramePoints&& frame) {
  // Spares of another particle count are of no use any more (the run's N changed).
  if (!spare_.empty() && spare_.back().cols() != frame.cols()) spare_.clear();
  const size_t floats = static_cast<size_t>(frame.size());
  const size_t held = stored_ + floats * (spare_.size() + 1);
  if (held <= budget_ || frames_.size() + spare_.size() < 2) spare_.push_back(std::move(frame));
}

void FrameHistory::push(int step, const Points& x) {
  while (!spare_.empty() && spare_.back().cols() != x.cols()) spare_.pop_back();
  if (!spare_.empty()) {
    frames_.push_back(std::move(spare_.back()));
    spare_.pop_back();
    frames_.back() = x.cast<float>();  // same size: no allocation
  } else {
    frames_.push_back(x.cast<float>());
  }
  steps_.push_back(step);
  stored_ += static_cast<size_t>(frames_.back().size());
  decimate();
}

void FrameHistory::truncate_after(int i) {
  if (i < 0 || i + 1 >= size()) return;
  for (size_t k = static_cast<size_t>(i) + 1; k < frames_.size(); ++k) {
    stored_ -= static_cast<size_t>(frames_[k].size());
    retire(std::move(frames_[k]));
  }
  frames_.resize(static_cast<size_t>(i) + 1);
  steps_.resize(static_cast<size_t>(i) + 1);
}

void FrameHistory::decimate() {
  while (frames_.size() > 2 && stored_ > budget_) {
    // Keep even indices and the newest frame; the others' storage goes to the spares.
    const size_t last = frames_.size() - 1;
    size_t out = 0;
    for (size_t i = 0; i <= last; ++i) {
      if (i % 2 != 0 && i != last) {
        stored_ -= static_cast<size_t>(frames_[i].size());
        retire(std::move(frames_[i]));
        continue;
      }
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
