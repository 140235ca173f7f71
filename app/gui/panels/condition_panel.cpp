// The Condition panel (THEORY.md §6): what the particles are conditioned on — nothing, a class of
// the mixture with a guidance weight, or an observation y = aᵀx₀ + n — applied through
// Lab::set_condition; the exact law it aims at drawn on the plane; and a comparison of the shown
// particles with that law (MMD² against its noise floor, on a worker thread). Also the Particles
// panel's "follow" row (one particle up close, follow_overlay.cpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/gui/app.hpp"
#include "app/gui/follow_overlay.hpp"
#include "app/jobs/async_job.hpp"
#include "app/plane/ellipse.hpp"
#include "core/data_source.hpp"
#include "core/metrics.hpp"

namespace scorelab {
namespace {

constexpr double kPi = 3.14159265358979323846;
const ImVec4 kNote(1.0f, 0.72f, 0.35f, 1.0f);

struct Comparison {
  double mmd2 = 0.0;
  NoiseFloor floor;
};

struct ConditionPanelState {
  ConditionSettings edit;     // what the widgets show (applied on release)
  float angle_deg = 0.0f;     // the observation's direction a = (cos θ, sin θ)
  bool synced = false;        // edit read from the lab once
  bool show_target = true;    // the exact target's density on the plane
  AsyncJob<Comparison> compare;
  std::optional<Comparison> result;
  bool result_exact_target = true;  // the target compared with is what the particles aim at (not w ≠ 1)
};

ConditionPanelState& state() {
  static ConditionPanelState s;
  return s;
}

// SCORELAB_CONDITION="class=K,w=W" or "observe:A=[a1,a2],y=Y,sigma=S" sets a condition at start-up
// (screenshots and demos, like SCORELAB_OPEN_PANELS). A malformed value is ignored. With the learned
// score and a trainer at work it waits for the training to finish, so that the run it restarts samples
// the trained network (classifier-free guidance screenshots).
void condition_from_environment(App& app) {
  static bool done = false;
  if (done || !app.lab.run().started()) return;
  const Trainer* trainer = app.lab.trainer();
  if (app.lab.particles().source == ScoreSource::learned && trainer &&
      (trainer->status().state == TrainerState::running || trainer->status().state == TrainerState::paused))
    return;
  done = true;
  const char* env = std::getenv("SCORELAB_CONDITION");
  if (!env) return;
  const std::string spec = env;
  ConditionSettings c;
  try {
    if (spec.rfind("observe:", 0) == 0) {
      c.kind = ConditionKind::observation;
      c.observation = parse_observation(spec.substr(8), "SCORELAB_CONDITION");
    } else {
      const std::optional<GaussianMixture> mix = exact_mixture(app.scene.scene.data);
      c.kind = ConditionKind::class_guidance;
      c.guidance = parse_class_condition(spec, mix ? mix->size() : 1, "SCORELAB_CONDITION");
    }
  } catch (const std::exception&) {
    return;
  }
  app.lab.set_condition(c);
}

bool kind_row(ConditionSettings& c) {
  int kind = static_cast<int>(c.kind);
  bool changed = ImGui::RadioButton("None", &kind, 0);
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Class", &kind, 1);
  tooltip("Sample one class of the mixture, sharpened by a weight.\n\nScore: ∇log pₜ(x) + w·∇log rₖ(x, t), rₖ "
          "the probability that x came from component k; exact at every t for a mixture.");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("Observation", &kind, 2);
  tooltip("An inverse problem: we saw y, a noisy measurement of x₀ along a direction, and sample the x₀ that fit "
          "it.\n\ny = aᵀx₀ + n, n ~ N(0, σ_y²); guidance by the approximation pₜ(y | xₜ) ≈ N(y; aᵀxₜ/m, σ_y² + "
          "(s/m)²‖a‖²) over the particles' score (exact or learned).");
  c.kind = static_cast<ConditionKind>(kind);
  return changed;
}

// With a class-conditional network and the learned score, class guidance is classifier-free: says so,
// with the formula, under the sliders (the same k and w drive it).
void learned_guidance_row(App& app) {
  if (app.lab.particles().source != ScoreSource::learned || !app.lab.learned_is_conditional()) return;
  ImGui::TextWrapped("Learned model: classifier-free guidance  s = (1 − w)·s(x, t, ∅) + w·s(x, t, k)");
  tooltip("The network was trained with class labels, each dropped to ∅ (no label) at the scene's "
          "label_dropout rate, so it knows both the class score s(x, t, k) and the unconditional s(x, t, ∅). "
          "w = 0: unconditional; w = 1: the learned p(x | k); w > 1 extrapolates away from the unconditional "
          "score. With exact scores this is exactly class guidance: (1 − w)·∇log pₜ + w·∇log pₜ(x | k) = ∇log pₜ + "
          "w·∇log rₖ, so switching the particles to the exact score shows what a perfect network would do; the "
          "difference is the network's error.");
}

// The class or observation widgets; true when an edit ended (then applied).
bool parameter_rows(App& app, ConditionPanelState& s) {
  ConditionSettings& c = s.edit;
  bool apply = false;
  if (c.kind == ConditionKind::class_guidance) {
    const std::optional<GaussianMixture> mix = exact_mixture(app.scene.scene.data);
    const int k_max = mix ? mix->size() - 1 : 0;
    ImGui::SliderInt("Component k", &c.guidance.component, 0, k_max, "%d", ImGuiSliderFlags_AlwaysClamp);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("The class: which Gaussian of the mixture the samples should come from.");
    float w = static_cast<float>(c.guidance.weight);
    ImGui::SliderFloat("Weight w", &w, 0.0f, 10.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
    c.guidance.weight = w;
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("How hard to pull towards the class. 0: no guidance; 1: exactly p(x | k); larger: away from the other "
            "classes, to where the class is surest. It does not narrow the component itself: near its core "
            "rₖ(x) ≈ 1 and the extra pull ∇log rₖ vanishes, so on well-separated modes w = 4 looks like w = 1 "
            "(the visible sharpening of image models comes from a learned classifier, not the exact one)."
            "\n\nscore = ∇log pₜ + w·∇log rₖ = (1 − w)·∇log pₜ + w·∇log Nₖ,ₜ");
    learned_guidance_row(app);
  } else if (c.kind == ConditionKind::observation) {
    ImGui::SliderFloat("Direction θ", &s.angle_deg, 0.0f, 180.0f, "%.0f°", ImGuiSliderFlags_AlwaysClamp);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("Which direction is measured: a = (cos θ, sin θ). 0°: the first coordinate, 90°: the second.");
    const double t = s.angle_deg * kPi / 180.0;
    c.observation.a = Vec2(std::round(std::cos(t) * 1e9) / 1e9, std::round(std::sin(t) * 1e9) / 1e9);
    float y = static_cast<float>(c.observation.y), sigma = static_cast<float>(c.observation.sigma);
    ImGui::SliderFloat("Observed y", &y, -6.0f, 6.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("The measured value y = aᵀx₀ + noise.");
    ImGui::SliderFloat("σ_y", &sigma, 0.01f, 3.0f, "%.3f", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("How noisy the measurement is: small σ_y pins x₀ to the line aᵀx = y, large σ_y barely constrains it.");
    c.observation.y = y;
    c.observation.sigma = sigma;
  }
  return apply;
}

void start_comparison(App& app, ConditionPanelState& s, const GaussianMixture& truth) {
  Points x = app.lab.shown_particles();
  const int n = static_cast<int>(std::min<Eigen::Index>(x.cols(), 1000));
  if (n < 20) return;
  x = x.leftCols(n).eval();  // the particles are exchangeable: the first n are a fair subsample
  s.result.reset();
  const ConditionSettings& c = app.lab.condition();
  s.result_exact_target = c.kind != ConditionKind::class_guidance || c.guidance.weight == 1.0;
  s.compare.start([x = std::move(x), truth, n](JobControl& control) {
    const TruthSampler draw = [truth](int m, uint32_t seed) { return truth.sample(m, seed); };
    const Points reference = draw(n, 1234567u);
    const std::vector<double> bandwidths = default_bandwidths(reference);
    Comparison r;
    r.mmd2 = mmd2_unbiased(x, reference, bandwidths);
    control.set_progress(0.1);
    r.floor = mmd2_noise_floor(draw, n, 20, bandwidths, 99u);
    return r;
  });
}

void comparison_rows(App& app, ConditionPanelState& s) {
  const std::optional<GaussianMixture> truth = app.lab.condition_truth();
  if (!truth) return;
  ImGui::Checkbox("Show exact target", &s.show_target);
  tooltip("Draws the law the particles should reach, computed exactly, as a shaded density with its components' "
          "1σ ellipses. Class: p(x | k). Observation: the posterior p₀(x | y) ∝ p(x)·N(y; aᵀx, σ_y²), again a "
          "Gaussian mixture.");
  // take() hands a result over once; later frames get nullopt and keep the one shown.
  if (s.compare.finished())
    if (std::optional<Comparison> r = s.compare.take()) s.result = r;
  // SCORELAB_COMPARE=1: compares once the run has ended (screenshots of the verdict, no click).
  static bool auto_compared = false;
  if (!auto_compared && std::getenv("SCORELAB_COMPARE") && app.lab.run().finished() && !s.compare.running()) {
    auto_compared = true;
    start_comparison(app, s, *truth);
  }
  ImGui::BeginDisabled(s.compare.running());
  if (ImGui::Button(s.compare.running() ? "Comparing…" : "Compare with exact")) start_comparison(app, s, *truth);
  ImGui::EndDisabled();
  tooltip("Are the particles on screen distributed like the exact target? Compares up to 1000 of them with as "
          "many exact samples.\n\nUnbiased MMD² (Gaussian kernels at 5 bandwidths) against the noise floor: "
          "the mean + 4 sd of MMD² between two exact samples of the same size (20 repetitions).");
  if (!s.compare.error().empty()) ImGui::TextWrapped("Compare failed: %s", s.compare.error().c_str());
  if (!s.result) return;
  const bool matches = s.result->mmd2 <= s.result->floor.bound;
  ImGui::Text("MMD² = %.2e   noise floor %.2e (n = %d)", s.result->mmd2, s.result->floor.bound, s.result->floor.n);
  ImGui::PushStyleColor(ImGuiCol_Text, matches ? ImVec4(0.45f, 0.9f, 0.45f, 1.0f) : kNote);
  ImGui::TextWrapped("%s", matches ? "matches the exact target (within the noise floor)"
                                   : s.result_exact_target ? "differs from the exact target (above the noise floor)"
                                                           : "differs from p(x | k): w ≠ 1 sharpens it, as expected");
  ImGui::PopStyleColor();
}

}  // namespace

void draw_condition_panel(App& app) {
  ConditionPanelState& s = state();
  if (!s.synced || (!ImGui::IsAnyItemActive() && !same_condition(s.edit, app.lab.condition()))) {
    s.edit = app.lab.condition();
    s.angle_deg = static_cast<float>(std::atan2(s.edit.observation.a.y(), s.edit.observation.a.x()) * 180.0 / kPi);
    if (s.angle_deg < 0.0f) s.angle_deg += 180.0f;
    s.synced = true;
  }
  bool apply = kind_row(s.edit);
  apply |= parameter_rows(app, s);
  if (apply) {
    app.lab.set_condition(s.edit);
    s.result.reset();
  }
  if (!app.lab.condition_note().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNote);
    ImGui::TextWrapped("Not applied: %s", app.lab.condition_note().c_str());
    ImGui::PopStyleColor();
  }
  comparison_rows(app, s);
}

void draw_follow_row(App& app) {
  Lab& lab = app.lab;
  if (const std::optional<int> j = lab.followed_particle()) {
    ImGui::Text("Following particle %d", *j);
    ImGui::SameLine();
    if (ImGui::SmallButton("Stop")) lab.follow_particle(std::nullopt);
  } else {
    ImGui::TextDisabled("Follow one: click a particle, or G over the plane");
  }
  tooltip("One particle up close: its path, and the terms of its last step drawn as arrows (tip to tail) with "
          "the update's formula and their numbers. G follows the particle nearest the mouse; G again or Esc "
          "stops. The terms are traced on the CPU path, so a run on the GPU moves to the CPU.");
}

// ---- the exact target on the plane ----------------------------------------------------------------

void draw_condition_overlay(App& app, const OverlayFrame& f) {
  condition_from_environment(app);
  const ConditionPanelState& s = state();
  if (!s.show_target) return;
  const std::optional<GaussianMixture> truth = app.lab.condition_truth();
  if (!truth) return;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(f.origin, ImVec2(f.origin.x + f.size.x, f.origin.y + f.size.y), true);
  // Its density on a coarse grid of cells (~1 em), shaded by p/p_max: cheap enough to redo each frame.
  const float cell = std::max(6.0f, 0.8f * ImGui::GetFontSize());
  const int nx = static_cast<int>(f.size.x / cell) + 1, ny = static_cast<int>(f.size.y / cell) + 1;
  Points centres(2, nx * ny);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      centres.col(j * nx + i) = app.view.screen_to_world(Vec2((i + 0.5) * cell * f.fb_scale, (j + 0.5) * cell * f.fb_scale));
  Scalars log_p;
  truth->log_prob(centres, log_p);
  const double top = log_p.maxCoeff();
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const float a = static_cast<float>(0.55 * std::sqrt(std::exp(log_p[j * nx + i] - top)));
      if (a < 0.02f) continue;
      const ImVec2 p0(f.origin.x + i * cell, f.origin.y + j * cell);
      draw->AddRectFilled(p0, ImVec2(p0.x + cell, p0.y + cell), ImGui::ColorConvertFloat4ToU32(ImVec4(0.3f, 0.8f, 1.0f, a)));
    }
  for (const GaussianComponent& c : truth->components()) {
    if (c.weight < 0.01) continue;
    std::vector<ImVec2> ring;
    for (const Vec2& w : covariance_ellipse(c.mean, c.cov, 1.0, 64)) ring.push_back(f.to_overlay(app.view.world_to_screen(w)));
    const float a = static_cast<float>(0.4 + 0.6 * std::sqrt(c.weight));
    draw->AddPolyline(ring.data(), static_cast<int>(ring.size()), ImGui::ColorConvertFloat4ToU32(ImVec4(0.3f, 0.8f, 1.0f, a)),
                      ImDrawFlags_Closed, 1.5f);
  }
  draw->PopClipRect();
}

}  // namespace scorelab
