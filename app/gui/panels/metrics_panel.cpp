// The Metrics panel: how good are the particles and the learned density? Mode weights against π,
// MMD² to fresh true samples with its two-sample noise floor, and the NLL of held-out true samples
// under the learned score through the probability-flow ODE (THEORY.md §5, §7). The numbers are
// computed on worker threads (metrics_job.hpp); the panel starts them, shows progress, and reads them.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "app/gui/app.hpp"
#include "core/toy_data.hpp"

namespace scorelab {
namespace {

const ImVec4 kGood(0.45f, 0.85f, 0.45f, 1.0f);
const ImVec4 kBad(1.0f, 0.45f, 0.40f, 1.0f);
const ImVec4 kWarn(1.0f, 0.62f, 0.30f, 1.0f);

// A section title over a rule (ImGui 1.86 has no SeparatorText).
void heading(const char* text) {
  ImGui::Spacing();
  ImGui::TextUnformatted(text);
  ImGui::Separator();
}

void wrapped_colored(const ImVec4& color, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

ImU32 to_u32(const Rgba& c) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a)); }

std::string run_label(const App& app) {
  const ParticleRun& run = app.lab.run();
  const bool learned = app.lab.particles().source == ScoreSource::learned && app.lab.learned();
  char buf[128];
  std::snprintf(buf, sizeof buf, "step %d / %d, %s score", run.step(), run.num_steps(), learned ? "learned" : "exact");
  return buf;
}

void start_quality(App& app) {
  MetricsState& m = app.metrics;
  SampleQualityInputs in;
  in.particles = app.lab.run().particles();
  in.data = app.scene.scene.data;
  in.n = m.n;
  // Where the sampler stops (the forward process ends in noise: judged against p₀ only).
  if (!app.lab.particles().forward && app.lab.run().started()) in.end = app.lab.run().level_at_step(app.lab.run().num_steps());
  m.quality_source = run_label(app);
  m.quality_error.clear();
  m.quality_job.start([in = std::move(in)](JobControl& c) { return compute_sample_quality(in, c); });
}

void start_nll(App& app) {
  MetricsState& m = app.metrics;
  NllInputs in;
  in.model = m.nll_learned ? std::shared_ptr<const ScoreFunction>(app.lab.learned()) : app.lab.exact();
  in.noise = app.scene.scene.noise;
  in.x = fresh_samples(app.scene.scene.data, m.n, held_out_seed(app.scene.scene.data.seed, 3));
  in.truth = app.scene.mixture;  // the density behind a mixture (or 8gaussians, ncsn) data set
  char buf[128];
  if (m.nll_learned && app.lab.snapshot()) std::snprintf(buf, sizeof buf, "learned score, training step %lld", static_cast<long long>(app.lab.snapshot()->step));
  else std::snprintf(buf, sizeof buf, "exact score");
  m.nll_source = buf;
  m.nll_error.clear();
  m.nll_job.start([in = std::move(in)](JobControl& c) { return compute_nll(in, c); });
}

// Takes finished results over; starts the sample-quality job when the run has just finished.
void poll_jobs(App& app) {
  MetricsState& m = app.metrics;
  if (std::optional<SampleQuality> q = m.quality_job.take()) m.quality = std::move(*q);
  else if (m.quality_job.finished() && !m.quality_job.error().empty()) m.quality_error = m.quality_job.error();
  if (std::optional<NllReport> r = m.nll_job.take()) m.nll = std::move(*r);
  else if (m.nll_job.finished() && !m.nll_job.error().empty()) m.nll_error = m.nll_job.error();
  const bool finished = app.lab.run().finished();
  if (finished && !m.was_finished && m.auto_quality && !m.quality_job.running()) start_quality(app);
  m.was_finished = finished;
}

// A progress bar with a Cancel button on its right.
void progress_row(double progress, const char* id, const std::function<void()>& cancel) {
  const float cancel_w = ImGui::CalcTextSize("Cancel").x + 2.0f * ImGui::GetStyle().FramePadding.x;
  ImGui::ProgressBar(static_cast<float>(progress), ImVec2(-cancel_w - ImGui::GetStyle().ItemSpacing.x, 0.0f));
  ImGui::SameLine();
  ImGui::PushID(id);
  if (ImGui::Button("Cancel")) cancel();
  ImGui::PopID();
}

// One row per component: a bar of the particles' share in the component colour, a tick at πₖ.
void mode_weight_bars(const App& app, const SampleQuality& q) {
  const int k_count = static_cast<int>(q.mode_weights.size());
  const double top = std::max(q.mode_weights.maxCoeff(), q.pi.maxCoeff());
  const float em = ImGui::GetFontSize();
  const float label_w = ImGui::CalcTextSize("0.00 (π 0.00)").x;
  const float bar_w = std::max(ImGui::GetContentRegionAvail().x - label_w - 0.5f * em, 2.0f * em);
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 tick = ImGui::GetColorU32(ImGuiCol_Text);
  for (int k = 0; k < k_count; ++k) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y0 = p.y + 0.15f * row_h, y1 = p.y + 0.85f * row_h;
    const float w = static_cast<float>(q.mode_weights[k] / top) * bar_w;
    const float pi_x = p.x + static_cast<float>(q.pi[k] / top) * bar_w;
    draw->AddRectFilled(ImVec2(p.x, y0), ImVec2(p.x + bar_w, y1), ImGui::GetColorU32(ImGuiCol_FrameBg));
    draw->AddRectFilled(ImVec2(p.x, y0), ImVec2(p.x + w, y1), to_u32(component_color(k, app.settings.theme)));
    draw->AddLine(ImVec2(pi_x, p.y), ImVec2(pi_x, p.y + row_h), tick, 2.0f);
    ImGui::Dummy(ImVec2(bar_w, row_h));
    char help[160];
    std::snprintf(help, sizeof help, "Component %d: %.1f %% of the particles (most responsible component), "
                  "π = %.1f %% (the white tick).", k + 1, 100.0 * q.mode_weights[k], 100.0 * q.pi[k]);
    tooltip(help);
    ImGui::SameLine(0.0f, 0.5f * em);
    ImGui::Text("%.2f (π %.2f)", q.mode_weights[k], q.pi[k]);
  }
}

// "→ within noise" / "→ above noise" after the figure, on its own line when the sidebar is narrow.
void noise_verdict(bool within) {
  const char* text = within ? "→ within noise" : "→ above noise";
  same_line_if_fits(text);
  ImGui::TextColored(within ? kGood : kBad, "%s", text);
}

// The particles against the law their sampler aims at where it stops (m·x₀ + s·z), when that
// blur is visible: annealed Langevin stops at σ_min, so "above noise" against p₀ is expected there.
void end_law_verdict(const SampleQuality& q) {
  const LawComparison& c = *q.at_end;
  const double sigma = q.end.s / q.end.m;
  ImGui::Text("MMD² vs p at σ = %.3g (where it stops) = %.3g", sigma, c.mmd2);
  noise_verdict(c.within());
  char help[420];
  std::snprintf(help, sizeof help, "The sampler stops at noise level σ = s/m = %.3g, not at 0, so what it can reach is the "
                "data blurred by that noise: the law of m·x₀ + s·z with m = %.3g, s = %.3g (annealed Langevin stops at "
                "σ_min; plain Langevin runs at one σ). This row compares the particles with fresh draws of that law "
                "(noise floor: mean + 4 sd = %.3g); the row above compares them with the data itself.",
                sigma, q.end.m, q.end.s, c.floor.bound);
  tooltip(help);
}

void quality_section(App& app) {
  MetricsState& m = app.metrics;
  heading("Sample quality");
  if (m.quality_job.running()) {
    progress_row(m.quality_job.progress(), "quality", [&] { m.quality_job.cancel(); });
  } else {
    if (ImGui::Button("Compute")) start_quality(app);
    tooltip("Compare the particles as they are now with fresh true samples (mode weights and MMD²).");
    ImGui::SameLine();
    ImGui::Checkbox("when the run ends", &m.auto_quality);
    tooltip("Compute the sample quality automatically each time the sampler reaches its last step.");
  }
  if (!m.quality_error.empty()) wrapped_colored(kBad, m.quality_error.c_str());
  if (!m.quality) return;
  const SampleQuality& q = *m.quality;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%d particles (%s)", q.n, m.quality_source.c_str());
  ImGui::PopStyleColor();
  if (q.non_finite > 0) ImGui::TextColored(kBad, "%d particles diverged (NaN/Inf) and are left out", q.non_finite);
  if (q.mode_weights.size() > 0) {
    ImGui::TextUnformatted("Mode weights");
    tooltip("Each particle is assigned to its most responsible component argmaxₖ πₖN(x; μₖ, Σₖ); the bar is "
            "the share per component, the tick the true weight πₖ. Plain Langevin with one noise level "
            "typically gets the shares wrong (the weights pitfall); annealing fixes it.");
    mode_weight_bars(app, q);
  }
  ImGui::Text(q.at_end ? "MMD² vs p₀ (the data) = %.3g" : "MMD² = %.3g", q.mmd2);
  tooltip("Unbiased MMD² (Gretton et al. 2012) between the n particles x and n fresh true samples y:\n"
          "1/(n(n−1)) Σᵢ≠ⱼ k(xᵢ,xⱼ) + 1/(n(n−1)) Σᵢ≠ⱼ k(yᵢ,yⱼ) − 2/n² Σᵢⱼ k(xᵢ,yⱼ),\n"
          "k(x,y) = mean over h of exp(−‖x−y‖²/(2h²)), h ∈ {0.1, 0.5, 1, 2, 5} × the data's scale.\n"
          "It is ≈ 0 (even slightly negative) when the two laws agree.");
  if (q.cancelled) {
    ImGui::TextDisabled("noise floor: cancelled");
    return;
  }
  char help[320];
  std::snprintf(help, sizeof help, "Noise floor: the same MMD² between two independent true samples of size %d, "
                "%d times: mean %.3g, sd %.3g. A sampler indistinguishable from the truth lands below mean + 4 sd "
                "except with small probability (≈1 %% at worst for this law).", q.floor.n, q.floor.reps,
                q.floor.mean, q.floor.sd);
  noise_verdict(q.mmd2 <= q.floor.bound);
  tooltip(help);
  ImGui::TextDisabled("noise floor: mean + 4 sd = %.3g", q.floor.bound);
  tooltip(help);
  if (q.at_end) end_law_verdict(q);
}

void nll_result(const MetricsState& m, const App& app) {
  const NllReport& r = *m.nll;
  char source[200];
  std::snprintf(source, sizeof source, "%d held-out samples (%s)%s", r.done, m.nll_source.c_str(),
                r.cancelled ? ", cancelled" : "");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", source);
  ImGui::PopStyleColor();
  ImGui::Text("NLL = %.3f ± %.3f nats", r.mean, r.se);
  tooltip("NLL = −(1/n) Σᵢ log p_θ(xᵢ) over held-out true samples, ± one standard error. log p_θ(x₀) = "
          "log p₁(x₁) + ∫ ∇·[f − ½g²s_θ](xₜ, t) dt along the probability-flow ODE (200 RK4 steps), with the "
          "exact 2D divergence (two Jacobian-vector products), not a trace estimator.");
  const DataConfig& d = app.scene.scene.data;
  if (r.entropy) {
    ImGui::Text("Entropy H ≈ %.3f ± %.3f nats", *r.entropy, *r.entropy_se);
    tooltip("H ≈ −(1/n) Σᵢ log p(xᵢ): the true density on the same samples. No model can do better on "
            "average: NLL − H estimates KL(p ‖ p_θ) ≥ 0.");
    ImGui::Text("NLL − H = %.2g ± %.2g nats", *r.kl, *r.kl_se);
    tooltip("The paired difference −log p_θ(xᵢ) + log p(xᵢ), averaged: an estimate of KL(p ‖ p_θ). Its "
            "error is far smaller than either term's, since both share the samples.");
  } else if (d.kind == DataKind::toy) {
    ImGui::Text("Entropy H = %.3f nats (exact)", toy_entropy(d.toy));
    tooltip("The toy set's differential entropy (THEORY.md §5): the lowest NLL any model can reach.");
  } else if (d.kind == DataKind::points) {
    ImGui::TextDisabled("A point set has no entropy (a sum of Diracs); held-out samples are redraws of it.");
  }
}

void nll_section(App& app) {
  MetricsState& m = app.metrics;
  heading("Likelihood");
  int source = m.nll_learned ? 0 : 1;
  ImGui::RadioButton("learned", &source, 0);
  tooltip("The NLL of the trained network's density p_θ (the newest snapshot, EMA weights).");
  ImGui::SameLine();
  ImGui::RadioButton("exact score", &source, 1);
  tooltip("The same ODE computation with the exact score: its NLL should match the entropy, which "
          "checks the integrator itself.");
  m.nll_learned = source == 0;
  if (m.nll_job.running()) {
    progress_row(m.nll_job.progress(), "nll", [&] { m.nll_job.cancel(); });
  } else {
    const bool can = m.nll_learned ? static_cast<bool>(app.lab.learned()) : static_cast<bool>(app.lab.exact());
    ImGui::BeginDisabled(!can);
    if (ImGui::Button("Compute NLL")) start_nll(app);
    ImGui::EndDisabled();
    char help[200];
    std::snprintf(help, sizeof help, "Negative log-likelihood of n = %d fresh true samples (a seed other than the "
                  "training set's), integrated on a worker thread in chunks of 50 points.", m.n);
    tooltip(help);
    if (!can) {
      ImGui::SameLine();
      ImGui::TextDisabled("no learned score yet: train first");
    } else if (m.nll_learned && app.lab.snapshot() && app.lab.snapshot()->step == 0) {
      ImGui::SameLine();
      ImGui::TextDisabled("(untrained: step 0)");
    }
  }
  if (!m.nll_error.empty()) wrapped_colored(kBad, m.nll_error.c_str());
  if (m.nll && m.nll->done > 0) nll_result(m, app);
}

}  // namespace

void draw_metrics_panel(App& app) {
  poll_jobs(app);
  const ParticleRun& run = app.lab.run();
  if (run.started() && !run.finished()) {
    char text[160];
    std::snprintf(text, sizeof text, "Run the sampler to the end (step %d / %d): until then the numbers describe "
                  "the particles as they are now.", run.step(), run.num_steps());
    wrapped_colored(kWarn, text);
  }
  ImGui::SliderInt("Sample size", &app.metrics.n, 200, 4000, "n = %d", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Points per side for every metric: the first n particles, n fresh true samples, n held-out samples "
          "for the NLL. Default 1000: MMD² costs O(n²), the NLL ~800 score evaluations per point.");
  quality_section(app);
  nll_section(app);
}

}  // namespace scorelab
