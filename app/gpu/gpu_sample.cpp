#include "app/gpu/gpu_sample.hpp"

#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"
#include "app/gpu/gpu_particle_budget.hpp"
#include "app/gpu/gpu_sampler.hpp"

namespace scorelab {

GpuSampleResult sample_on_gpu(const SamplerConfig& config, const NoiseConfig& noise, const ScoreFunction& score,
                              int record_every, const SampleObserver& observer) {
  std::string why;
  auto context = gl::HeadlessContext::try_create(&why);
  if (!context) throw InputError("--backend gpu: " + why + "; use --backend cpu");
  GpuSampleResult out;
  out.renderer = context->renderer();
  check_particle_budget(config.particles, gpu_particle_budget());  // before any buffer
  {  // GL objects go before the context
    std::unique_ptr<GpuScore> gpu_score = make_gpu_score(score);
    if (!gpu_score)
      throw InputError("--backend gpu: this score has no GPU kernel (the ideal score of a point set); use --backend cpu");
    GpuSampler sampler(config, noise, *gpu_score);
    out.run = run_gpu_sampler(sampler, initial_particles(config, noise), record_every, observer);
  }
  return out;
}

}  // namespace scorelab
