// scorelab nll --scene S (--exact | --model M) --points P.csv --out nll.csv [--steps N]
#include <cmath>
#include <cstdio>

#include "app/cli/commands.hpp"
#include "app/cli/score_source.hpp"
#include "core/csv.hpp"
#include "core/file_io.hpp"
#include "core/likelihood.hpp"

namespace scorelab {

namespace {
struct NllOptions {
  std::string scene_path, points, out;
  ScoreSourceOptions source;
  int steps = LikelihoodConfig{}.steps;
};

int run_nll(const NllOptions& o) {
  check_output_path(o.out, "--out");  // before any work
  Scene scene = load_scene(o.scene_path);
  Points x = read_points_csv(o.points);
  auto score = make_score_source(o.source, scene);
  LikelihoodConfig config;
  config.steps = o.steps;
  Scalars nll = -ode_log_likelihood(*score, scene.noise, x, config);
  // Never a silent wrong number: a point so far out that its density under- or overflows double
  // (|x| beyond ~1e150) is named, and nothing is written.
  for (Eigen::Index j = 0; j < nll.size(); ++j)
    if (!std::isfinite(nll[j]))
      throw InputError(o.points + ": the NLL of point " + std::to_string(j + 1) + " (" + format_number(x(0, j)) + ", " +
                       format_number(x(1, j)) + ") is not finite: it lies too far out for double precision");
  write_scalars_csv(o.out, "nll", nll);
  std::fprintf(stderr, "scorelab nll: %ld points, mean NLL %.4f nats (%.4f bits/dim) -> %s\n", long(x.cols()),
               nll.mean(), nll.mean() / (2.0 * std::log(2.0)), o.out.c_str());
  return 0;
}
}  // namespace

CommandRunner add_nll_command(CLI::App& app) {
  auto o = std::make_shared<NllOptions>();
  CLI::App* cmd = app.add_subcommand("nll", "Negative log-likelihood (nats) of points through the probability-flow ODE");
  cmd->add_option("--scene", o->scene_path, "Scene JSON")->required()->check(CLI::ExistingFile);
  add_score_source_flags(*cmd, o->source);
  cmd->add_option("--points", o->points, "Input CSV with header x,y")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", o->out, "Output CSV with header nll, one row per input point")->required();
  cmd->add_option("--steps", o->steps, "RK4 steps of the ODE on [1e-5, 1]")->check(CLI::Range(1, 100000));
  return [o] { return run_nll(*o); };
}

}  // namespace scorelab
