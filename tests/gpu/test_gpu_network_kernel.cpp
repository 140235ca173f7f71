// Which network kernel a GPU score gets (app/gpu/network_kernel.hpp) and how the fused kernel is
// laid out in shared memory (app/gpu/fused_mlp_shape.hpp). The kernels' numbers are checked against
// core in test_gpu_mlp.cpp, test_gpu_parity.cpp and test_gpu_density.cpp.
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "app/gl/compute.hpp"
#include "app/gpu/fused_mlp_shape.hpp"
#include "app/gpu/gpu_score.hpp"
#include "app/gpu/network_kernel.hpp"
#include "app/gpu/network_kernel_probe.hpp"
#include "core/nn/score_network.hpp"
#include "core/toy_data.hpp"
#include "gpu_test_context.hpp"
#include "seeded_network.hpp"

namespace scorelab {
namespace {

// Sets SCORELAB_GPU_KERNEL for one scope and puts back what was there.
class KernelOverride {
 public:
  explicit KernelOverride(const char* value) {
    if (const char* old = std::getenv("SCORELAB_GPU_KERNEL")) saved_ = old;
    if (value) setenv("SCORELAB_GPU_KERNEL", value, 1);
    else unsetenv("SCORELAB_GPU_KERNEL");
  }
  ~KernelOverride() {
    if (saved_) setenv("SCORELAB_GPU_KERNEL", saved_->c_str(), 1);
    else unsetenv("SCORELAB_GPU_KERNEL");
  }

 private:
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("the network kernel: lanes on software renderers, fused on hardware, SCORELAB_GPU_KERNEL forces one") {
  for (const char* soft : {"llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe", "Mesa swrast"})
    CHECK(choose_network_kernel(soft, nullptr) == NetworkKernel::lanes);
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", nullptr) == NetworkKernel::fused);
  CHECK(choose_network_kernel("AMD Radeon RX 7900 XTX (radeonsi, navi31, LLVM 15.0.6)", "") == NetworkKernel::fused);
  CHECK(choose_network_kernel("llvmpipe (LLVM 15.0.6, 256 bits)", "fused") == NetworkKernel::fused);
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", "lanes") == NetworkKernel::lanes);
  std::string warning;
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", "fast", &warning) == NetworkKernel::fused);
  CHECK(warning.find("SCORELAB_GPU_KERNEL=fast") != std::string::npos);
  CHECK(warning.find("fused or lanes") != std::string::npos);
  warning.clear();
  CHECK(choose_network_kernel("llvmpipe", "fused", &warning) == NetworkKernel::fused);
  CHECK(warning.empty());
  // The measured probe decides on hardware only, and SCORELAB_GPU_KERNEL over it.
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", nullptr, nullptr, NetworkKernel::lanes) == NetworkKernel::lanes);
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", nullptr, nullptr, NetworkKernel::fused) == NetworkKernel::fused);
  CHECK(choose_network_kernel("llvmpipe", nullptr, nullptr, NetworkKernel::fused) == NetworkKernel::lanes);
  CHECK(choose_network_kernel("NVIDIA H200/PCIe/SSE2", "fused", nullptr, NetworkKernel::lanes) == NetworkKernel::fused);
  CHECK(parse_network_kernel("fused") == NetworkKernel::fused);
  CHECK(parse_network_kernel("lanes") == NetworkKernel::lanes);
  CHECK(!parse_network_kernel("Fused"));
}

TEST_CASE("fused_mlp_shape: register blocks, passes and weight tiles within the shared memory") {
  ModelConfig c;
  c.hidden = {64, 64};
  const Mlp<float> net64(c);
  // 48 KiB (NVIDIA): 64 particles per pass (8 rows × 8 particles per invocation), and the 64 × 64
  // layer staged whole; 32 KiB (llvmpipe, the GL minimum): staged in tiles of input columns.
  const auto big = fused_mlp_shape(net64, 48 * 1024);
  REQUIRE(big);
  CHECK(big->particles == 64);
  CHECK(big->particles_jac == 32);
  CHECK(big->act_rows == 64);
  CHECK(big->whole_layers);
  CHECK(big->k_tile == 64);
  const auto small = fused_mlp_shape(net64, 32 * 1024);
  REQUIRE(small);
  CHECK(!small->whole_layers);
  CHECK(small->k_tile % 4 == 0);
  CHECK(small->k_tile >= 4);
  CHECK(small->shared_bytes <= 32 * 1024 - kFusedSharedReserve);
  c.hidden = {128, 128, 128};
  const Mlp<float> net128(c);
  const auto wide = fused_mlp_shape(net128, 48 * 1024);
  REQUIRE(wide);
  CHECK(wide->particles == 32);  // 16 rows × 4 particles per invocation
  CHECK(wide->particles_jac == 16);
  CHECK(wide->shared_bytes <= 48 * 1024 - kFusedSharedReserve);
  CHECK(wide->weight_floats == 128 * wide->k_tile);
  c.hidden = {1024};  // not even 8 particles and a 4-column tile fit: the caller keeps lanes
  CHECK(!fused_mlp_shape(Mlp<float>(c), 32 * 1024));
  const std::string defines = fused_mlp_defines(net64, *big);
  CHECK(defines.find("#define MLP_FUSED 1") != std::string::npos);
  CHECK(defines.find("#define FUSED_KT 64") != std::string::npos);
  CHECK(defines.find("#define MLP_RS1 64") != std::string::npos);
}

TEST_CASE("make_gpu_score follows the renderer and SCORELAB_GPU_KERNEL") {
  SCORELAB_REQUIRE_GPU();
  const NetworkScore net(test::seeded_network({16, 12}, 3, 1.0));
  const bool software = test::gpu_context(nullptr)->is_software();
  {
    KernelOverride unset(nullptr);
    CHECK(make_gpu_score(net)->kernel() == (software ? NetworkKernel::lanes : NetworkKernel::fused));
  }
  {
    KernelOverride forced("fused");
    const auto score = make_gpu_score(net);
    CHECK(score->kernel() == NetworkKernel::fused);
    CHECK(score->batch() == 1);
    CHECK(score->defines().find("#define MLP_FUSED 1") != std::string::npos);
  }
  {
    KernelOverride forced("lanes");
    const auto score = make_gpu_score(net);
    CHECK(score->kernel() == NetworkKernel::lanes);
    CHECK(score->batch() == GpuScore::kNetworkBatch);
  }
  // The probe measures only on hardware (on a software renderer: lanes, unmeasured).
  if (software) {
    KernelOverride unset(nullptr);
    CHECK(!probe_network_kernels());
    CHECK(!probed_network_kernel());
  }
  // The exact mixture has one kernel whatever is forced.
  KernelOverride forced("fused");
  CHECK(make_gpu_score(MixtureScore(*toy_mixture("8gaussians")))->kernel() == NetworkKernel::lanes);
}

}  // namespace scorelab
