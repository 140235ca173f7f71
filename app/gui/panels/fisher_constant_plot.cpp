// The Training panel's "score matching is Fisher minus a constant" (THEORY.md §2): for ISM and SSM
// on mixture data, loss + ½E‖∇log p‖² is the Fisher divergence ½E‖s_θ − ∇log p‖² at the level trained
// (core/prior_mismatch.hpp score_norm_constant), plotted next to the loss: it falls towards 0 where
// the loss itself falls towards an unknown negative number.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "app/gui/app.hpp"
#include "core/data_source.hpp"
#include "core/prior_mismatch.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {
namespace {

struct FisherConstant {
  bool show = true;  // on where it applies: the curve that ends at 0 is the one a student can read
  std::string key;  // the mixture and level it was computed for
  Estimate value;
};

FisherConstant& cached() {
  static FisherConstant c;
  return c;
}

bool score_matching(Objective o) { return o == Objective::ism || o == Objective::ssm || o == Objective::ssm_vr; }

// ½E‖∇log p_σ‖² of the mixture at the trained level (50 000 draws: ~10 ms, once per key).
const Estimate& constant_for(const GaussianMixture& mixture, const NoiseLevel& level) {
  FisherConstant& c = cached();
  std::ostringstream key;
  key.precision(17);
  key << level.m << ' ' << level.s;
  for (const GaussianComponent& g : mixture.components()) key << ' ' << g.weight << ' ' << g.mean.transpose() << ' ' << g.cov.sum();
  if (key.str() != c.key) {
    c.key = key.str();
    c.value = score_norm_constant(mixture.noised(level), 50000, 17u);
  }
  return c.value;
}

}  // namespace

void draw_fisher_constant_plot(App& app) {
  const Trainer* trainer = app.lab.trainer();
  if (!trainer) return;
  const TrainConfig train = trainer->train_config();
  const std::optional<GaussianMixture> mixture = exact_mixture(app.scene.scene.data);
  if (!score_matching(train.objective) || !mixture) return;
  FisherConstant& c = cached();
  ImGui::Checkbox("Plot loss + ½E‖∇log p‖² (the Fisher divergence)", &c.show);
  tooltip("Score matching's loss (ISM, SSM) is the Fisher divergence minus a constant that depends only on the "
          "data, so it can be negative and its minimum is unknown. For a mixture the constant is known: adding it "
          "gives the Fisher divergence itself, which falls to 0 when the network's score is the true one.\n\n"
          "½E‖s_θ − ∇log p‖² = loss + ½E_p‖∇log p‖²  (p: the data at the level trained; the constant is a "
          "Monte-Carlo average over 50 000 draws).");
  if (!c.show) return;
  ObjectiveConfig oc;
  oc.objective = train.objective;
  oc.noise = app.scene.scene.noise;
  oc.sigma = train.sigma;
  const Estimate& k = constant_for(*mixture, single_level(oc));
  const std::vector<LossPoint> history = trainer->loss_history();
  if (history.empty()) return;
  const std::vector<float> values = binned_loss(history, k.value);
  const float top = *std::max_element(values.begin(), values.end());
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "Fisher ≈ %.4g  (constant %.4g ± %.2g)", history.back().loss + k.value, k.value,
                k.standard_error);
  plot_lines("##fisher_from_loss", values.data(), static_cast<int>(values.size()), overlay, 0.0f, std::max(top, 1e-6f),
             4.0f);
  tooltip("loss + ½E‖∇log p‖², binned as the loss above: the Fisher divergence ½E‖s_θ − ∇log p‖², 0 at the bottom "
          "of the plot. A single batch's loss is noisy, so a point can dip below 0.");
}

}  // namespace scorelab
