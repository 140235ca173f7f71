// Placeholder until the subcommands land; replaced by the real dispatcher.
#include "app/cli/cli.hpp"

#include <cstdio>

namespace scorelab {

bool is_cli_command(std::string_view word) {
  return word == "train" || word == "sample" || word == "nll" || word == "render" || word == "bench";
}

int run_cli(int, char** argv) {
  std::fprintf(stderr, "scorelab: '%s' is not available yet\n", argv[1]);
  return 2;
}

}  // namespace scorelab
