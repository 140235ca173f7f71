#include "app/lab/gpu_density_backend.hpp"

#include <map>

#include "app/gl/headless_context.hpp"
#include "app/gpu/gpu_density.hpp"

namespace scorelab {
namespace {

class GpuDensityBackend final : public DensityBackend {
 public:
  explicit GpuDensityBackend(std::unique_ptr<gl::HeadlessContext> context) : context_(std::move(context)) {}
  ~GpuDensityBackend() override {
    kernels_.clear();  // GL objects go while the context is current
    score_.reset();
  }

  // "GPU (llvmpipe)": the renderer's name without its version details.
  std::string name() const override {
    const std::string& r = context_->renderer();
    return "GPU (" + r.substr(0, r.find(" (")) + ")";
  }
  bool software() const override { return context_->is_software(); }
  // Eight workgroups of the network kernel (64 invocations × GpuDensity::kNetworkBatch points): on
  // llvmpipe (2 cores), a 64-64 network's 72 × 64 grid took 5.7 s in one-row bands, 2.3 s in bands
  // of 16 rows (1152 points) and 2.1 s whole.
  int min_band_points() const override { return 8 * 64 * GpuDensity::kNetworkBatch; }

  bool prepare(const DensityRequest& request) override {
    // Its own upload of the network, not the lab's shared one (app/gpu/uploaded_network.hpp): this
    // worker has its own GL context on its own thread, outside the window's share group.
    std::unique_ptr<GpuScore> score = make_gpu_score(*request.score);
    if (!score || score->is_energy()) return false;  // point sets, energy nets: the CPU path
    // One compiled kernel per score shape; the newest snapshot of a known shape only rebinds.
    auto it = kernels_.find(score->defines());
    if (it == kernels_.end()) {
      auto density = std::make_unique<GpuDensity>(*score, request.noise, request.config);
      it = kernels_.emplace(score->defines(), std::move(density)).first;
    } else {
      it->second->set_score(*score);
      it->second->configure(request.noise, request.config);
    }
    score_ = std::move(score);  // after set_score: the kernel no longer points at the old one
    density_ = it->second.get();
    if (!(density_->grid() == request.grid)) density_->set_grid(request.grid);
    return true;
  }

  void rows(int row0, int row1, float* out) override {
    density_->compute_rows(row0, row1);
    const std::vector<float> all = density_->read_back();
    const size_t width = size_t(density_->grid().width);
    std::copy(all.begin() + std::ptrdiff_t(size_t(row0) * width), all.begin() + std::ptrdiff_t(size_t(row1) * width),
              out);
  }

 private:
  std::unique_ptr<gl::HeadlessContext> context_;
  std::map<std::string, std::unique_ptr<GpuDensity>> kernels_;
  std::unique_ptr<GpuScore> score_;
  GpuDensity* density_ = nullptr;
};

}  // namespace

std::unique_ptr<DensityBackend> make_gpu_density_backend(std::string* why) {
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(why);
  if (!context) return nullptr;
  return std::make_unique<GpuDensityBackend>(std::move(context));
}

}  // namespace scorelab
