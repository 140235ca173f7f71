// scorelab score --scene S (--exact | --model M) --points P.csv [--sigma s | --t t] --out F.csv
//
// Writes the score field at the given points as x,y,sx,sy (full precision), for users' own plots and
// for tests. The level: --sigma s is a σ-level on the data (m = 1, sigma_level), --t t a time of the
// scene's SDE; by default the lowest level the score knows (LoadedScore::lowest): the clean data for
// an exact score with a density, the level a network was trained at.
#include <cstdio>
#include <filesystem>

#include "app/cli/commands.hpp"
#include "app/cli/score_source.hpp"
#include "core/csv.hpp"
#include "core/file_io.hpp"

namespace scorelab {

namespace {

struct ScoreOptions {
  std::string scene_path, points, out;
  ScoreSourceOptions source;
  double sigma = -1;  // < 0: not given
  double t = -1;      // < 0: not given
};

NoiseLevel chosen_level(const ScoreOptions& o, const Scene& scene, const LoadedScore& source) {
  NoiseLevel level = source.lowest;
  if (o.sigma >= 0) level = sigma_level(scene.noise, o.sigma);
  if (o.t >= 0) level = Sde(scene.noise).level(o.t);
  if (level.s == 0 && !source.has_density)
    throw InputError(std::string(o.t >= 0 ? "--t " : "--sigma ") + format_number(o.t >= 0 ? o.t : o.sigma) +
                     ": the exact score of this scene is the ideal score of its training points, a sum of "
                     "spikes at noise 0; ask for a level with noise > 0");
  return level;
}

int run_score(const ScoreOptions& o) {
  check_output_path(o.out, "--out");  // before any work
  Scene scene = load_scene(o.scene_path);
  Points x = read_points_csv(o.points);
  LoadedScore source = load_score_source(o.source, scene);
  const NoiseLevel level = chosen_level(o, scene, source);
  Points field;
  source.score->score(x, level, field);
  // Never a silent wrong number (issue 17): a point whose score overflows double is named, nothing written.
  for (Eigen::Index j = 0; j < field.cols(); ++j)
    if (!field.col(j).allFinite())
      throw InputError(o.points + ": the score at point " + std::to_string(j + 1) + " (" + format_number(x(0, j)) +
                       ", " + format_number(x(1, j)) + ") is not finite: it lies too far out for double precision");
  write_field_csv(o.out, x, field);
  std::fprintf(stderr, "scorelab score: %ld points at t = %s, m = %s, s = %s -> %s\n", long(x.cols()),
               format_number(level.t).c_str(), format_number(level.m).c_str(), format_number(level.s).c_str(),
               o.out.c_str());
  return 0;
}

}  // namespace

CommandRunner add_score_command(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  CLI::App* cmd = app.add_subcommand("score", "Write the score field at given points as CSV (x,y,sx,sy)");
  cmd->add_option("--scene", o->scene_path, "Scene JSON")->required()->check(CLI::ExistingFile);
  add_score_source_flags(*cmd, o->source);
  cmd->add_option("--points", o->points, "Input CSV with header x,y")->required()->check(CLI::ExistingFile);
  auto* sigma = cmd->add_option("--sigma", o->sigma, "A noise level on the data, x + sigma·z (default: the lowest the score knows)")
                    ->check(CLI::Range(0.0, 1e4));
  auto* t = cmd->add_option("--t", o->t, "A time of the scene's SDE in [0, 1] (x_t = m(t)·x0 + s(t)·z)")
                ->check(CLI::Range(0.0, 1.0));
  sigma->excludes(t);
  t->excludes(sigma);
  cmd->add_option("--out", o->out, "Output CSV x,y,sx,sy, one row per input point")->required();
  return [o] { return run_score(*o); };
}

}  // namespace scorelab
