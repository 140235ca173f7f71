// Every training objective of THEORY.md §2, as loss and parameter gradient of a score network on one
// batch.
//
// Which noise level each objective trains (the `noise` section of the scene):
//   ncsn       σ uniform over the schedule's discrete_levels() (NCSN/EDM σᵢ, VE geometric σᵢ, VP/sub-VP
//              times), loss ½‖σ·s_θ(x + σz, σ) + z‖² (λ = σ²; for VP levels x = m x0 + s z);
//   continuous t ~ U(1e-5, 1) on the scene's SDE (geometric/EDM → VE), λ·½‖s_θ(x_t, t) + z/s(t)‖²,
//              λ = s(t)² ("s2") or g(t)² ("g2");
//   dsm        one level, ½‖s_θ(x + σz) + z/σ‖² (unweighted, as in Vincent 2011);
//   esm, ism, ssm, ssm_vr
//              one level too: x = m x0 + s z are samples of p_σ and the loss matches the score there.
//   That level (single_level) is the schedule's smallest by default, so dsm, esm, ism and the sliced
//   objectives all learn the same field, the one annealed and plain Langevin ask for at the end, and
//   can be compared fairly. train.sigma = σ moves it to sigma_level(noise, σ) (m = 1, s = σ). σ = 0
//   is the clean data: ESM against the clean score, ISM/SSM/SSM-VR on the data itself, which is the
//   seeds' point that they learn ∇log p while DSM can only learn ∇log p_σ (so dsm refuses σ = 0).
// The network is always s_θ = net(c_in·x, t)·output_scale(s), = /max(s, kMinNoiseScale) but ·1 at
// s = 0 (core/nn/score_network.hpp, c_in from Mlp::input_scale); the JVPs that ISM/SSM need carry
// c_in in their tangents.
//
// Randomness: every draw of step `step` is a pure function of (seed, step_stream(step, purpose),
// counter), counter = the sample's column (times projections + j for SSM), so a step is
// reproducible and the loss is a deterministic function of θ — what the gradient checks need.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/nn/mlp.hpp"
#include "core/schedules.hpp"

namespace scorelab {

enum class Objective { esm, ism, ssm, ssm_vr, dsm, ncsn, continuous };
enum class Weighting { s2, g2 };
enum class Projection { gaussian, rademacher };

Objective parse_objective(std::string_view name);  // throws InputError naming the valid names
const char* to_string(Objective objective);
Weighting parse_weighting(std::string_view name);
const char* to_string(Weighting weighting);
Projection parse_projection(std::string_view name);
const char* to_string(Projection projection);

struct ObjectiveConfig {
  Objective objective = Objective::ncsn;
  Weighting weighting = Weighting::s2;             // continuous
  int projections = 1;                             // ssm, ssm_vr: projections per sample
  Projection projection = Projection::gaussian;    // ssm, ssm_vr: distribution of v
  NoiseConfig noise;
  std::shared_ptr<const ScoreFunction> true_score; // esm: the exact score (any level)
  std::optional<double> sigma;                     // single-level objectives: their σ (unset: σ_min)
  double label_dropout = 0;                        // class-conditional nets: P(label → ∅) per sample
};

// True for esm, ism, ssm, ssm_vr and dsm, which train at one noise level.
bool is_single_level(Objective objective);
// The level a single-level objective trains at: sigma_level(noise, *sigma) when sigma is set, else the
// schedule's smallest discrete level.
NoiseLevel single_level(const ObjectiveConfig& config);
// Why `sigma` cannot go with `objective` (empty when it can): it must be finite and in [0, 10000],
// only the single-level objectives take one, and dsm needs σ > 0 (its target −z/σ). One phrase,
// without the key's name.
std::string sigma_problem(Objective objective, std::optional<double> sigma);

// Throws InputError (prefix "scene.train") for combinations that cannot train: esm without a true
// score, ism/ssm/ssm_vr with an energy net (they would need third derivatives), projections ≤ 0,
// and a sigma_problem().
void check_objective(const ObjectiveConfig& config, const ModelConfig& model);

// Stream layout of one training step: the trainer draws batch indices from kBatchStream, the
// objectives their noise z, levels/times and projections from the others.
// kLabelStream: label dropout of class-conditional nets (core/training/label_dropout.hpp).
enum StreamPurpose : uint32_t {
  kBatchStream = 0, kNoiseStream = 1, kLevelStream = 2, kProjectionStream = 3, kLabelStream = 4
};
inline constexpr uint32_t kStreamsPerStep = 8;  // wraps after 2^29 steps, far beyond any run
inline uint32_t step_stream(uint32_t step, uint32_t purpose) { return step * kStreamsPerStep + purpose; }

// Scratch reused across steps (the trainer keeps one; Eigen keeps the capacity).
template <typename Scalar>
struct ObjectiveWorkspace {
  MlpTape<Scalar> tape;
  MatrixX<Scalar> features, tangents, grad_out;
  Points x, z, u, grad_u, v;  // noised input, noise, raw score output, ∂L/∂u, projections
  Points jvp_grad;            // ∂L/∂(J v), (2, K·B)
  Eigen::VectorXd t, m, s, lambda, c_in;  // per column: level (t, m, s), weight λ, input scale
  Eigen::VectorXi labels;                 // per column: the class label after dropout
};

// Mean loss over the batch x0 (2, B). When grad is not null it is OVERWRITTEN with ∂loss/∂θ
// (param_count). config.true_score must be set for esm. first_column is the batch position of
// x0's first column (the RNG counter of its draws), so a batch split into parts draws exactly what
// the whole batch would. labels (B): x0's class labels for a class-conditional net, which drops each
// to ∅ with probability config.label_dropout (drop_labels); null: every sample unlabelled (∅).
template <typename Scalar>
double loss_and_grad(const ObjectiveConfig& config, const Mlp<Scalar>& net, const Points& x0, uint32_t seed,
                     uint32_t step, typename Mlp<Scalar>::Vector* grad, ObjectiveWorkspace<Scalar>& ws,
                     uint32_t first_column = 0, const Eigen::VectorXi* labels = nullptr);

template <typename Scalar>
double loss_and_grad(const ObjectiveConfig& config, const Mlp<Scalar>& net, const Points& x0, uint32_t seed,
                     uint32_t step, typename Mlp<Scalar>::Vector* grad) {
  ObjectiveWorkspace<Scalar> ws;
  return loss_and_grad(config, net, x0, seed, step, grad, ws, 0);
}

}  // namespace scorelab
