// scorelab render --deck D --out talk.mp4: the whole lecture as one video, for the students who
// missed it. Each position of the deck (a slide, then each of its beats) is rendered for its frames
// (the beat's "frames", else the slide's, default 240) with the preset's show section (score,
// layers, view), its caption box, and the GUI's renderer, one after the other into one ffmpeg pipe.
// A preset that follows the learned score has its network trained first (once per slide).
#pragma once

#include <filesystem>

#include "app/export/export_options.hpp"

namespace scorelab {

// options: the size, fps, theme and output of the video (MP4 or GIF); its frames are the deck's.
// gpu: the particles step on the GUI's compute kernels instead of the CPU. Returns the exit code.
int render_deck(const std::filesystem::path& deck, const ExportOptions& options, bool gpu);

// With a headless context current that lacks GL 4.3 (drawing only): throws InputError saying
// --backend gpu needs compute shaders, when gpu is asked for. Rendering itself needs only 3.3.
void refuse_gpu_without_compute(bool gpu);

}  // namespace scorelab
