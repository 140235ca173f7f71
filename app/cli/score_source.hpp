// Where the CLI's score comes from: the scene's exact score (--exact) or a trained model (--model M).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
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

// Throws InputError when neither or both are given, or the model cannot be used with the scene.
std::unique_ptr<ScoreFunction> make_score_source(const ScoreSourceOptions& options, const Scene& scene);

}  // namespace scorelab
