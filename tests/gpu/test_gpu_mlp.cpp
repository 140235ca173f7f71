// mlp.glsl against core's network: the packed std140 layout, the forward pass (score) and the
// forward-mode Jacobian (divergence), for every activation, the Fourier time embedding, energy
// networks, widths that are not multiples of 4, and both weight paths (uniform blocks, storage
// buffer).
//
// Tolerance: both core (Mlp<float>, Eigen GEMM) and the shader compute in float, in different
// summation orders and with different exp/tanh implementations, so neither is "the truth". The
// truth is the same network in double (Mlp<double>, the weights cast exactly). Core's float forward
// shows how far float rounding alone moves each output at these inputs (err_cpu = max over points
// of |core float − double|, relative to 1 + |value|); the shader must be as accurate up to a small
// factor: err_gpu ≤ 4·err_cpu + 16u, u = 2⁻²⁴. A wrong layout offset, bias, activation or tangent
// gives errors of order 1, not a few ulp.
#include <doctest/doctest.h>

#include "app/gl/compute.hpp"
#include "app/gpu/gpu_score_field.hpp"
#include "core/nn/packing.hpp"
#include "core/nn/score_network.hpp"
#include "core/rng.hpp"
#include "gpu_test_context.hpp"

namespace scorelab {
namespace {

constexpr double kUnitRoundoff = 1.0 / 16777216.0;

std::shared_ptr<Mlp<float>> make_net(ModelConfig config, uint32_t seed, double data_rms) {
  auto net = std::make_shared<Mlp<float>>(config);
  net->init(seed);
  RngStream rng(seed, 7);  // init() zeroes the biases: give them values so that they are tested
  for (int l = 0; l < net->layers(); ++l) {
    auto b = net->bias(l);
    for (int r = 0; r < b.size(); ++r) b[r] = float(0.3 * rng.normal());
  }
  net->set_data_rms(data_rms);
  return net;
}

// Score and divergence of the network in double: the same formulas as NetworkScore.
void double_reference(const Mlp<float>& net_f, const Points& x, const NoiseLevel& level, Points& s, Scalars& div) {
  const Mlp<double> net = net_f.cast<double>();
  Eigen::MatrixXd features, tangents = Eigen::MatrixXd::Zero(2, 2 * x.cols());
  net.features(x, level, features);
  const double c_in = net.input_scale(level.m, level.s), scale = output_scale(level.s);
  const Eigen::Index n = x.cols();
  tangents.block(0, 0, 1, n).setConstant(c_in);
  tangents.block(1, n, 1, n).setConstant(c_in);
  MlpTape<double> tape;
  net.forward(features, tangents, tape, false);
  const Eigen::MatrixXd& o = tape.out;
  if (net.config().energy) {  // s = −∇E/s
    s.resize(2, n);
    s.row(0) = o.block(0, n, 1, n) * -scale;
    s.row(1) = o.block(0, 2 * n, 1, n) * -scale;
    div = Scalars::Zero(n);
  } else {
    s = o.leftCols(n) * scale;
    div = (o.block(0, n, 1, n) + o.block(1, 2 * n, 1, n)).transpose() * scale;
  }
}

double rel_err(double a, double truth) { return std::abs(a - truth) / (1.0 + std::abs(truth)); }

// The score network on the chosen kernel (the lanes kernel with uniform blocks or a storage buffer,
// or the fused kernel, which always stages its weights from the storage buffer).
GpuScore gpu_network(const std::shared_ptr<Mlp<float>>& net, bool force_storage_buffer, NetworkKernel kernel) {
  if (kernel == NetworkKernel::fused) return GpuScore(std::shared_ptr<const Mlp<float>>(net), NetworkKernel::fused);
  return GpuScore(std::shared_ptr<const Mlp<float>>(net), GpuScore::kNetworkBatch, force_storage_buffer);
}

void check_network(const char* name, const std::shared_ptr<Mlp<float>>& net, bool force_storage_buffer = false,
                   bool divergence = true, NetworkKernel kernel = NetworkKernel::lanes) {
  const std::string what = std::string(name) + " [" + to_string(kernel) + "]";
  CAPTURE(what);
  const NetworkScore cpu(net);
  const GpuScore gpu = gpu_network(net, force_storage_buffer, kernel);
  REQUIRE(gpu.kernel() == kernel);
  CHECK(gpu.uses_weight_ssbo() == (force_storage_buffer || kernel == NetworkKernel::fused));
  GpuScoreField field(gpu);
  Points x(2, 1001);  // odd: the last invocation's batch is partial
  RngStream rng(3, 1);
  for (int j = 0; j < x.cols(); ++j) x.col(j) = Vec2(rng.uniform(-6, 6), rng.uniform(-6, 6));
  x = x.cast<float>().cast<double>();  // the points both sides see exactly
  const bool with_div = divergence && !net->config().energy;
  const Sde sde(NoiseConfig{});
  for (double t : {0.001, 0.3, 1.0}) {
    CAPTURE(t);
    const GpuLevel level = sde_level(sde, t);
    Points s_true, s_cpu;
    Scalars div_true, div_cpu;
    double_reference(*net, x, level.level, s_true, div_true);
    cpu.score_and_divergence(x, level.level, s_cpu, div_cpu);
    const FieldValues g = field.evaluate(x, level, with_div);
    REQUIRE(g.allFinite());
    double cpu_s = 0, gpu_s = 0, cpu_d = 0, gpu_d = 0;
    for (int j = 0; j < x.cols(); ++j) {
      for (int r = 0; r < 2; ++r) {
        cpu_s = std::max(cpu_s, rel_err(s_cpu(r, j), s_true(r, j)));
        gpu_s = std::max(gpu_s, rel_err(g(r, j), s_true(r, j)));
      }
      if (with_div) {
        cpu_d = std::max(cpu_d, rel_err(div_cpu[j], div_true[j]));
        gpu_d = std::max(gpu_d, rel_err(g(2, j), div_true[j]));
      }
    }
    MESSAGE(what << " t=" << t << ": score err gpu " << gpu_s << " core " << cpu_s << "; divergence err gpu " << gpu_d
                 << " core " << cpu_d);
    CHECK(gpu_s <= 4 * cpu_s + 16 * kUnitRoundoff);
    if (with_div) CHECK(gpu_d <= 4 * cpu_d + 16 * kUnitRoundoff);
  }
}

}  // namespace

TEST_CASE("pack_weights_std140: the layout the shader reads, and its inverse") {
  ModelConfig config;
  config.hidden = {20, 13};
  config.fourier = 3;
  config.activation = Activation::tanh;
  auto net = make_net(config, 5, 1.0);
  const Std140Layout lay = std140_layout(*net);
  const std::vector<float> packed = pack_weights_std140(*net);
  REQUIRE(int(packed.size()) == lay.total);
  CHECK(lay.total % 64 == 0);
  for (int l = 0; l < net->layers(); ++l) {
    CHECK(lay.weights[l] % 64 == 0);  // each layer can be bound alone (256-byte offsets)
    CHECK(lay.biases[l] % 4 == 0);
    CHECK(lay.row_stride[l] == pad4(net->fan_in(l)));
    // Row r of W_l at weights[l] + r·stride: spot-check the last element of the last row.
    const int r = net->fan_out(l) - 1, c = net->fan_in(l) - 1;
    CHECK(packed[lay.weights[l] + r * lay.row_stride[l] + c] == net->weight(l)(r, c));
    CHECK(packed[lay.biases[l] + r] == net->bias(l)[r]);
  }
  CHECK(packed[0] == float(net->layers()));
  CHECK(packed[lay.freqs + 2] == net->fourier_freqs()[2]);
  const Mlp<float> back = unpack_weights_std140(packed, config);
  CHECK(back.params() == net->params());
  CHECK(back.fourier_freqs() == net->fourier_freqs());
}

TEST_CASE("mlp.glsl forward and Jacobian match core's network (uniform-block weights)") {
  SCORELAB_REQUIRE_GPU();
  ModelConfig c;
  c.hidden = {20, 12};  // 20: a width that is not a multiple of 4 × 4 lanes
  check_network("silu 20-12, data_rms 1.7", make_net(c, 2, 1.7));
  c.hidden = {16, 10, 8};
  c.activation = Activation::softplus;
  check_network("softplus 16-10-8", make_net(c, 3, 1.0));
  c.hidden = {12};
  c.activation = Activation::tanh;
  c.fourier = 4;
  check_network("tanh 12, 4 Fourier pairs", make_net(c, 4, 1.0));
  c.hidden = {16, 16};
  c.activation = Activation::silu;
  c.fourier = 0;
  c.energy = true;
  check_network("energy silu 16-16 (score only)", make_net(c, 5, 1.0));
}

TEST_CASE("mlp.glsl: the reference network 3 → 64 → 64 → 2 (the bench's; score only)") {
  SCORELAB_REQUIRE_GPU();
  // Width matters on llvmpipe (see GpuScore::kNetworkBatch): the benchmarked shape is checked too.
  // Its Jacobian kernel is left out: ~35 s to compile on llvmpipe, the same code as the small nets'.
  ModelConfig c;
  c.hidden = {64, 64};
  check_network("silu 64-64", make_net(c, 8, 1.0), false, false);
}

// The fused kernel (mlp_fused.glsl) to the same tolerance: every activation, Fourier features,
// widths that are not multiples of 4 or 8, an energy net (its score is the Jacobian pass).
TEST_CASE("mlp_fused.glsl forward and Jacobian match core's network") {
  SCORELAB_REQUIRE_GPU();
  const NetworkKernel fused = NetworkKernel::fused;
  ModelConfig c;
  c.hidden = {20, 12};
  check_network("silu 20-12, data_rms 1.7", make_net(c, 2, 1.7), false, true, fused);
  c.hidden = {16, 10, 8};
  c.activation = Activation::softplus;
  check_network("softplus 16-10-8", make_net(c, 3, 1.0), false, true, fused);
  c.hidden = {12};
  c.activation = Activation::tanh;
  c.fourier = 4;
  check_network("tanh 12, 4 Fourier pairs", make_net(c, 4, 1.0), false, true, fused);
  c.hidden = {16, 16};
  c.activation = Activation::silu;
  c.fourier = 0;
  c.energy = true;
  check_network("energy silu 16-16 (score only)", make_net(c, 5, 1.0), false, true, fused);
}

// The bench's reference networks on the fused kernel: 64-64 with its Jacobian (the density's) and
// 3 × 128 (score). On llvmpipe's 32 KiB of shared memory both are staged in tiles of input columns.
TEST_CASE("mlp_fused.glsl: the reference networks 3 → 64 → 64 → 2 and 3 → 128³ → 2") {
  SCORELAB_REQUIRE_GPU();
  ModelConfig c;
  c.hidden = {64, 64};
  const auto net64 = make_net(c, 8, 1.0);
  const GpuScore probe(std::shared_ptr<const Mlp<float>>(net64), NetworkKernel::fused);
  REQUIRE(probe.fused_shape());
  MESSAGE("fused 64-64: " << probe.fused_shape()->particles << " particles per pass, weight tiles of "
                          << probe.fused_shape()->k_tile << " columns, " << probe.fused_shape()->shared_bytes
                          << " bytes of shared memory (limit " << gpu::get_integer(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE)
                          << ")");
  check_network("silu 64-64", net64, false, true, NetworkKernel::fused);
  c.hidden = {128, 128, 128};
  check_network("silu 128-128-128", make_net(c, 9, 1.0), false, false, NetworkKernel::fused);
}

TEST_CASE("mlp.glsl with the weights in a storage buffer (layers too big for a uniform block)") {
  SCORELAB_REQUIRE_GPU();
  ModelConfig c;
  c.hidden = {20, 12};
  check_network("silu 20-12 from an SSBO", make_net(c, 6, 1.2), true);
}

TEST_CASE("GpuScoreField: a grid straight into a GPU buffer") {
  SCORELAB_REQUIRE_GPU();
  ModelConfig c;
  c.hidden = {20, 12};
  auto net = make_net(c, 7, 1.0);
  const NetworkScore cpu(net);
  const GpuScore gpu{std::shared_ptr<const Mlp<float>>(net)};
  GpuScoreField field(gpu);
  const GpuLevel level = sde_level(Sde(NoiseConfig{}), 0.5);
  gl::Buffer out;
  const int nx = 13, ny = 7;
  field.fill_grid(out, nx, ny, Vec2(-3.0, -2.0), Vec2(0.5, 0.5), level, false);
  FieldValues g(4, nx * ny);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, out.id());
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, GLsizeiptr(g.size() * sizeof(float)), g.data());
  Points x(2, nx * ny);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) x.col(j * nx + i) = Vec2(-3.0 + 0.5 * i, -2.0 + 0.5 * j);
  Points s;
  cpu.score(x, level.level, s);
  REQUIRE(g.allFinite());
  // Exact grid coordinates in float, so only the forward's rounding differs (see the file comment).
  CHECK((g.topRows(2).cast<double>() - s).cwiseAbs().maxCoeff() <= 1e-5 * (1 + s.cwiseAbs().maxCoeff()));
}

}  // namespace scorelab
