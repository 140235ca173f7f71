// The Particles panel: the live sampler (play/pause/step/restart, speed, score source, direction,
// CPU/GPU path), the time scrubber over recorded frames, trails, and every sampler parameter with its
// formula (THEORY.md §4).
#include <cmath>
#include <cstdio>
#include <string>

#include "app/render/particle_view.hpp"
#include "app/gui/app.hpp"
#include "core/samplers/step_coefficients.hpp"

namespace scorelab {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

void status_line(const App& app) {
  const Lab& lab = app.lab;
  if (!lab.sampler_error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", lab.sampler_error().c_str());
    ImGui::PopStyleColor();
  }
  if (!lab.run().started()) return;
  const int i = shown_frame_index(app);
  const int step = lab.run().step_of(i);
  const NoiseLevel level = lab.run().level_at_step(step);
  const long nfe = lab.run().step() > 0 ? lab.nfe() * step / lab.run().step() : 0;
  ImGui::Text("step %d / %d   NFE %ld", step, lab.run().num_steps(), nfe);
  tooltip("NFE (number of function evaluations): how many times each particle has asked the score which way "
          "to go so far: the cost of sampling. A PC step costs 1 + M, an RK4 step 4; classifier-free guidance "
          "doubles it (two networks at each evaluation).");
  ImGui::Text("t = %.4f   m(t) = %.3f   s(t) = %.4g", level.t, level.m, level.s);
  const SamplerConfig& c = lab.run().config();
  if (c.kind == SamplerKind::langevin && c.langevin_sigma >= 0 && level.s > c.langevin_sigma && !lab.particles().forward)
    ImGui::TextWrapped("Langevin runs at σ = %.3g, the smallest level the network learned, not σ = %.3g: a "
                       "network asked below its levels divides by a tiny σ and its particles explode.",
                       level.s, c.langevin_sigma);
  tooltip("The noise level the particles are at: xₜ = m(t)·x₀ + s(t)·z. The sampler walks t from 1 "
          "(pure noise) down to ε; Langevin stays at one level; the forward process walks up from ε to 1.");
}

// "1.2 k" style figures for particle counts and rates.
std::string short_number(double v) {
  char text[32];
  if (v >= 1e9) std::snprintf(text, sizeof text, "%.3g G", v / 1e9);
  else if (v >= 1e6) std::snprintf(text, sizeof text, "%.3g M", v / 1e6);
  else if (v >= 1e3) std::snprintf(text, sizeof text, "%.3g k", v / 1e3);
  else std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

const ImVec4 kNote(1.0f, 0.72f, 0.35f, 1.0f);

// Measures both paths once per sampler and score kind (a ~0.1 s probe, the first time the panel shows).
void ensure_speed(App& app) {
  Lab& lab = app.lab;
  const SamplerConfig& c = app.scene.scene.sampler;
  const std::string key = std::to_string(static_cast<int>(c.kind)) + "/" + std::to_string(static_cast<int>(lab.particles().source)) +
                          "/" + std::to_string(lab.learned() != nullptr);
  // Requested once per key: with a GL worker the figures arrive frames later (Lab::update).
  lab.request_speed(key);
}

// CPU/GPU switch, why the GPU is not used, and the measured speeds of both paths.
void backend_row(App& app) {
  Lab& lab = app.lab;
  ImGui::TextUnformatted("Run on:");
  ImGui::SameLine();
  // The path that runs now, not the one asked for: a GPU run falls back to (or starts on) the CPU
  // while its kernel compiles or when the GPU cannot run the scene.
  const bool on_gpu = lab.run().started() && lab.run().engine()->as_gpu() != nullptr;
  int backend = lab.run().started() ? (on_gpu ? 1 : 0) : static_cast<int>(lab.particles().backend);
  // Below GL 4.3 there are no compute shaders: the choice is off and its tooltip says why.
  ImGui::BeginDisabled(!app.compute_off.empty());
  bool changed = ImGui::RadioButton("GPU", &backend, 1);
  ImGui::EndDisabled();
  if (!app.compute_off.empty()) tooltip((app.compute_off + ".").c_str());
  else
    tooltip("Step the particles with compute shaders: they live in a GPU buffer that the points and trails "
            "shaders draw directly (no copy per frame). Same seed, same RNG counters as the CPU path "
            "(float instead of double).");
  ImGui::SameLine();
  changed |= ImGui::RadioButton("CPU", &backend, 0);
  tooltip("Step the particles with core's samplers (double precision, all cores). The reference the GPU "
          "kernels are tested against.");
  if (changed && backend != static_cast<int>(lab.particles().backend)) {
    ParticleSettings p = lab.particles();
    p.backend = static_cast<ParticleBackend>(backend);
    lab.set_particles(p);  // restarts the run on the chosen path
  }
  if (!lab.backend_note().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNote);
    ImGui::TextWrapped("On the CPU: %s", lab.backend_note().c_str());
    ImGui::PopStyleColor();
  }
  if (lab.preparing_gpu()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("preparing the GPU kernel… (the particles step on the CPU meanwhile)");
    ImGui::PopStyleColor();
    tooltip("The GPU kernels compile on a worker thread (minutes on a software renderer with a cold shader "
            "cache); the run moves to the GPU at a step boundary when they are ready, keeping the particles.");
  }
  ensure_speed(app);
  if (!lab.speed() || lab.speed()->cpu <= 0.0) return;
  const ParticleSpeed& v = *lab.speed();
  const std::string cpu = short_number(v.cpu), gpu = short_number(v.gpu);
  if (v.gpu > 0.0 && v.cpu > v.gpu && software_gl()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNote);
    ImGui::TextWrapped("CPU path is faster on this machine: %s vs %s particle-steps/s (GL is llvmpipe, a "
                       "software rasteriser).", cpu.c_str(), gpu.c_str());
    ImGui::PopStyleColor();
  } else if (v.gpu > 0.0) {
    ImGui::TextDisabled("GPU %s, CPU %s particle-steps/s", gpu.c_str(), cpu.c_str());
  }
  tooltip("How fast each path moves the particles: one particle moved by one sampler step is one "
          "particle-step. Measured on this machine for this sampler and score: a ~50 ms probe of each path on "
          "the same number of particles (at most 8192), when this panel was first shown.");
}

void playback_row(App& app) {
  Lab& lab = app.lab;
  const bool at_end = lab.scrub_frame() < 0 && lab.run().started() && lab.run().finished();
  if (ImGui::Button(at_end ? "Replay" : lab.particles().playing && lab.scrub_frame() < 0 ? "Pause" : "Play")) toggle_playback(app);
  tooltip("Play or pause the sampler (space); at the end of the run, play it again. From a scrubbed frame, "
          "Play continues from there: the noise of step k is drawn from (seed, particle, k), so the "
          "continuation is the same run.");
  ImGui::SameLine();
  if (ImGui::Button("Step")) lab.step_once();
  tooltip("Advance by 'steps per frame' sampler steps, then pause.");
  ImGui::SameLine();
  if (ImGui::Button("Restart")) restart_and_play(app);
  tooltip("Start again from the initial particles and play (R).");
  ImGui::TextUnformatted("Score:");
  ImGui::SameLine();
  int source = static_cast<int>(lab.particles().source);
  ImGui::RadioButton("exact", &source, 0);
  tooltip("Follow the true score ∇log pₜ: the exact mixture score, or for a point set the ideal "
          "(empirical) score of (1/n)Σᵢ N(m xᵢ, s²I).");
  ImGui::SameLine();
  ImGui::RadioButton("learned", &source, 1);
  tooltip("Follow the network s_θ(x, t) from the trainer's newest snapshot (EMA weights); the run picks "
          "up new snapshots as they arrive.");
  ParticleSettings p = lab.particles();
  p.source = static_cast<ScoreSource>(source);  // followed from the next update
  lab.set_particles(p);
  int forward = lab.particles().forward ? 1 : 0;
  bool flipped = ImGui::RadioButton("Reverse (noise → data)", &forward, 0);
  tooltip("The sampler: from the prior (t = 1) back to the data, following the score.");
  flipped |= ImGui::RadioButton("Forward (data → noise)", &forward, 1);
  tooltip("The forward SDE from the training points: xₜ = m(t)·x₀ + s(t)·z, played from t = ε to 1 along one "
          "Brownian path (exact Gaussian steps x ← a·x + c·z, a = m(t')/m(t), c² = s(t')² − a²s(t)²). "
          "Uses the first N training points (repeated when N is larger).");
  if (flipped && (forward == 1) != lab.particles().forward) {
    p = lab.particles();
    p.forward = forward == 1;
    lab.set_particles(p);  // restarts the run in the other direction
  }
  backend_row(app);
}

// "finishes in about N s" while playing, and a suggestion when one step is dearer than a frame's budget.
void finish_line(const Lab& lab, const ParticleSettings& p) {
  const StepPace& pace = lab.pace();
  if (!lab.run().started() || !p.playing || lab.scrub_frame() >= 0 || lab.run().finished()) return;
  const double seconds = finish_seconds(lab.run().num_steps() - lab.run().step(), pace, p.steps_per_frame,
                                        p.frames_per_step);
  if (seconds >= 0.0) {
    if (seconds < 90.0) ImGui::TextDisabled("finishes in about %.0f s", std::max(1.0, seconds));
    else ImGui::TextDisabled("finishes in about %.0f min", seconds / 60.0);
    tooltip("The steps left at the pace measured over the last frames: steps per frame (or one step every k "
            "frames in slow motion) and the frame rate.");
  }
  if (step_exceeds_budget(pace, 1e-3 * p.budget_ms)) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNote);
    ImGui::TextWrapped("One step takes %.0f ms, more than the %.0f ms budget of a frame: lower the particle count "
                       "(Sampler settings > Particles) for a smooth run.",
                       1e3 * pace.seconds_per_step, p.budget_ms);
    ImGui::PopStyleColor();
  }
}

void pace_controls(const Lab& lab, ParticleSettings& p);
void appearance_controls(ParticleSettings& p);

void scrubber(App& app) {
  Lab& lab = app.lab;
  const int frames = lab.run().frames();
  int shown = shown_frame_index(app);
  ImGui::BeginDisabled(frames < 2);
  const char* format = frames > 0 ? "frame %d" : "no run";  // a refused run records nothing (not "frame -1")
  shown = std::max(shown, 0);
  if (ImGui::SliderInt("Time", &shown, 0, std::max(frames - 1, 0), format, kClamp)) lab.scrub_to(shown);
  ImGui::EndDisabled();
  tooltip("Scrub through the recorded frames of this run (the trails and the field follow). On the CPU, "
          "long runs keep every frame up to a memory budget, then every other one; on the GPU the last "
          "frames that fit 128 MB stay on the GPU (all of them for 10⁴ particles).");
  ParticleSettings p = lab.particles();
  pace_controls(lab, p);
  appearance_controls(p);
  lab.set_particles(p);
}

// Steps per frame, slow motion, the time budget and what the budget allows.
void pace_controls(const Lab& lab, ParticleSettings& p) {
  ImGui::BeginDisabled(p.frames_per_step > 1);
  ImGui::SliderInt("Steps per frame", &p.steps_per_frame, 1, 100, "%d", kClamp);
  ImGui::EndDisabled();
  tooltip("Sampler steps per drawn frame: the playback speed (within the time budget below).");
  ImGui::SliderInt("Slow motion", &p.frames_per_step, 1, 120, p.frames_per_step > 1 ? "1 step / %d frames" : "off",
                   kClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("One sampler step every k drawn frames (k = 60: about one step a second at 60 fps), so a class "
          "sees the uniform start and each step of the collapse into the modes. 'off' (k = 1): steps per "
          "frame apply.");
  finish_line(lab, p);
  ImGui::SliderFloat("Budget", &p.budget_ms, 2.0f, 50.0f, "%.0f ms/frame", kClamp);
  tooltip("How much of each frame the sampler may use, so the window stays smooth: when steps cost more "
          "(millions of particles), fewer steps run per frame. On the GPU a step dearer than this runs in slices of "
          "particles over several frames, about this much each (the particles on screen change when the "
          "step completes); on the CPU at least one step runs, on some frames only.");
  const StepPace& pace = lab.pace();
  if (pace.seconds_per_step > 0.0 && pace.steps_per_frame > 0.0 && p.playing && !lab.run().finished() &&
      p.frames_per_step <= 1 && pace.steps_per_frame < p.steps_per_frame - 0.05) {
    ImGui::PushStyleColor(ImGuiCol_Text, kNote);
    if (pace.steps_per_frame >= 0.995)
      ImGui::Text("%.2f steps/frame (%.0f ms per step)", pace.steps_per_frame, 1e3 * pace.seconds_per_step);
    else  // slices of a step each frame (GPU), or steps on some frames only (CPU): 0.078, not 0.08
      ImGui::Text("%.2g steps/frame (%.0f ms per step)", pace.steps_per_frame, 1e3 * pace.seconds_per_step);
    ImGui::PopStyleColor();
    tooltip("Capped by the time budget: this many particles cannot take the requested steps per frame "
            "on this path at an interactive frame rate. Measured: the average over recent frames of the "
            "steps (or fractions of a step) run per frame — a step every 1/x frames — and the time a "
            "whole step takes.");
  }
}

// How the particles and their trails are drawn.
void appearance_controls(ParticleSettings& p) {
  ImGui::Checkbox("Particles", &p.show);
  ImGui::SameLine();
  ImGui::Checkbox("Trails", &p.show_trails);
  tooltip("Each particle's last positions as fading segments (the first 'trail particles' of them).");
  ImGui::SameLine();
  ImGui::Checkbox("Fade long", &p.fade_long_trails);
  tooltip("Segments longer than a twelfth of the plane fade as (L₀/L)²: the long straight jumps of "
          "high-noise steps would otherwise cover the plane.");
  ImGui::SliderInt("Trail length", &p.trail_length, 0, 32, "%d frames", kClamp);
  tooltip("Segments per trail: the last this many recorded frames.");
  ImGui::SliderInt("Trail particles", &p.max_trails, 0, 10000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
  tooltip("How many particles (the first ones) draw a trail. Each segment is a quad the rasteriser fills: "
          "on software GL a few hundred keep the frame rate.");
  ImGui::SliderFloat("Particle size", &p.size, 1.0f, 10.0f, "%.1f px", kClamp);
  char shading[400];
  std::snprintf(shading, sizeof shading,
                "Disc diameter in pixels. Above %d particles they are splatted and shaded by density: with n "
                "particles over a pixel and n_max over the densest one, opacity = 0.25 + 0.75*sqrt(n / n_max), "
                "so a mode holding four times the particles of another looks denser instead of both saturating.",
                ParticleView::kSplatAbove);
  tooltip(shading);
}

const char* const kSamplerNames[] = {"Langevin", "Annealed Langevin", "Reverse SDE (Euler-Maruyama)",
                                     "Predictor-corrector", "Probability-flow ODE", "DDPM ancestral"};
const char* const kSolverNames[] = {"Euler", "Heun", "RK4"};

// The base ε annealed Langevin will use, and a warning when it is past the stability bound.
void annealed_step_line(const SamplerConfig& c, const NoiseConfig& noise) {
  const std::vector<NoiseLevel> levels = discrete_levels(noise);
  const double eps = annealed_eps(c, levels), bound = annealed_stability_bound(levels.back().s);
  if (eps < bound) {
    ImGui::TextDisabled("ε = %.2e (stable below 4σ_L² = %.2e)", eps, bound);
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
  ImGui::TextWrapped("ε = %.2e is past the stability bound 4σ_L² = %.2e (σ_L = %.2e): each step multiplies a "
                     "particle's distance from a mode by |1 − ε/(2σ_L²)| > 1 and the particles diverge. Tick "
                     "\"ε by Song & Ermon's rule\" or lower ε.",
                     eps, bound, levels.back().s);
  ImGui::PopStyleColor();
}

// EDM's stochastic churn (Karras et al. 2022, Alg. 2); true when a value was released.
bool churn_controls(SamplerConfig& c) {
  bool apply = false;
  float churn = float(c.s_churn), tmin = float(c.s_tmin), tmax = float(std::min(c.s_tmax, 1e4)), noise = float(c.s_noise);
  ImGui::SliderFloat("S_churn", &churn, 0.0f, 100.0f, "%.1f", kClamp);
  apply |= ImGui::IsItemDeactivatedAfterEdit();
  tooltip("Fresh noise before each step: σ̂ = σᵢ(1 + γᵢ), x̂ = x + √(σ̂² − σᵢ²)·S_noise·z, γᵢ = min(S_churn/N, "
          "√2 − 1) for σᵢ in [S_tmin, S_tmax] (never above σ_max). 0: the deterministic ODE.");
  if (c.s_churn > 0) {
    ImGui::DragFloatRange2("S_tmin, S_tmax", &tmin, &tmax, 0.01f, 0.0f, 1e4f, "%.2f", "%.2f", kClamp);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("The σ range where churn is added.");
    ImGui::SliderFloat("S_noise", &noise, 0.9f, 1.1f, "%.3f", kClamp);
    apply |= ImGui::IsItemDeactivatedAfterEdit();
    tooltip("Scales the churn's noise: slightly above 1 makes up for the detail a learned score loses.");
  }
  c.s_churn = churn, c.s_tmin = tmin, c.s_tmax = tmax >= 1e4f ? 1e30 : double(tmax), c.s_noise = noise;
  return apply;
}

// True when the last widget was released after an edit: sliders apply then, not while dragged.
bool released() { return ImGui::IsItemDeactivatedAfterEdit(); }

// The sampler's kind; true when it changed.
bool kind_control(SamplerConfig& c) {
  int kind = static_cast<int>(c.kind);
  const bool changed = ImGui::Combo("Sampler", &kind, kSamplerNames, 6);
  if (changed) c.kind = static_cast<SamplerKind>(kind);
  tooltip("THEORY.md §4. Langevin: x ← x + ε·s(x) + √(2ε)·z. Annealed: αᵢ = ε·σᵢ²/σ_L², T steps per level. "
          "Reverse SDE: dx = [f − g²s]dt + g dw̄. PC: M Langevin correctors, then a predictor step. ODE: "
          "dx/dt = f − ½g²s. DDPM: x ← (x + βᵢ s)/√(1 − βᵢ) + √βᵢ z with the exact βᵢ = 1 − e^(−ΔB).");
  return changed;
}

// The step size (Langevin, annealed) and the number of steps; true when one was applied.
bool step_controls(SamplerConfig& c, const NoiseConfig& noise) {
  bool apply = false;
  const bool langevin = c.kind == SamplerKind::langevin, annealed = c.kind == SamplerKind::annealed;
  if (annealed) {
    if (ImGui::Checkbox("ε by Song & Ermon's rule", &c.eps_auto)) apply = true;
    tooltip("Picks the step so that T Langevin steps at level i, started from the previous level's spread "
            "γ·σᵢ (γ = σᵢ₋₁/σᵢ), end with the spread closest to σᵢ (Song & Ermon 2020, technique 4). "
            "Annealing is stable only for ε < 4σ_L².");
  }
  if (langevin || (annealed && !c.eps_auto)) {
    float eps = static_cast<float>(c.eps);
    ImGui::SliderFloat("ε (step)", &eps, 1e-7f, 1.0f, "%.2e", kClamp | ImGuiSliderFlags_Logarithmic);
    c.eps = eps;
    apply |= released();
    tooltip(langevin ? "Langevin step: x ← x + ε·s(x) + √(2ε)·z (the ε/2·s + √ε·z form is this with ε halved)."
                     : "Annealed Langevin base step: αᵢ = ε·σᵢ²/σ_L²; x ← x + (αᵢ/2)·s(x, σᵢ) + √αᵢ·z.");
  }
  if (annealed) {
    annealed_step_line(c, noise);
    ImGui::SliderInt("T per level", &c.steps_per_level, 1, 1000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
    apply |= released();
    tooltip("Langevin steps T at each noise level σᵢ (NCSN Algorithm 1).");
  } else {
    ImGui::SliderInt("Steps", &c.steps, 1, 5000, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
    apply |= released();
    tooltip(langevin ? "T: the number of Langevin steps."
                     : "N discretisation steps from t = 1 to ε: h = (1 − ε)/N. On the EDM schedule: N σ's of "
                       "the ρ-ladder σᵢ = (σ_max^(1/ρ) + i/(N−1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, then σ = 0.");
  }
  return apply;
}

// Predictor-corrector's snr and corrector steps; true when one was applied.
bool pc_controls(SamplerConfig& c) {
  bool apply = false;
  float snr = static_cast<float>(c.snr);
  ImGui::SliderFloat("snr r", &snr, 0.001f, 1.0f, "%.3f", kClamp | ImGuiSliderFlags_Logarithmic);
  c.snr = snr;
  apply |= released();
  tooltip("How big the corrector's nudges are (signal-to-noise ratio r): larger r moves the particles "
          "further toward the data at each level, smaller r barely moves them. Step e = 2α(r‖z‖/‖s‖)² with "
          "‖z‖ → √d, α = 1 (VE) or the step's αᵢ = e^(−ΔB) (VP, sub-VP). 0.16 default; 0.01 was best for VP.");
  ImGui::SliderInt("Corrector steps M", &c.corrector_steps, 0, 10, "%d", kClamp);
  apply |= released();
  tooltip("M Langevin corrector steps x ← x + e·s + √(2e)·z at the current level, before each predictor "
          "step (as in score_sde's code).");
  return apply;
}

// The ODE's and the reverse SDE's solvers (and EDM's churn); true when one was applied.
bool solver_controls(SamplerConfig& c, NoiseKind noise) {
  bool apply = false;
  if (c.kind == SamplerKind::ode) {
    int solver = static_cast<int>(c.solver);
    if (ImGui::Combo("ODE solver", &solver, kSolverNames, 3)) {
      c.solver = static_cast<OdeSolver>(solver);
      apply = true;
    }
    tooltip("Integrator of dx/dt = f(x, t) − ½g(t)²·s(x, t): Euler (1 NFE/step), Heun (2), RK4 (4). On the "
            "EDM schedule it steps dx/dσ = −σ·s(x, σ) down the ρ-ladder, the last step (to σ = 0) Euler: "
            "Heun takes 2N − 1 NFE (Karras et al. 2022).");
    if (noise == NoiseKind::edm) apply |= churn_controls(c);
  }
  if (c.kind == SamplerKind::em) {
    int solver = c.solver == OdeSolver::heun ? 1 : 0;
    if (ImGui::Combo("SDE solver", &solver, kSolverNames, 2)) {
      c.solver = solver == 1 ? OdeSolver::heun : OdeSolver::euler;
      apply = true;
    }
    tooltip("Euler–Maruyama: x ← x + a(x, t)·h + g√h·z, weak order 1 (1 NFE/step). Stochastic Heun: the "
            "reverse drift a at both ends of the step with one noise draw, weak order 2 (2 NFE/step). For "
            "additive noise Milstein is Euler–Maruyama.");
  }
  return apply;
}

// The population: N, the seed and the final Tweedie step; true when one was applied.
// budget: the most particles the run's path holds here (Lab::particle_budget), where the slider ends.
bool population_controls(SamplerConfig& c, const ParticleBudget& budget) {
  bool apply = false;
  const int most = std::max(budget.max_particles, 100);
  ImGui::SliderInt("Particles", &c.particles, 100, most, "%d", kClamp | ImGuiSliderFlags_Logarithmic);
  apply |= released();
  const std::string help = "Number of particles N, 100 to " + std::to_string(most) + " here (applied on release): " +
                           budget.why +
                           ". Past what the path can step at an interactive rate, fewer steps run per frame "
                           "(the time budget above).";
  tooltip(help.c_str());
  int seed = static_cast<int>(c.seed);
  ImGui::InputInt("Seed", &seed);
  if (released()) {
    c.seed = static_cast<uint32_t>(std::max(seed, 0));
    apply = true;
  }
  tooltip("z for particle j at step k is normal2(seed, j, k): one seed, one run, on CPU and GPU alike.");
  if (ImGui::Checkbox("Tweedie denoise at the end", &c.denoise)) apply = true;
  tooltip("Removes the last bit of noise in one jump: each particle moves to the average clean point that "
          "could have produced it. x ← (x + s²·∇log pₜ(x))/m = E[x₀ | xₜ] (Tweedie's formula).");
  return apply;
}

// Edits a copy of the scene's sampler; applied (validated, then the run restarts) when a widget is released.
void parameters(App& app) {
  SamplerConfig c = app.scene.scene.sampler;
  bool apply = kind_control(c);
  apply |= step_controls(c, app.scene.scene.noise);
  if (c.kind == SamplerKind::pc) apply |= pc_controls(c);
  apply |= solver_controls(c, app.scene.scene.noise.kind);
  apply |= population_controls(c, app.lab.particle_budget());
  if (!apply) return;
  try {
    validate(c);
    app.scene.scene.sampler = c;
    restart_sampler(app);
  } catch (const InputError& e) {
    app.lab.report_sampler_error(e.what());
  }
}

}  // namespace

void draw_particles_panel(App& app) {
  playback_row(app);
  status_line(app);
  scrubber(app);
  draw_follow_row(app);  // condition_panel.cpp: one particle up close
  if (ImGui::TreeNode("Sampler settings")) {
    parameters(app);
    ImGui::TreePop();
  }
}

}  // namespace scorelab
