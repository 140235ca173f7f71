// The current network's weights on the GPU, packed and uploaded once per network change and shared
// by every kernel of one GL context: the particle engine, the field arrows and the score-field
// kernels bind this one GpuScore (its weight buffer) instead of packing and uploading their own
// copy. The density worker runs on its own GL context (density_job.hpp) and keeps its own upload:
// buffers are shared between contexts only within one share group, and its context is not in the
// window's. A GL context must be current.
#pragma once

#include <cstdint>
#include <memory>

#include "app/gpu/gpu_score.hpp"

namespace scorelab {

class UploadedNetwork {
 public:
  // The GPU twin of `net` for network change `change` (Lab::network_change): packed and uploaded
  // the first time this change is asked for, the same object on every later call for it. Null
  // when net is null or has no GPU twin (an energy network has one; callers check is_energy()).
  std::shared_ptr<const GpuScore> get(const ScoreFunction* net, uint64_t change);
  // Forgets the upload (the next get() uploads again), e.g. before the GL context goes.
  void clear();

  // Weight uploads made by this object so far (the tests: one per network change).
  long uploads() const { return uploads_; }
  // The weight buffer of the current upload (0: none): what each consumer binds.
  GLuint buffer() const { return score_ ? score_->weight_buffer() : 0; }

 private:
  bool made_ = false;
  uint64_t change_ = 0;
  std::shared_ptr<const GpuScore> score_;
  long uploads_ = 0;
};

}  // namespace scorelab
