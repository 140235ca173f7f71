// Adam against the textbook update, gradient clipping, convergence on a quadratic, and the EMA
// of the weights with its warm-up.
#include <doctest/doctest.h>

#include <cmath>

#include "core/training/adam.hpp"

using namespace scorelab;

TEST_CASE("Adam follows Kingma & Ba's algorithm with bias correction") {
  AdamOptions opt;
  opt.lr = 0.01;
  Adam<float> adam(3, opt);
  Eigen::VectorXf theta(3);
  theta << 1.0f, -2.0f, 0.5f;
  // The textbook update in double: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε).
  Eigen::VectorXd ref = theta.cast<double>(), m = Eigen::VectorXd::Zero(3), v = Eigen::VectorXd::Zero(3);
  for (int t = 1; t <= 20; ++t) {
    Eigen::VectorXd g(3);
    g << std::sin(t), 0.1 * t, -3.0 + 0.01 * t * t;
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g.cwiseAbs2();
    Eigen::VectorXd mhat = m / (1 - std::pow(0.9, t)), vhat = v / (1 - std::pow(0.999, t));
    ref.array() -= 0.01 * mhat.array() / (vhat.array().sqrt() + 1e-8);
    Eigen::VectorXf gf = g.cast<float>();
    adam.step(theta, gf);
    // Float arithmetic on O(1) values: each step errs by a few ulps (6e-8) of the step lr ≈ 0.01
    // and of θ; 20 steps of accumulated rounding stay far below 1e-5.
    CHECK((theta.cast<double>() - ref).cwiseAbs().maxCoeff() < 1e-5);
  }
  CHECK(adam.steps() == 20);
  // The first step moves every coordinate by lr·sign(g) (m̂/√v̂ = g/|g|): a pinned value.
  Adam<float> fresh(1, opt);
  Eigen::VectorXf one = Eigen::VectorXf::Constant(1, 1.0f), g = Eigen::VectorXf::Constant(1, -7.0f);
  fresh.step(one, g);
  CHECK(one[0] == doctest::Approx(1.01).epsilon(1e-6));
}

TEST_CASE("global-norm clipping rescales the gradient and reports the norm before clipping") {
  AdamOptions opt;
  opt.clip = 1.0;
  Adam<float> adam(2, opt);
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(2), g(2);
  g << 6.0f, 8.0f;  // norm 10
  CHECK(adam.step(theta, g) == doctest::Approx(10.0));
  CHECK(g.norm() == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(g[0] / g[1] == doctest::Approx(0.75));  // direction kept
  Eigen::VectorXf small(2);
  small << 0.3f, 0.4f;  // norm 0.5: untouched
  adam.step(theta, small);
  CHECK(small[0] == 0.3f);
  CHECK(small[1] == 0.4f);
}

TEST_CASE("Adam minimises an ill-conditioned quadratic") {
  AdamOptions opt;
  opt.lr = 0.05;
  Adam<double> adam(2, opt);
  Eigen::VectorXd theta(2), scale(2);
  theta << 3.0, -4.0;
  scale << 1.0, 100.0;  // f = ½Σ aᵢθᵢ², condition number 100
  for (int i = 0; i < 3000; ++i) {
    Eigen::VectorXd g = scale.cwiseProduct(theta);
    adam.step(theta, g);
  }
  // Exact gradients: once θ oscillates about 0, m averages the sign changes out while √v keeps
  // the past magnitude, so the steps shrink geometrically and θ converges (to ~1e-67 here). 1e-6
  // separates convergence from merely hovering within the step size 0.05.
  CHECK(theta.cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("EMA: warm-up decay min(d, (1+n)/(10+n)), then d") {
  Eigen::VectorXf theta = Eigen::VectorXf::Constant(1, 0.0f);
  Ema<float> ema(theta, 0.999);
  theta[0] = 1.0f;
  ema.update(theta);  // d = 1/10
  CHECK(ema.weights()[0] == doctest::Approx(0.9));
  ema.update(theta);  // d = 2/11: 0.9·2/11 + 9/11
  CHECK(ema.weights()[0] == doctest::Approx(0.9 * 2 / 11 + 9.0 / 11));
  for (int i = 0; i < 20000; ++i) ema.update(theta);
  CHECK(ema.weights()[0] == doctest::Approx(1.0).epsilon(1e-5));
  // Late updates use the full decay: one jump to 2 moves the average by (1 − 0.999).
  const float before = ema.weights()[0];
  theta[0] = 2.0f;
  ema.update(theta);
  CHECK(ema.weights()[0] - before == doctest::Approx(0.001 * (2.0 - before)).epsilon(1e-3));
  CHECK(ema.updates() == 20003);
}
