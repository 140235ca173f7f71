// core/nn/: the score network alone, nothing about how it is trained (core/training/): its config
// (model_config: the scene's "model" section), activations, the MLP, the network as a ScoreFunction
// (score_network), its weights packed for the GPU (packing) and saved to files (model_io).
//
// The score network: a batched multilayer perceptron with forward mode (Jacobian-vector products
// w.r.t. the input point) and reverse mode (parameter gradients), including the backward pass
// through the JVPs that implicit and sliced score matching need.
//
// Layout: activations are (features, batch) column-major, so each layer is ONE GEMM for the whole
// batch. With K tangents the columns are [primal | tangent 1 | … | tangent K], each B wide, and the
// same GEMM pushes the primal values and all tangents through a layer together (ȧ = W ḣ). The
// parameters live in one flat vector (per layer: W_l column-major (fan_out × fan_in), then b_l), so
// Adam, the EMA, checksums and I/O work on a single array.
//
// Instantiated for float (training and sampling) and double (gradient checks with tight tolerances).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/nn/activation.hpp"
#include "core/nn/model_config.hpp"
#include "core/score_function.hpp"
#include "core/types.hpp"

namespace scorelab {

// What a forward pass keeps for the backward pass. Reused across calls: Eigen keeps the capacity.
template <typename Scalar>
struct MlpTape {
  using Matrix = MatrixX<Scalar>;
  Eigen::Index batch = 0;  // B
  int tangents = 0;        // K
  std::vector<Matrix> h;   // h[l]: input of layer l, (fan_in_l, (1+K)B); h[0] = features | tangent inputs
  std::vector<Matrix> a;   // a[l]: pre-activation of hidden layer l, (fan_out_l, (1+K)B)
  std::vector<Matrix> d1;  // φ'(a[l]) on the primal block, (fan_out_l, B)
  std::vector<Matrix> d2;  // φ''(a[l]) on the primal block (kept only with tangents and for_backward)
  Matrix out;              // (output_dim, (1+K)B): y | J·v₁ | … | J·v_K
  Matrix grad, delta;      // backward scratch: ∂L/∂a and ∂L/∂h of the current layer
};

template <typename Scalar>
class Mlp {
 public:
  using Matrix = MatrixX<Scalar>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Tape = MlpTape<Scalar>;

  Mlp() = default;
  // All parameters zero; call init(seed). Throws InputError on an invalid config.
  explicit Mlp(const ModelConfig& config);
  // He-normal weights (std √(2/fan_in)), zero biases, Fourier frequencies
  // f_k ~ N(0, fourier_scale²); every draw from core/rng.hpp streams of `seed`.
  void init(uint32_t seed);

  const ModelConfig& config() const { return config_; }
  int layers() const { return static_cast<int>(dims_.size()) - 1; }  // affine layers
  int fan_in(int l) const { return dims_[l]; }
  int fan_out(int l) const { return dims_[l + 1]; }
  int input_dim() const { return dims_.front(); }   // 3, or 2 + 2F with Fourier features; + K + 1 with classes
  int classes() const { return config_.classes; }    // K (0: unconditional)
  // The first of the K + 1 one-hot label rows (class k is row label_row() + k, ∅ the last).
  int label_row() const { return input_dim() - (config_.classes > 0 ? config_.classes + 1 : 0); }
  int output_dim() const { return dims_.back(); }   // 2, or 1 for an energy net
  Eigen::Index param_count() const { return params_.size(); }

  Vector& params() { return params_; }
  const Vector& params() const { return params_; }
  Vector& fourier_freqs() { return freqs_; }  // (F), not trained
  const Vector& fourier_freqs() const { return freqs_; }
  Eigen::Index weight_offset(int l) const { return offsets_[l]; }
  Eigen::Index bias_offset(int l) const { return offsets_[l] + Eigen::Index(fan_in(l)) * fan_out(l); }
  Eigen::Map<Matrix> weight(int l) { return {params_.data() + weight_offset(l), fan_out(l), fan_in(l)}; }
  Eigen::Map<const Matrix> weight(int l) const {
    return {params_.data() + weight_offset(l), fan_out(l), fan_in(l)};
  }
  Eigen::Map<Vector> bias(int l) { return {params_.data() + bias_offset(l), fan_out(l)}; }
  Eigen::Map<const Vector> bias(int l) const { return {params_.data() + bias_offset(l), fan_out(l)}; }

  template <typename Other>
  Mlp<Other> cast() const {
    Mlp<Other> out(config_);
    out.params() = params_.template cast<Other>();
    out.fourier_freqs() = freqs_.template cast<Other>();
    out.set_data_rms(data_rms_);
    return out;
  }

  // Input normalisation (EDM's c_in): the features hold c_in·x with c_in = 1/√(m²·data_rms² + s²),
  // the inverse RMS of x = m·x0 + s·z, so the first layer sees unit-scale inputs at every noise
  // level (VE inputs reach 2σ_max ≈ 100 otherwise, and train badly). data_rms = √(mean x0²) over the
  // training points and both coordinates, set by the trainer and saved with the weights; 0 turns
  // the scaling off (c_in = 1).
  double data_rms() const { return data_rms_; }
  void set_data_rms(double rms) { data_rms_ = rms; }
  double input_scale(double m, double s) const {
    return data_rms_ > 0 ? 1.0 / std::sqrt(m * m * data_rms_ * data_rms_ + s * s) : 1.0;
  }

  // Network input (input_dim, B) for points x (2, B): rows c_in·x, then t or its Fourier features,
  // then (class-conditional nets) the one-hot label. Per-column times t and scales c_in (B), or one
  // level for all columns. labels (B) / label: a class in [0, K), anything else (kNoLabel) is ∅;
  // without labels every column is ∅. Unconditional nets ignore them.
  static constexpr int kNoLabel = -1;
  void features(const Eigen::Ref<const Points>& x, const Eigen::VectorXd& t, const Eigen::VectorXd& c_in,
                Matrix& out, const Eigen::VectorXi* labels = nullptr) const;
  void features(const Eigen::Ref<const Points>& x, const NoiseLevel& level, Matrix& out,
                int label = kNoLabel) const;

  // y = net(features) into tape.out (output_dim, B). for_backward keeps φ' for backward().
  void forward(const Matrix& features, Tape& tape, bool for_backward = true) const;
  // Also the K forward-mode products J·v_k with J = ∂y/∂(feature rows 0, 1): tangents (2, K·B),
  // column k·B + i is v_k for point i. tape.out = [y | J v₁ | … | J v_K]. The time features have zero
  // tangent. Since those rows are c_in·x, pass c_in·v to get ∂y/∂x·v.
  void forward(const Matrix& features, const Matrix& tangents, Tape& tape, bool for_backward = true) const;

  // Reverse mode through the last forward(…, for_backward = true). grad_out (output_dim, (1+K)B) holds
  // [∂L/∂y | ∂L/∂(J v₁) | …]. ADDS ∂L/∂θ to grad (param_count). grad_features, when given, receives
  // ∂L/∂features (input_dim, B) along the primal path (the tangents v are constants).
  void backward(Tape& tape, const Matrix& grad_out, Vector& grad, Matrix* grad_features = nullptr) const;

  // Second-order forward mode for the energy parametrisation: y (output_dim, B), the gradient
  // rows grad_x (2·output_dim, B) = [∂y/∂x₁; ∂y/∂x₂] and lap (output_dim, B) = ∂²y/∂x₁² + ∂²y/∂x₂²,
  // for feature rows 0, 1 = c_in·x (c_in = 1 differentiates w.r.t. the feature rows themselves).
  // Forward only (no backward through it).
  void forward_laplacian(const Matrix& features, Scalar c_in, Tape& tape, Matrix& y, Matrix& grad_x,
                         Matrix& lap) const;

 private:
  void forward_impl(const Matrix& features, const Matrix* tangents, int k, Tape& tape, bool keep) const;
  // Fills the one-hot label rows of out (see features()); label(i) gives column i's label.
  template <typename LabelOf>
  void write_labels(Matrix& out, LabelOf label) const;

  ModelConfig config_;
  std::vector<int> dims_;               // input_dim, hidden..., output_dim
  std::vector<Eigen::Index> offsets_;   // start of W_l in params_
  Vector params_;
  Vector freqs_;
  double data_rms_ = 0;
};

extern template class Mlp<float>;
extern template class Mlp<double>;

}  // namespace scorelab
