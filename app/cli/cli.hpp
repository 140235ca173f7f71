// Floor 6, app/cli/: the subcommands; they drive app/lab, app/export and app/gpu, never app/gui.
//
// The command-line side of the scorelab binary: train, sample, nll, render, bench.
#pragma once

#include <string_view>

namespace scorelab {

// True when argv[1] names a subcommand (so main() runs the CLI instead of the GUI).
bool is_cli_command(std::string_view word);

// Runs a subcommand; returns the process exit code. Errors: one line on stderr, exit code != 0.
int run_cli(int argc, char** argv);

}  // namespace scorelab
