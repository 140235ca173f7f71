#include "app/gpu/uploaded_network.hpp"

namespace scorelab {

std::shared_ptr<const GpuScore> UploadedNetwork::get(const ScoreFunction* net, uint64_t change) {
  if (made_ && change == change_) return score_;
  made_ = true;
  change_ = change;
  score_.reset();  // the old weights go first: at most one copy on the GPU
  if (net == nullptr) return nullptr;
  score_ = make_gpu_score(*net);
  if (score_) ++uploads_;
  return score_;
}

void UploadedNetwork::clear() {
  made_ = false;
  score_.reset();
}

}  // namespace scorelab
