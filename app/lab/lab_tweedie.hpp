// The "denoiser arrows" layer (FieldSettings::tweedie_arrows, lecture preset 11): from each of the
// first particles a line to its Tweedie estimate E[x₀ | xₜ], with the score the particles follow.
#pragma once

#include "app/lab/lab_state.hpp"

namespace scorelab {

// Adds the lines to `batch` (the field batch); false when none were drawn.
bool draw_tweedie(LabState& lab, const LabLayerFrame& frame, const PlaneStyle& style, SegmentBatch& batch);

}  // namespace scorelab
