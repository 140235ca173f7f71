// Where the CLI's score comes from: the scene's exact score (--exact) or a trained model (--model M).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/scene.hpp"
#include "core/score_function.hpp"

namespace scorelab {

struct ScoreSourceOptions {
  bool exact = false;
  std::string model_path;
};

// Adds the mutually exclusive --exact / --model flags to a subcommand.
void add_score_source_flags(CLI::App& command, ScoreSourceOptions& options);

struct LoadedScore {
  std::unique_ptr<ScoreFunction> score;
  // The lowest level this score is meaningful at, the default of a command that asks for one field:
  // exact with a density (a mixture behind the data): the clean data, s = 0; exact for a point set
  // (the ideal score, spikes at s = 0): the schedule's smallest level; a model: the level it was
  // trained at (lowest_trained_level of the train section saved with it; σ_min when it has none).
  NoiseLevel lowest;
  bool has_density = false;  // the score has a meaning at s = 0
  // A model trained at train.sigma = σ: σ (the level plain Langevin should follow with it).
  std::optional<double> trained_sigma;
};

// Throws InputError when neither or both are given, or the model cannot be used with the scene.
LoadedScore load_score_source(const ScoreSourceOptions& options, const Scene& scene);
std::unique_ptr<ScoreFunction> make_score_source(const ScoreSourceOptions& options, const Scene& scene);

}  // namespace scorelab
