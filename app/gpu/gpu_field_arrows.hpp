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
  // The same with the learned field from weights already on the GPU (the lab's one upload per
  // snapshot, app/gpu/uploaded_network.hpp): bound as they are, nothing packed or uploaded here.
  // `learned` must not be null; false when it is an energy network (no field kernel).
  bool fill_uploaded(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level,
                     const ArrowParams& params, const std::shared_ptr<const ScoreFunction>& exact,
                     const std::shared_ptr<const GpuScore>& learned, bool difference);
  // The weight buffer the last learned fill bound (0: none): the tests' check of the shared upload.
  GLuint learned_weight_buffer() const { return learned_.score ? learned_.score->weight_buffer() : 0; }

 private:
  // A score's GPU twin and its field kernels; rebuilt when the score object changes (kernels kept
  // for a new snapshot of the same shape).
  struct Slot {
    const void* source = nullptr;  // what `score` stands for: a ScoreFunction or an uploaded GpuScore
    std::shared_ptr<const void> held;  // keeps `source` alive, so its identity is not reused
    std::shared_ptr<const GpuScore> score;
    std::unique_ptr<GpuScoreField> field;
    bool unavailable = false;  // source has no GPU twin
  };
  static GpuScoreField* prepare(Slot& slot, const std::shared_ptr<const ScoreFunction>& source);
  static GpuScoreField* adopt(Slot& slot, std::shared_ptr<const GpuScore> score);
  bool fill_slots(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level, const ArrowParams& params,
                  GpuScoreField* truth, GpuScoreField* model, bool learned, bool difference);

  Slot exact_, learned_;
  gl::Buffer truth_;  // the true field on the grid, for the difference
};

}  // namespace scorelab
