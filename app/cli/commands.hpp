// The subcommands of the scorelab binary. Each registers its flags on a CLI11 subcommand and runs
// from the parsed options; cli.cpp dispatches and turns errors into one line on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace scorelab {

// Registers a subcommand on app; returns the function that runs it once parsing succeeded
// (its return value is the exit code).
using CommandRunner = std::function<int()>;
CommandRunner add_sample_command(CLI::App& app);

// For optional output flags: an empty value is a mistake (an unset shell variable), not "no file".
inline CLI::Validator non_empty_path() {
  return CLI::Validator([](std::string& s) { return s.empty() ? std::string("empty path (expected a file name)") : std::string(); },
                        "PATH");
}
CommandRunner add_nll_command(CLI::App& app);
CommandRunner add_bench_command(CLI::App& app);
CommandRunner add_train_command(CLI::App& app);
CommandRunner add_render_command(CLI::App& app);
CommandRunner add_score_command(CLI::App& app);

}  // namespace scorelab
