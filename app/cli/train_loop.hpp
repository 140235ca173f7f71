// The CLI's training loop (train, and render when it trains first): steps with a progress bar and
// a smoothed loss, stopping at the first step that fails a health check.
#pragma once

#include <memory>
#include <string>

#include "app/lab/loaded_scene.hpp"
#include "core/nn/score_network.hpp"
#include "core/training/training_run.hpp"

namespace scorelab {

struct TrainLoopResult {
  bool ok = true;
  int failed_step = 0;   // the step that failed (1-based), when !ok
  std::string problem;   // why it failed
};

// Runs `steps` steps of `run`, reporting progress on stderr as `label` ("scorelab train").
TrainLoopResult train_with_progress(TrainingRun& run, int steps, const std::string& label);

// Trains the scene's network in this thread with its train and model sections (deterministic: the
// seed is the train section's) and returns the EMA network; `score_label` gets the caption's name
// of it. Throws InputError when the sections are invalid or a step fails.
std::shared_ptr<const NetworkScore> train_scene_network(const LoadedScene& scene, std::string& score_label,
                                                        const std::string& progress_label);

}  // namespace scorelab
