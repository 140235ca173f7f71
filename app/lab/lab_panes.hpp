// Side by side (issue 15): panes beside the window's lab A, each a Lab of its own plus its pane
// settings. Two modes:
//   split      one pane B with its own sampler, step count, schedule and score (exact | learned);
//              B has no trainer: it adopts A's network on every network change (when B's schedule is
//              A's: a network knows only the schedule it was trained under).
//   objectives A and up to three panes each train one objective with a trainer of its own, on the
//              same data and batches (core/objective_comparison.hpp says why they are the same); the
//              panes' trainers start and pause with A's.
// Every pane shares A's data, seed and particle count, and runs in lockstep with A: it shows A's step
// index (a pane with fewer steps waits at its end; when A finishes first, the panes go on at their
// own pace and A waits). Lockstep is driven here, from A's run, so A itself runs exactly as it would
// alone: nothing of a pane reaches A's particles.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/lab/lab.hpp"

namespace scorelab {

enum class PaneMode { split, objectives };

// What a pane sets on its own; the rest of its scene is A's.
struct PaneSettings {
  SamplerKind sampler = SamplerKind::pc;
  int steps = 500;  // langevin, em, pc, ode, ddpm: N; annealed: steps per level
  NoiseKind schedule = NoiseKind::vp;
  ScoreSource score = ScoreSource::exact;
  bool operator==(const PaneSettings&) const = default;
};

// The pane settings a scene runs with (its sampler kind, step count and schedule) and `score`.
PaneSettings pane_settings_of(const Scene& scene, ScoreSource score);
// The scene a pane runs: `base` (A's data, seed, particles, noise parameters, train and model
// sections) with the pane's sampler kind, step count and schedule kind.
LoadedScene pane_scene(const LoadedScene& base, const PaneSettings& pane);
// A pane from another scene file (`scorelab render --split B.json`, SCORELAB_SPLIT): B's sampler
// and noise sections over A's data, with A's sampler seed and particle count (shared, so a
// difference between the panes is the settings', not the draws').
LoadedScene pane_scene_from(const LoadedScene& base, const Scene& other);

class LabPanes {
 public:
  // Split view: pane B with `b` beside `a` (whose scene is `a_scene`). Replaces any panes open.
  void open_split(const Lab& a, const LoadedScene& a_scene, const PaneSettings& b);
  // Objectives side by side: `a` is reconfigured to train objectives[0] and a pane is opened for each
  // of the others (2 to 4 in all). Returns "" or why not (nothing changes then).
  std::string open_objectives(Lab& a, const LoadedScene& a_scene, const std::vector<Objective>& objectives);
  void close();
  // A's scene was replaced or rebuilt (a new scene, a data edit): the panes are rebuilt over it with
  // their settings (objectives: A is reconfigured again).
  void rebase(Lab& a, const LoadedScene& a_scene);

  bool is_open() const { return !panes_.empty(); }
  PaneMode mode() const { return mode_; }
  int size() const { return static_cast<int>(panes_.size()); }  // panes beside A
  Lab& lab(int k) { return *panes_.at(static_cast<size_t>(k)).lab; }
  const Lab& lab(int k) const { return *panes_.at(static_cast<size_t>(k)).lab; }
  const LoadedScene& scene(int k) const { return panes_.at(static_cast<size_t>(k)).scene; }
  const PaneSettings& settings(int k) const { return panes_.at(static_cast<size_t>(k)).settings; }
  // objectives mode: what pane k trains; A's is objectives().front().
  const std::vector<Objective>& objectives() const { return objectives_; }
  // Why pane k does not show what was asked (e.g. a learned score under another schedule), or "".
  const std::string& note(int k) const { return panes_.at(static_cast<size_t>(k)).note; }
  // Split view: new settings for pane k; it is rebuilt over A's scene and started at A's step.
  void set_settings(const Lab& a, int k, const PaneSettings& settings);

  // Once a frame, after a.update(): the panes take A's layer switches, A's condition, A's network
  // (split) or A's training state (objectives), then step in lockstep with A.
  void update(const Lab& a);

 private:
  struct Pane {
    std::unique_ptr<Lab> lab;
    LoadedScene scene;
    PaneSettings settings;
    std::string note;
    uint64_t a_change = ~uint64_t{0};  // A's network change the pane last took (split; none yet)
    int a_step = 0;  // A's step at the last update (a smaller one: A restarted or rewound)
    bool scrubbed = false;  // the pane shows a recorded frame because A does (A's scrubber)
  };
  Pane make_pane(const Lab& a, LoadedScene scene, const PaneSettings& settings, bool own_trainer);
  void share_network(const Lab& a, Pane& pane);
  void mirror_training(const Lab& a, Pane& pane);
  void lockstep(const Lab& a, Pane& pane);

  PaneMode mode_ = PaneMode::split;
  std::vector<Pane> panes_;
  std::vector<Objective> objectives_;
  LoadedScene base_;  // A's scene when the panes were built
  uint64_t a_generation_ = 0;  // objectives: A's trainer generation the panes' trainers follow
};

}  // namespace scorelab
