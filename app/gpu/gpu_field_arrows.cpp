#include "app/gpu/gpu_field_arrows.hpp"

#include <cstring>

namespace scorelab {

bool GpuFieldArrows::software_renderer() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  if (renderer == nullptr) return false;
  for (const char* name : {"llvmpipe", "softpipe", "swrast"})
    if (std::strstr(renderer, name) != nullptr) return true;
  return false;
}

GpuScoreField* GpuFieldArrows::prepare(Slot& slot, const std::shared_ptr<const ScoreFunction>& source) {
  if (source != slot.source) {
    slot.source = source;
    slot.unavailable = false;
    std::unique_ptr<GpuScore> score = source ? make_gpu_score(*source) : nullptr;
    if (!score || score->is_energy()) {
      slot.unavailable = true;
      return nullptr;
    }
    // Same shape: keep the compiled kernels (a new snapshot); otherwise new ones (compiled on use).
    if (slot.field && slot.score && score->defines() == slot.score->defines()) {
      slot.field->set_score(*score);
    } else {
      slot.field = std::make_unique<GpuScoreField>(*score);
    }
    slot.score = std::move(score);
  }
  return slot.unavailable ? nullptr : slot.field.get();
}

bool GpuFieldArrows::fill(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level,
                          const ArrowParams& params, const std::shared_ptr<const ScoreFunction>& exact,
                          const std::shared_ptr<const ScoreFunction>& learned, bool difference) {
  if (grid.nx < 1 || grid.ny < 1) return false;
  const Vec2 spacing(grid.spacing, grid.spacing);
  GpuScoreField* truth = (!learned || difference) ? prepare(exact_, exact) : nullptr;
  if ((!learned || difference) && truth == nullptr) return false;
  if (!learned) {
    truth->fill_arrows(segments, first, grid.nx, grid.ny, grid.origin, spacing, level, params, nullptr);
    return true;
  }
  GpuScoreField* model = prepare(learned_, learned);
  if (model == nullptr) return false;
  if (difference) truth->fill_grid(truth_, grid.nx, grid.ny, grid.origin, spacing, level, false);
  model->fill_arrows(segments, first, grid.nx, grid.ny, grid.origin, spacing, level, params,
                     difference ? &truth_ : nullptr);
  return true;
}

}  // namespace scorelab
