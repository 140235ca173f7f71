#include "core/nn/packing.hpp"

#include <string>

#include "core/nn/score_network.hpp"

namespace scorelab {

namespace {
constexpr int kLayerAlign = 64;  // floats (256 bytes)
int align_up(int n, int a) { return (n + a - 1) / a * a; }
}  // namespace

Std140Layout std140_layout(const Mlp<float>& net) {
  Std140Layout out;
  const int n_layers = net.layers();
  int at = out.dims + pad4(n_layers + 1);
  out.freqs = at;
  at += pad4(net.config().fourier);
  for (int l = 0; l < n_layers; ++l) {
    out.biases.push_back(at);
    at += pad4(net.fan_out(l));
  }
  for (int l = 0; l < n_layers; ++l) {
    at = align_up(at, kLayerAlign);
    out.weights.push_back(at);
    out.row_stride.push_back(pad4(net.fan_in(l)));
    at += net.fan_out(l) * pad4(net.fan_in(l));
  }
  out.total = align_up(at, kLayerAlign);
  return out;
}

std::vector<float> pack_weights_std140(const Mlp<float>& net) {
  const Std140Layout lay = std140_layout(net);
  std::vector<float> out(lay.total, 0.0f);
  const int n_layers = net.layers();
  out[0] = float(n_layers);
  out[1] = float(net.config().fourier);
  out[2] = float(static_cast<int>(net.config().activation));
  out[3] = net.config().energy ? 1.0f : 0.0f;
  out[4] = float(net.data_rms());
  out[5] = float(kMinNoiseScale);
  for (int l = 0; l <= n_layers; ++l) out[lay.dims + l] = float(l < n_layers ? net.fan_in(l) : net.output_dim());
  for (int k = 0; k < net.config().fourier; ++k) out[lay.freqs + k] = net.fourier_freqs()[k];
  for (int l = 0; l < n_layers; ++l) {
    auto b = net.bias(l);
    for (int r = 0; r < net.fan_out(l); ++r) out[lay.biases[l] + r] = b[r];
    auto w = net.weight(l);
    for (int r = 0; r < net.fan_out(l); ++r)
      for (int c = 0; c < net.fan_in(l); ++c) out[lay.weights[l] + r * lay.row_stride[l] + c] = w(r, c);
  }
  return out;
}

Mlp<float> unpack_weights_std140(const std::vector<float>& packed, const ModelConfig& config) {
  Mlp<float> net(config);
  const Std140Layout lay = std140_layout(net);
  const int n_layers = net.layers();
  if (static_cast<int>(packed.size()) != lay.total || packed[0] != float(n_layers) ||
      packed[1] != float(config.fourier) || packed[2] != float(static_cast<int>(config.activation)) ||
      packed[3] != (config.energy ? 1.0f : 0.0f))
    throw InputError("packed weights do not match the model architecture (" + std::to_string(packed.size()) +
                     " floats, expected " + std::to_string(lay.total) + ")");
  for (int l = 0; l <= n_layers; ++l)
    if (packed[lay.dims + l] != float(l < n_layers ? net.fan_in(l) : net.output_dim()))
      throw InputError("packed weights: layer widths do not match the model architecture");
  net.set_data_rms(packed[4]);
  for (int k = 0; k < config.fourier; ++k) net.fourier_freqs()[k] = packed[lay.freqs + k];
  for (int l = 0; l < n_layers; ++l) {
    auto b = net.bias(l);
    for (int r = 0; r < net.fan_out(l); ++r) b[r] = packed[lay.biases[l] + r];
    auto w = net.weight(l);
    for (int r = 0; r < net.fan_out(l); ++r)
      for (int c = 0; c < net.fan_in(l); ++c) w(r, c) = packed[lay.weights[l] + r * lay.row_stride[l] + c];
  }
  return net;
}

}  // namespace scorelab
