#include "core/nn/score_network.hpp"

#include <stdexcept>

#include "core/parallel.hpp"

namespace scorelab {

namespace {

// Per-thread scratch: a sampler calls score() thousands of times; this keeps the allocations.
struct Workspace {
  MlpTape<float> tape;
  Eigen::MatrixXf features, tangents, y, grad_x, lap;
};

Workspace& workspace() {
  thread_local Workspace ws;
  return ws;
}

// (2, 2n): c·e₁ for every point, then c·e₂ (c = c_in turns feature tangents into x tangents).
void unit_tangents(Eigen::Index n, float c, Eigen::MatrixXf& out) {
  out.setZero(2, 2 * n);
  out.block(0, 0, 1, n).setConstant(c);
  out.block(1, n, 1, n).setConstant(c);
}

// Runs fn(begin, end) over [0, n) in chunks of NetworkScore::kChunk, split across threads.
template <typename Fn>
void for_chunks(Eigen::Index n, Fn&& fn) {
  parallel_for_columns(
      n,
      [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index b = begin; b < end; b += NetworkScore::kChunk)
          fn(b, std::min(end, b + NetworkScore::kChunk));
      },
      NetworkScore::kChunk);
}

}  // namespace

NetworkScore::NetworkScore(std::shared_ptr<const Mlp<float>> net, int label) : net_(std::move(net)), label_(label) {
  if (!net_) throw std::invalid_argument("NetworkScore: null network");
}

void NetworkScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  out.resize(2, x.cols());
  const double scale = output_scale(level.s);
  const Mlp<float>& net = *net_;
  const float c_in = static_cast<float>(net.input_scale(level.m, level.s));
  for_chunks(x.cols(), [&](Eigen::Index b, Eigen::Index e) {
    Workspace& ws = workspace();
    const Eigen::Index n = e - b;
    net.features(x.middleCols(b, n), level, ws.features, label_);
    if (!net.config().energy) {
      net.forward(ws.features, ws.tape, false);
      out.middleCols(b, n) = ws.tape.out.cast<double>() * scale;
    } else {
      // ∂E/∂x_k = J_x·e_k: two forward-mode tangents of the scalar output.
      unit_tangents(n, c_in, ws.tangents);
      net.forward(ws.features, ws.tangents, ws.tape, false);
      out.block(0, b, 1, n) = ws.tape.out.middleCols(n, n).cast<double>() * -scale;
      out.block(1, b, 1, n) = ws.tape.out.middleCols(2 * n, n).cast<double>() * -scale;
    }
  });
}

void NetworkScore::score_and_divergence(const Points& x, const NoiseLevel& level, Points& out,
                                        Scalars& div) const {
  out.resize(2, x.cols());
  div.resize(x.cols());
  const double scale = output_scale(level.s);
  const Mlp<float>& net = *net_;
  const float c_in = static_cast<float>(net.input_scale(level.m, level.s));
  for_chunks(x.cols(), [&](Eigen::Index b, Eigen::Index e) {
    Workspace& ws = workspace();
    const Eigen::Index n = e - b;
    net.features(x.middleCols(b, n), level, ws.features, label_);
    if (!net.config().energy) {
      // ∇·s = (∂y₁/∂x₁ + ∂y₂/∂x₂)/s: row 0 of J·e₁ plus row 1 of J·e₂.
      unit_tangents(n, c_in, ws.tangents);
      net.forward(ws.features, ws.tangents, ws.tape, false);
      const Eigen::MatrixXf& o = ws.tape.out;
      out.middleCols(b, n) = o.leftCols(n).cast<double>() * scale;
      div.segment(b, n) = (o.block(0, n, 1, n) + o.block(1, 2 * n, 1, n)).transpose().cast<double>() * scale;
    } else {
      // s = −∇E/s, ∇·s = −ΔE/s.
      net.forward_laplacian(ws.features, c_in, ws.tape, ws.y, ws.grad_x, ws.lap);
      out.middleCols(b, n) = ws.grad_x.cast<double>() * -scale;
      div.segment(b, n) = ws.lap.row(0).transpose().cast<double>() * -scale;
    }
  });
}

}  // namespace scorelab
