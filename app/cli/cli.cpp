// Dispatches `scorelab <command> ...`: parses with CLI11, runs the command, and turns every error
// into one line on stderr with a non-zero exit code (2: bad arguments, 1: bad input or failure).
#include "app/cli/cli.hpp"

#include <cstdio>
#include <exception>

#include "app/cli/commands.hpp"
#include "core/types.hpp"

namespace scorelab {

bool is_cli_command(std::string_view word) {
  return word == "train" || word == "sample" || word == "nll" || word == "render" || word == "bench" || word == "score";
}

int run_cli(int argc, char** argv) {
  CLI::App app{"ScoreLab: score-based generative modelling on 2D data", "scorelab"};
  app.require_subcommand(1);
  const std::pair<const char*, CommandRunner> commands[] = {
      {"train", add_train_command(app)},
      {"sample", add_sample_command(app)},
      {"nll", add_nll_command(app)},
      {"render", add_render_command(app)},
      {"bench", add_bench_command(app)},
      {"score", add_score_command(app)},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where = argc > 1 ? std::string(" ") + argv[1] : "";
    std::fprintf(stderr, "scorelab%s: %s (see --help)\n", where.c_str(), e.what());
    return 2;
  }
  for (const auto& [name, run] : commands) {
    if (!app.got_subcommand(name)) continue;
    try {
      return run();
    } catch (const InputError& e) {
      std::fprintf(stderr, "scorelab %s: %s\n", name, e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "scorelab %s: internal error: %s\n", name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "scorelab: '%s' is not available in this build\n", argc > 1 ? argv[1] : "");
  return 2;
}

}  // namespace scorelab
