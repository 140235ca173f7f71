// Elementwise activations with their first and second derivatives, on whole (width, batch) blocks.
//
// φ' drives the backward pass and the forward-mode tangents (ḣ = φ'(a)⊙ȧ); φ'' is what the backward
// pass through a Jacobian-vector product needs (∂ḣ/∂a = φ''(a)⊙ȧ).
#pragma once

#include <Eigen/Dense>

#include "core/nn/model_config.hpp"

namespace scorelab {

template <typename Scalar>
using MatrixX = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

// a: pre-activations (rows, cols). Writes f = φ(a); d1 = φ'(a) and d2 = φ''(a) when not null
// (resized to a's shape). f may be any writable block of a's shape.
template <typename Scalar, typename Out>
void activate(Activation act, const Eigen::Ref<const MatrixX<Scalar>>& a, Out&& f, MatrixX<Scalar>* d1,
              MatrixX<Scalar>* d2) {
  auto x = a.array();
  if (d1) d1->resize(a.rows(), a.cols());
  if (d2) d2->resize(a.rows(), a.cols());
  switch (act) {
    case Activation::silu: {
      // φ = a·σ(a), φ' = σ(1 + a(1 − σ)), φ'' = σ(1 − σ)(2 + a(1 − 2σ)); σ computed once.
      MatrixX<Scalar> sg = x.logistic().matrix();
      auto s = sg.array();
      f.array() = x * s;
      if (d1) d1->array() = s * (Scalar(1) + x * (Scalar(1) - s));
      if (d2) d2->array() = s * (Scalar(1) - s) * (Scalar(2) + x * (Scalar(1) - Scalar(2) * s));
      break;
    }
    case Activation::softplus: {
      // φ = log(1 + eᵃ) = max(a, 0) + log1p(e^(−|a|)) (no overflow), φ' = σ(a), φ'' = σ(1 − σ).
      f.array() = x.max(Scalar(0)) + (-x.abs()).exp().log1p();
      if (d1 || d2) {
        MatrixX<Scalar> sg = x.logistic().matrix();
        if (d1) *d1 = sg;
        if (d2) d2->array() = sg.array() * (Scalar(1) - sg.array());
      }
      break;
    }
    case Activation::tanh: {
      // φ = tanh a, φ' = 1 − φ², φ'' = −2φ(1 − φ²).
      f.array() = x.tanh();
      if (d1) d1->array() = Scalar(1) - f.array().square();
      if (d2) d2->array() = Scalar(-2) * f.array() * (Scalar(1) - f.array().square());
      break;
    }
  }
}

}  // namespace scorelab
