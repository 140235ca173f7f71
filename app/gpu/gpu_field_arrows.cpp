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

GpuScoreField* GpuFieldArrows::adopt(Slot& slot, std::shared_ptr<const GpuScore> score) {
  if (score.get() == slot.source) return slot.unavailable ? nullptr : slot.field.get();
  slot.source = score.get();
  slot.held = score;
  slot.unavailable = !score || score->is_energy();
  if (slot.unavailable) return nullptr;
  // Same shape: keep the compiled kernels (a new snapshot); otherwise new ones (compiled on use).
  if (slot.field && slot.score && score->defines() == slot.score->defines()) slot.field->set_score(*score);
  else slot.field = std::make_unique<GpuScoreField>(*score);
  slot.score = std::move(score);  // after set_score: the kernel no longer points at the old one
  return slot.field.get();
}

GpuScoreField* GpuFieldArrows::prepare(Slot& slot, const std::shared_ptr<const ScoreFunction>& source) {
  if (source.get() == slot.source && (source || slot.held)) return slot.unavailable ? nullptr : slot.field.get();
  std::shared_ptr<const GpuScore> score = source ? std::shared_ptr<const GpuScore>(make_gpu_score(*source)) : nullptr;
  adopt(slot, score);
  slot.source = source.get();  // keyed on the score function (its twin is made here, once)
  slot.held = source;
  slot.unavailable = !score || score->is_energy();
  return slot.unavailable ? nullptr : slot.field.get();
}

bool GpuFieldArrows::fill(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level,
                          const ArrowParams& params, const std::shared_ptr<const ScoreFunction>& exact,
                          const std::shared_ptr<const ScoreFunction>& learned, bool difference) {
  if (grid.nx < 1 || grid.ny < 1) return false;
  GpuScoreField* truth = (!learned || difference) ? prepare(exact_, exact) : nullptr;
  GpuScoreField* model = learned ? prepare(learned_, learned) : nullptr;
  return fill_slots(segments, first, grid, level, params, truth, model, learned != nullptr, difference);
}

bool GpuFieldArrows::fill_uploaded(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level,
                                   const ArrowParams& params, const std::shared_ptr<const ScoreFunction>& exact,
                                   const std::shared_ptr<const GpuScore>& learned, bool difference) {
  if (grid.nx < 1 || grid.ny < 1 || !learned) return false;
  GpuScoreField* truth = difference ? prepare(exact_, exact) : nullptr;
  GpuScoreField* model = adopt(learned_, learned);
  return fill_slots(segments, first, grid, level, params, truth, model, true, difference);
}

bool GpuFieldArrows::fill_slots(GLuint segments, int first, const ArrowGrid& grid, const GpuLevel& level,
                                const ArrowParams& params, GpuScoreField* truth, GpuScoreField* model, bool learned,
                                bool difference) {
  const Vec2 spacing(grid.spacing, grid.spacing);
  if ((!learned || difference) && truth == nullptr) return false;
  if (!learned) {
    truth->fill_arrows(segments, first, grid.nx, grid.ny, grid.origin, spacing, level, params, nullptr);
    return true;
  }
  if (model == nullptr) return false;
  if (difference) truth->fill_grid(truth_, grid.nx, grid.ny, grid.origin, spacing, level, false);
  model->fill_arrows(segments, first, grid.nx, grid.ny, grid.origin, spacing, level, params,
                     difference ? &truth_ : nullptr);
  return true;
}

}  // namespace scorelab
