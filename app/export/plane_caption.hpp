// The words on the plane, one source for the GUI's plane view, its one-key screenshot and the
// export's frames: the title (which follows the data: drawn points are not "Eight Gaussians"), the
// caption lines (data; sampler, score and step i/N), and the key of the layers that are on.
#pragma once

#include <string>

#include "app/lab/lab.hpp"
#include "app/render/plane_overlay.hpp"

namespace scorelab {

const char* sampler_title(SamplerKind kind);  // "Annealed Langevin"
const char* noise_title(NoiseKind kind);      // "VP SDE"
// "t = 0.500 · m(t) = 0.61 · s(t) = 0.79" (VP, sub-VP) or "t = 0.500 · σ = 1.23" (VE-type: m = 1).
std::string level_text(const NoiseLevel& level, NoiseKind kind);

// The scene's title while its data is the data it was loaded with; else a title for what is shown:
// "Drawn points (N = 42)", "points.csv (N = 300)" or "<title> · data edited".
std::string plane_title(const LoadedScene& scene);

// The score the particles follow, in words: "exact score", "learned score (training step 1200)",
// "learned score: the network is untrained (step 0)".
std::string live_score_label(const LoadedScene& scene, const Lab& lab);

// The live plane's caption: the title, the data line, and while particles are shown the sampler with
// its score, then "step i / N · t = …" (as an exported video's frames have).
Caption live_caption(const LoadedScene& scene, const Lab& lab);

// A pane of the split view (app/lab/lab_panes.hpp), in the window and in `render --split`: its name
// and sampler as the title, then its schedule, step count and score, then "step i / N · t = … ·
// NFE k" (score evaluations per particle so far), so two panes side by side say how they differ.
Caption pane_caption(const std::string& name, const LoadedScene& scene, const Lab& lab, const std::string& score_label);

// The key of the layers that are on in `style` (data, samples, trails, arrows with their |s| scale).
// show_points: the View panel's data switch (build_lab_layers has not set the lab's switches yet).
PlaneKey plane_key(const LoadedScene& scene, const Lab& lab, const PlaneStyle& style);

}  // namespace scorelab
