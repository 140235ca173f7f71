// The plane view's arrows filled on the GPU (shaders/score_field.comp, FIELD_ARROWS) straight into
// the field layer's segment buffer: the true field (a mixture's exact score), the learned one (a
// network snapshot) or their difference. Keeps one kernel per score shape, so a new snapshot of the
// same architecture only uploads weights. A GL context must be current (the GUI's).
#pragma once

#include <memory>
#include <string>

#include "app/gpu/gpu_score_field.hpp"

namespace scorelab {

struct ArrowGrid {
  int nx = 0, ny = 0;
  Vec2 origin{0.0, 0.0};  // point (i, j) is origin + (i, j)·spacing
  double spacing = 1.0;
};

class GpuFieldArrows {
 public:
  // The current context's renderer is a CPU emulation (llvmpipe, softpipe, swrast).
  static bool software_renderer();

  // Writes 3·nx·ny segments into `segments` (a storage buffer with room for them) from segment index
  // `first`: arrows of exact (learned null), of learned, or of learned − exact (difference). False,
  // writing nothing, when a score has no GPU twin (a point set's ideal score, an energy network).
  // The scores must stay alive until the next call (they are held by identity to reuse uploads).
  bool fill(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level, const ArrowParams& params,
            const std::shared_ptr<const ScoreFunction>& exact, const std::shared_ptr<const ScoreFunction>& learned,
            bool difference);

 private:
  // A score's GPU twin and its field kernels, rebuilt when the score object changes.
  struct Slot {
    std::shared_ptr<const ScoreFunction> source;
    std::unique_ptr<GpuScore> score;
    std::unique_ptr<GpuScoreField> field;
    bool unavailable = false;  // source has no GPU twin
  };
  static GpuScoreField* prepare(Slot& slot, const std::shared_ptr<const ScoreFunction>& source);

  Slot exact_, learned_;
  gl::Buffer truth_;  // the true field on the grid, for the difference
};

}  // namespace scorelab
