#include "core/training/objectives.hpp"

#include <cmath>
#include <string>

#include "core/nn/score_network.hpp"
#include "core/rng.hpp"
#include "core/training/label_dropout.hpp"

namespace scorelab {

Objective parse_objective(std::string_view name) {
  if (name == "esm") return Objective::esm;
  if (name == "ism") return Objective::ism;
  if (name == "ssm") return Objective::ssm;
  if (name == "ssm_vr") return Objective::ssm_vr;
  if (name == "dsm") return Objective::dsm;
  if (name == "ncsn") return Objective::ncsn;
  if (name == "continuous") return Objective::continuous;
  throw InputError("unknown objective '" + std::string(name) +
                   "' (expected esm, ism, ssm, ssm_vr, dsm, ncsn or continuous)");
}

const char* to_string(Objective objective) {
  switch (objective) {
    case Objective::esm: return "esm";
    case Objective::ism: return "ism";
    case Objective::ssm: return "ssm";
    case Objective::ssm_vr: return "ssm_vr";
    case Objective::dsm: return "dsm";
    case Objective::ncsn: return "ncsn";
    case Objective::continuous: return "continuous";
  }
  return "?";
}

Weighting parse_weighting(std::string_view name) {
  if (name == "s2") return Weighting::s2;
  if (name == "g2") return Weighting::g2;
  throw InputError("unknown weighting '" + std::string(name) + "' (expected s2 or g2)");
}

const char* to_string(Weighting weighting) { return weighting == Weighting::s2 ? "s2" : "g2"; }

Projection parse_projection(std::string_view name) {
  if (name == "gaussian") return Projection::gaussian;
  if (name == "rademacher") return Projection::rademacher;
  throw InputError("unknown projection '" + std::string(name) + "' (expected gaussian or rademacher)");
}

const char* to_string(Projection projection) {
  return projection == Projection::gaussian ? "gaussian" : "rademacher";
}

bool is_single_level(Objective o) { return o != Objective::ncsn && o != Objective::continuous; }

NoiseLevel single_level(const ObjectiveConfig& c) {
  return c.sigma ? sigma_level(c.noise, *c.sigma) : discrete_levels(c.noise).back();
}

std::string sigma_problem(Objective o, std::optional<double> sigma) {
  if (!sigma) return "";
  if (!(std::isfinite(*sigma) && *sigma >= 0 && *sigma <= 1e4))
    return "must be a number in [0, 10000] (got " + format_number(*sigma) + ")";
  if (!is_single_level(o))
    return std::string(to_string(o)) + " trains at every noise level of the schedule; sigma is for the " +
           "single-level objectives (esm, ism, ssm, ssm_vr, dsm)";
  if (o == Objective::dsm && *sigma == 0)
    return "dsm needs sigma > 0 (its target -z/sigma is undefined at 0); ism, ssm or ssm_vr learn the clean "
           "data's score at sigma = 0";
  return "";
}

namespace {

bool uses_jvp(Objective o) { return o == Objective::ism || o == Objective::ssm || o == Objective::ssm_vr; }

// Draws each column's level (t, s, λ) and noise z; writes x = m·x0 + s·z.
void draw_noised(const ObjectiveConfig& c, const Points& x0, uint32_t seed, uint32_t step, uint32_t first, Points& x,
                 Points& z, Eigen::VectorXd& t, Eigen::VectorXd& m, Eigen::VectorXd& s, Eigen::VectorXd& lambda) {
  const Eigen::Index n = x0.cols();
  x.resize(2, n);
  z.resize(2, n);
  t.resize(n);
  m.resize(n);
  s.resize(n);
  lambda.resize(n);
  const uint32_t noise_stream = step_stream(step, kNoiseStream), level_stream = step_stream(step, kLevelStream);
  std::vector<NoiseLevel> levels =
      c.objective == Objective::ncsn ? discrete_levels(c.noise) : std::vector<NoiseLevel>{single_level(c)};
  const Sde sde(c.noise);
  for (Eigen::Index i = 0; i < n; ++i) {
    const uint32_t counter = first + static_cast<uint32_t>(i);
    NoiseLevel lv = levels[0];
    double weight = 1.0;
    if (c.objective == Objective::ncsn) {
      int k = std::min<int>(int(levels.size()) - 1, int(uniform01(seed, level_stream, counter) * levels.size()));
      lv = levels[k];
      weight = lv.s * lv.s;  // λ(σ) = σ²
    } else if (c.objective == Objective::continuous) {
      double ti = Sde::kTrainingEps + (1.0 - Sde::kTrainingEps) * uniform01(seed, level_stream, counter);
      lv = sde.level(ti);
      double g = sde.diffusion(ti);
      weight = c.weighting == Weighting::s2 ? lv.s * lv.s : g * g;
    }
    z.col(i) = normal2(seed, noise_stream, counter);
    x.col(i) = lv.m * x0.col(i) + lv.s * z.col(i);
    t[i] = lv.t;
    m[i] = lv.m;
    s[i] = lv.s;
    lambda[i] = weight;
  }
}

// v (2, P·B): column j·B + i is projection j of sample i.
void draw_projections(const ObjectiveConfig& c, Eigen::Index n, uint32_t seed, uint32_t step, uint32_t first,
                      Points& v) {
  const int p = c.projections;
  const uint32_t stream = step_stream(step, kProjectionStream);
  v.resize(2, p * n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (int j = 0; j < p; ++j) {
      const uint32_t counter = static_cast<uint32_t>((first + i) * p + j);
      Vec2 vij;
      if (c.projection == Projection::gaussian) {
        vij = normal2(seed, stream, counter);
      } else {
        vij.x() = uniform01(seed, stream, 2 * counter) < 0.5 ? -1.0 : 1.0;
        vij.y() = uniform01(seed, stream, 2 * counter + 1) < 0.5 ? -1.0 : 1.0;
      }
      v.col(j * n + i) = vij;
    }
}

// Sample i of n, its output scale inv = 1/max(s, floor) and the batch mean's 1/n.
struct SampleIndex {
  Eigen::Index i, n;
  double inv, inv_n;
};

// Sliced score matching's terms of one sample, added to loss and its gradients (see objective_terms):
// (1/P)Σ_j vᵀ∇s_θ v + ½(vᵀs_θ)² (ssm) or + ½‖s_θ‖² (ssm_vr), in the order objective_terms sums them.
void sliced_terms(const ObjectiveConfig& c, const SampleIndex& k, const Vec2& score, const Points& jv, const Points& v,
                  double& loss, Points& grad_u, Points& grad_jv) {
  const Eigen::Index i = k.i, n = k.n;
  const int p = c.projections;
  const double w = k.inv * k.inv_n / p;
  grad_u.col(i).setZero();
  for (int j = 0; j < p; ++j) {
    const Vec2 vij = v.col(j * n + i);
    loss += vij.dot(jv.col(j * n + i)) * k.inv / p;
    grad_jv.col(j * n + i) = vij * w;
    if (c.objective == Objective::ssm) {
      const double proj = vij.dot(score);
      loss += 0.5 * proj * proj / p;
      grad_u.col(i) += vij * (proj * w);
    }
  }
  if (c.objective == Objective::ssm_vr) {
    loss += 0.5 * score.squaredNorm();
    grad_u.col(i) = score * (k.inv * k.inv_n);
  }
}

// Per-sample losses of THEORY.md §2 with s_θ = u·inv (inv = 1/max(s, floor)); jv (2, K·B) holds the
// raw JVPs J_u·v. Writes ∂L/∂u into grad_u and ∂L/∂(J_u v) into grad_jv; returns the mean loss.
double objective_terms(const ObjectiveConfig& c, const Points& x, const Points& z, const Eigen::VectorXd& s,
                       const Eigen::VectorXd& lambda, const Points& u, const Points& jv, const Points& v,
                       Points& grad_u, Points& grad_jv) {
  const Eigen::Index n = u.cols();
  const double inv_n = 1.0 / double(n);
  grad_u.resize(2, n);
  grad_jv.resize(2, jv.cols());
  Points target;
  if (c.objective == Objective::esm) c.true_score->score(x, single_level(c), target);
  double loss = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double inv = output_scale(s[i]);
    const Vec2 score = u.col(i) * inv;
    switch (c.objective) {
      case Objective::esm: {  // ½‖s_θ − ∇log p‖²
        Vec2 r = score - target.col(i);
        loss += 0.5 * r.squaredNorm();
        grad_u.col(i) = r * (inv * inv_n);
        break;
      }
      case Objective::dsm:
      case Objective::ncsn:
      case Objective::continuous: {  // λ·½‖s_θ + z/s‖² (λ = 1 for dsm)
        Vec2 r = score + z.col(i) / s[i];
        loss += lambda[i] * 0.5 * r.squaredNorm();
        grad_u.col(i) = r * (lambda[i] * inv * inv_n);
        break;
      }
      case Objective::ism: {  // tr(∇s_θ) + ½‖s_θ‖², tr from J e₁ (columns [0, n)) and J e₂ ([n, 2n))
        loss += (jv(0, i) + jv(1, n + i)) * inv + 0.5 * score.squaredNorm();
        grad_u.col(i) = score * (inv * inv_n);
        grad_jv.col(i) = Vec2(inv * inv_n, 0.0);
        grad_jv.col(n + i) = Vec2(0.0, inv * inv_n);
        break;
      }
      case Objective::ssm:
      case Objective::ssm_vr:
        sliced_terms(c, {i, n, inv, inv_n}, score, jv, v, loss, grad_u, grad_jv);
        break;
    }
  }
  return loss * inv_n;
}

}  // namespace

void check_objective(const ObjectiveConfig& c, const ModelConfig& model) {
  if (c.objective == Objective::esm && !c.true_score)
    throw InputError("scene.train.objective: esm needs the exact score of the data, which is not available here");
  if (uses_jvp(c.objective) && model.energy)
    throw InputError(std::string("scene.train.objective: ") + to_string(c.objective) +
                     " is not available with an energy model (scene.model.energy: true); use esm, dsm, ncsn or continuous");
  if (const std::string problem = sigma_problem(c.objective, c.sigma); !problem.empty())
    throw InputError("scene.train.sigma: " + problem);
  if (c.projections < 1 || c.projections > 64)
    throw InputError("scene.train.projections: must be an integer in [1, 64] (got " +
                     std::to_string(c.projections) + ")");
}

template <typename S>
double loss_and_grad(const ObjectiveConfig& c, const Mlp<S>& net, const Points& x0, uint32_t seed, uint32_t step,
                     typename Mlp<S>::Vector* grad, ObjectiveWorkspace<S>& ws, uint32_t first_column,
                     const Eigen::VectorXi* labels) {
  check_objective(c, net.config());
  const Eigen::Index n = x0.cols();
  const bool energy = net.config().energy;
  draw_noised(c, x0, seed, step, first_column, ws.x, ws.z, ws.t, ws.m, ws.s, ws.lambda);
  ws.c_in.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) ws.c_in[i] = net.input_scale(ws.m[i], ws.s[i]);
  const bool labelled = labels && net.classes() > 0;
  if (labelled) ws.labels = drop_labels(*labels, c.label_dropout, seed, step, first_column);
  net.features(ws.x, ws.t, ws.c_in, ws.features, labelled ? &ws.labels : nullptr);

  // Tangents: e₁, e₂ for ism (the exact trace) and for energy nets (∇ₓE); v for the sliced objectives.
  int k_count = 0;
  if (c.objective == Objective::ssm || c.objective == Objective::ssm_vr) {
    draw_projections(c, n, seed, step, first_column, ws.v);
    k_count = c.projections;
    ws.tangents.resize(2, k_count * n);
    for (int j = 0; j < k_count; ++j)  // feature tangent c_in·v gives ∂u/∂x·v
      ws.tangents.middleCols(j * n, n) =
          (ws.v.middleCols(j * n, n).array().rowwise() * ws.c_in.transpose().array()).template cast<S>();
  } else if (c.objective == Objective::ism || energy) {
    ws.tangents.setZero(2, 2 * n);
    ws.tangents.block(0, 0, 1, n) = ws.c_in.transpose().template cast<S>();
    ws.tangents.block(1, n, 1, n) = ws.c_in.transpose().template cast<S>();
    k_count = 2;
  }
  if (k_count > 0)
    net.forward(ws.features, ws.tangents, ws.tape, grad != nullptr);
  else
    net.forward(ws.features, ws.tape, grad != nullptr);

  const MatrixX<S>& out = ws.tape.out;
  Points jv;
  if (energy) {  // u = −∇ₓE
    ws.u.resize(2, n);
    ws.u.row(0) = -out.middleCols(n, n).template cast<double>();
    ws.u.row(1) = -out.middleCols(2 * n, n).template cast<double>();
  } else {
    ws.u = out.leftCols(n).template cast<double>();
    if (k_count > 0) jv = out.rightCols(k_count * n).template cast<double>();
  }
  const double loss = objective_terms(c, ws.x, ws.z, ws.s, ws.lambda, ws.u, jv, ws.v, ws.grad_u, ws.jvp_grad);
  if (!grad) return loss;

  ws.grad_out.setZero(net.output_dim(), (1 + k_count) * n);
  if (energy) {
    ws.grad_out.middleCols(n, n) = -ws.grad_u.row(0).template cast<S>();
    ws.grad_out.middleCols(2 * n, n) = -ws.grad_u.row(1).template cast<S>();
  } else {
    ws.grad_out.leftCols(n) = ws.grad_u.template cast<S>();
    if (k_count > 0) ws.grad_out.rightCols(k_count * n) = ws.jvp_grad.template cast<S>();
  }
  grad->setZero(net.param_count());
  net.backward(ws.tape, ws.grad_out, *grad);
  return loss;
}

template double loss_and_grad<float>(const ObjectiveConfig&, const Mlp<float>&, const Points&, uint32_t, uint32_t,
                                     Mlp<float>::Vector*, ObjectiveWorkspace<float>&, uint32_t,
                                     const Eigen::VectorXi*);
template double loss_and_grad<double>(const ObjectiveConfig&, const Mlp<double>&, const Points&, uint32_t,
                                      uint32_t, Mlp<double>::Vector*, ObjectiveWorkspace<double>&, uint32_t,
                                      const Eigen::VectorXi*);

}  // namespace scorelab
