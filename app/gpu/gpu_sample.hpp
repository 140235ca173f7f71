// Sampling on the GPU without a window, for `scorelab sample --backend gpu`: a headless EGL
// context (no X), the GPU twin of the score, and core's run_sampler contract (same initial
// particles, same seed, the same samples within the parity tolerance of tests/gpu).
#pragma once

#include <string>

#include "core/samplers/sampler.hpp"

namespace scorelab {

struct GpuSampleResult {
  SampleRun run;
  std::string renderer;  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
};

// Throws InputError (one line) when no GL 4.3 context can be made or the score has no GPU twin
// (the ideal score of a point set): the message says to use --backend cpu. Recorded frames (record_every
// > 0) go to observer.frame as they are read back, never all held (issue 17: 4·10⁶ particles × 100
// frames would be 6.4 GB); observer.step hears each finished step.
GpuSampleResult sample_on_gpu(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score,
                              int record_every = 0, const SampleObserver& observer = {});

}  // namespace scorelab
