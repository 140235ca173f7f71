// The MLP: parameter, input and JVP gradients against central differences (double), float/double
// agreement, initialisation, and the network seen as a ScoreFunction (score, exact divergence).
#include <doctest/doctest.h>

#include <cmath>

#include "core/nn/mlp.hpp"
#include "core/nn/score_network.hpp"
#include "core/rng.hpp"

using namespace scorelab;

namespace {

using Md = Eigen::MatrixXd;

Md random_matrix(Eigen::Index rows, Eigen::Index cols, uint32_t seed, double scale = 1.0) {
  RngStream rng(seed, 0);
  Md m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

// A network with non-zero biases (init() leaves them zero, which would hide bias bugs).
Mlp<double> test_net(ModelConfig config, uint32_t seed) {
  Mlp<double> net(config);
  net.init(seed);
  RngStream rng(seed, 7);
  for (int l = 0; l < net.layers(); ++l)
    for (Eigen::Index i = 0; i < net.bias(l).size(); ++i) net.bias(l)[i] = 0.3 * rng.normal();
  return net;
}

// L = Σ c ⊙ [y | J v₁ | … | J v_K]: a loss that touches the primal output and every tangent.
double probe_loss(const Mlp<double>& net, const Md& feats, const Md* tangents, const Md& c) {
  MlpTape<double> tape;
  if (tangents)
    net.forward(feats, *tangents, tape, false);
  else
    net.forward(feats, tape, false);
  return (tape.out.array() * c.array()).sum();
}

// Central differences in double: truncation h²/6·|f'''| ≈ 1e-10·|f'''| and rounding ε|f|/h ≈ 2e-11·|f|
// with h = 1e-5; 1e-7·(1 + |g|) leaves two orders of margin for |f'''|, |f| of order 10.
constexpr double kH = 1e-5;
bool close(double analytic, double numeric) {
  return std::abs(analytic - numeric) <= 1e-7 * (1.0 + std::abs(numeric));
}

void check_param_gradient(const ModelConfig& config, int tangents_k) {
  Mlp<double> net = test_net(config, 3);
  const Eigen::Index b = 5;
  Md feats = random_matrix(net.input_dim(), b, 11, 1.5);
  Md tang = random_matrix(2, tangents_k * b, 12);
  Md c = random_matrix(net.output_dim(), (1 + tangents_k) * b, 13);
  const Md* tp = tangents_k > 0 ? &tang : nullptr;

  MlpTape<double> tape;
  if (tp) net.forward(feats, tang, tape, true); else net.forward(feats, tape, true);
  Mlp<double>::Vector grad = Mlp<double>::Vector::Zero(net.param_count());
  Md grad_feats;
  net.backward(tape, c, grad, &grad_feats);

  int bad = 0;
  for (Eigen::Index p = 0; p < net.param_count(); ++p) {
    Mlp<double> plus = net, minus = net;
    plus.params()[p] += kH;
    minus.params()[p] -= kH;
    double fd = (probe_loss(plus, feats, tp, c) - probe_loss(minus, feats, tp, c)) / (2 * kH);
    if (!close(grad[p], fd)) {
      if (++bad < 5) MESSAGE("param " << p << ": analytic " << grad[p] << " vs fd " << fd);
    }
  }
  CHECK(bad == 0);
  // Input gradient (along the primal path; the tangents are constants).
  for (Eigen::Index j = 0; j < b; ++j)
    for (Eigen::Index i = 0; i < net.input_dim(); ++i) {
      Md fp = feats, fm = feats;
      fp(i, j) += kH;
      fm(i, j) -= kH;
      double fd = (probe_loss(net, fp, tp, c) - probe_loss(net, fm, tp, c)) / (2 * kH);
      CHECK(close(grad_feats(i, j), fd));
    }
}

}  // namespace

TEST_CASE("parameter count and layout of the reference network 3 → 128 → 128 → 128 → 2") {
  Mlp<float> net(ModelConfig{});
  CHECK(net.input_dim() == 3);
  CHECK(net.output_dim() == 2);
  CHECK(net.layers() == 4);
  // (3·128 + 128) + 2·(128·128 + 128) + (128·2 + 2), by hand.
  CHECK(net.param_count() == 512 + 2 * 16512 + 258);
  CHECK(net.bias_offset(0) == 384);
  CHECK(net.weight_offset(1) == 512);
  ModelConfig fourier;
  fourier.fourier = 8;
  fourier.energy = true;
  Mlp<float> f(fourier);
  CHECK(f.input_dim() == 18);
  CHECK(f.output_dim() == 1);
}

TEST_CASE("backward gives the parameter and input gradients of central differences") {
  for (Activation act : {Activation::silu, Activation::softplus, Activation::tanh}) {
    CAPTURE(std::string(to_string(act)));
    ModelConfig config;
    config.hidden = {6, 5};
    config.activation = act;
    check_param_gradient(config, 0);
    config.fourier = 2;
    config.energy = true;
    check_param_gradient(config, 0);
  }
}

TEST_CASE("backward through Jacobian-vector products (the path ISM and SSM train through)") {
  for (Activation act : {Activation::silu, Activation::softplus, Activation::tanh}) {
    CAPTURE(std::string(to_string(act)));
    ModelConfig config;
    config.hidden = {5, 4, 3};
    config.activation = act;
    check_param_gradient(config, 1);
    check_param_gradient(config, 3);
  }
}

TEST_CASE("forward-mode tangents are J_x·v of central differences; time features do not move") {
  ModelConfig config;
  config.hidden = {7, 6};
  config.fourier = 3;
  Mlp<double> net = test_net(config, 5);
  const Eigen::Index b = 4;
  Md feats = random_matrix(net.input_dim(), b, 21);
  Md v = random_matrix(2, 2 * b, 22);
  MlpTape<double> tape;
  net.forward(feats, v, tape, false);
  for (int k = 0; k < 2; ++k)
    for (Eigen::Index j = 0; j < b; ++j) {
      Md fp = feats, fm = feats;
      fp.block(0, j, 2, 1) += kH * v.col(k * b + j);
      fm.block(0, j, 2, 1) -= kH * v.col(k * b + j);
      MlpTape<double> tp, tm;
      net.forward(fp, tp, false);
      net.forward(fm, tm, false);
      Eigen::VectorXd fd = (tp.out.col(j) - tm.out.col(j)) / (2 * kH);
      for (int o = 0; o < 2; ++o) CHECK(close(tape.out(o, (1 + k) * b + j), fd[o]));
    }
}

TEST_CASE("second-order forward mode: gradient and Laplacian of the output in x") {
  ModelConfig config;
  config.hidden = {6, 6};
  config.energy = true;
  for (Activation act : {Activation::silu, Activation::softplus, Activation::tanh}) {
    config.activation = act;
    Mlp<double> net = test_net(config, 8);
    const Eigen::Index b = 3;
    Md feats = random_matrix(net.input_dim(), b, 31);
    MlpTape<double> tape;
    Md y, gx, lap;
    net.forward_laplacian(feats, 1.0, tape, y, gx, lap);
    for (Eigen::Index j = 0; j < b; ++j) {
      double lap_fd = 0;
      for (int k = 0; k < 2; ++k) {
        // Second differences: error h²/12·|f''''| + 4ε|f|/h², so a larger h = 1e-3 (≈ 1e-7 total).
        const double h2 = 1e-3;
        Md fp = feats, fm = feats;
        fp(k, j) += h2;
        fm(k, j) -= h2;
        MlpTape<double> tp, tm;
        net.forward(fp, tp, false);
        net.forward(fm, tm, false);
        lap_fd += (tp.out(0, j) - 2 * y(0, j) + tm.out(0, j)) / (h2 * h2);
        CHECK(std::abs(gx(k, j) - (tp.out(0, j) - tm.out(0, j)) / (2 * h2)) < 1e-5);
      }
      CHECK(std::abs(lap(0, j) - lap_fd) < 1e-5 * (1 + std::abs(lap_fd)));
    }
  }
}

TEST_CASE("float forward agrees with double to float precision") {
  Mlp<double> net(ModelConfig{});
  net.init(1);
  Mlp<float> netf = net.cast<float>();
  const Eigen::Index b = 64;
  Points x = random_matrix(2, b, 41, 4.0);
  Eigen::VectorXd t = (random_matrix(b, 1, 42).array().abs() / 3).min(1.0).matrix();
  Md fd;
  Eigen::MatrixXf ff;
  Eigen::VectorXd c_in = Eigen::VectorXd::Ones(b);
  net.features(x, t, c_in, fd);
  netf.features(x, t, c_in, ff);
  MlpTape<double> td;
  MlpTape<float> tf;
  net.forward(fd, td, false);
  netf.forward(ff, tf, false);
  // A length-n float dot product errs by at most n·u·Σ|wᵢhᵢ| (u = 6e-8): 128·6e-8 ≈ 8e-6 relative
  // per layer, four layers ≈ 3e-5 of the output scale; 1e-4·(1 + |y|) leaves a factor 3. A bug
  // (a wrong bias, activation or layer) moves outputs by O(0.1).
  double worst = ((tf.out.cast<double>() - td.out).array().abs() / (1.0 + td.out.array().abs())).maxCoeff();
  CHECK(worst < 1e-4);
  CHECK(worst > 0.0);  // really computed in float
}

TEST_CASE("initialisation: deterministic per seed, He-normal scale, zero biases") {
  Mlp<float> a(ModelConfig{}), b(ModelConfig{}), c(ModelConfig{});
  a.init(5);
  b.init(5);
  c.init(6);
  CHECK(a.params() == b.params());
  CHECK(a.params() != c.params());
  auto w = a.weight(1);
  double var = w.cast<double>().array().square().mean();
  // n = 16384 draws: the variance estimate has relative sd √(2/n) ≈ 1.1%; 5 sd.
  CHECK(std::abs(var / (2.0 / 128) - 1.0) < 5 * std::sqrt(2.0 / 16384));
  CHECK(a.bias(1).isZero());
}

TEST_CASE("features: c_in·x with c_in = 1/√(m²·rms² + s²), then t or sin/cos Fourier pairs") {
  ModelConfig config;
  config.hidden = {4};
  config.fourier = 2;
  Mlp<double> net(config);
  net.init(3);
  net.set_data_rms(2.0);
  const NoiseLevel level{0.25, 0.6, 0.8};
  const double c_in = 1.0 / std::sqrt(0.36 * 4.0 + 0.64);  // by hand: 1/√2.08
  CHECK(net.input_scale(0.6, 0.8) == doctest::Approx(c_in).epsilon(1e-15));
  Points x(2, 1);
  x << 3.0, -1.0;
  Md f;
  net.features(x, level, f);
  REQUIRE(f.rows() == 6);
  CHECK(f(0, 0) == doctest::Approx(3.0 * c_in));
  CHECK(f(1, 0) == doctest::Approx(-1.0 * c_in));
  for (int k = 0; k < 2; ++k) {
    const double angle = 2 * 3.14159265358979323846 * net.fourier_freqs()[k] * 0.25;
    CHECK(f(2 + k, 0) == doctest::Approx(std::sin(angle)));
    CHECK(f(4 + k, 0) == doctest::Approx(std::cos(angle)));
  }
  net.set_data_rms(0.0);  // off
  CHECK(net.input_scale(0.6, 0.8) == 1.0);
}

TEST_CASE("invalid architectures are refused with one line naming the key") {
  ModelConfig c;
  c.hidden = {};
  CHECK_THROWS_WITH_AS(Mlp<float>{c}, "scene.model.hidden: must list 1 to 8 layer widths (got 0)", InputError);
  c.hidden = {64, 0};
  CHECK_THROWS_WITH_AS(Mlp<float>{c}, "scene.model.hidden: widths must be integers in [1, 1024] (got 0 at index 1)",
                       InputError);
  c.hidden = {8};
  c.fourier = 100;
  CHECK_THROWS_AS(Mlp<float>{c}, InputError);
}

TEST_CASE("NetworkScore: output divided by s, exact divergence, chunked and threaded evaluation") {
  for (bool energy : {false, true}) {
    CAPTURE(energy);
    ModelConfig config;
    config.hidden = {32, 32};
    config.energy = energy;
    config.fourier = energy ? 4 : 0;
    auto netd = std::make_shared<Mlp<double>>(test_net(config, 9));
    netd->set_data_rms(2.5);  // c_in = 1/√(m²·2.5² + s²) ≈ 0.49 at the level below
    auto net = std::make_shared<const Mlp<float>>(netd->cast<float>());
    NetworkScore score(net);
    NoiseLevel level{0.4, 0.8, 0.5};
    // 10000 points: three chunks of ≤ 4096 on two threads.
    Points x = random_matrix(2, 10000, 51, 3.0);
    Points s, s2;
    Scalars div;
    score.score(x, level, s);
    score.score_and_divergence(x, level, s2, div);
    CHECK((s - s2).cwiseAbs().maxCoeff() < 1e-5 * (1 + s.cwiseAbs().maxCoeff()));
    // Every 997th point against the double network and central differences of it.
    for (Eigen::Index j = 0; j < x.cols(); j += 997) {
      auto eval = [&](const Vec2& p) {
        Points one = p;
        Md f;
        netd->features(one, level, f);
        MlpTape<double> tape;
        if (!energy) {
          netd->forward(f, tape, false);
          return Vec2(tape.out.col(0) / level.s);
        }
        Md y, gx, lap;
        netd->forward_laplacian(f, netd->input_scale(level.m, level.s), tape, y, gx, lap);
        return Vec2(-gx.col(0) / level.s);
      };
      Vec2 ref = eval(x.col(j));
      // Float network vs double: the 1e-4 relative bound above, times 1/s = 2.
      CHECK((s.col(j) - ref).norm() < 2e-4 * (1 + ref.norm()) * 2);
      const double h = 1e-4;
      double div_fd = (eval(x.col(j) + Vec2(h, 0))[0] - eval(x.col(j) - Vec2(h, 0))[0] +
                       eval(x.col(j) + Vec2(0, h))[1] - eval(x.col(j) - Vec2(0, h))[1]) / (2 * h);
      CHECK(std::abs(div[j] - div_fd) < 1e-3 * (1 + std::abs(div_fd)));
    }
  }
}
