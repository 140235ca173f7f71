// scorelab render --scene S [--exact | --model M | --train] --out anim.mp4|anim.gif|frames_dir/
//                 [--what sampler|forward|sigma_sweep|training] [--frames F] [--size WxH] [--fps R]
//                 [--theme dark|light] [--seed K] [--particles N] [--poster poster.png] [--backend cpu|gpu]
//                 [--split B.json]
// scorelab render --deck D --out talk.mp4|talk.gif [--size WxH] [--fps R] [--theme dark|light] (render_deck.hpp)
// Headless (EGL, no X): the GUI's renderer into an offscreen target, frames to ffmpeg or PNG files.
#include <cstdio>

#include "app/cli/commands.hpp"
#include "app/cli/interrupt.hpp"
#include "app/cli/render_deck.hpp"
#include "app/cli/progress.hpp"
#include "app/cli/score_source.hpp"
#include "app/cli/train_loop.hpp"
#include "app/export/exporter.hpp"
#include "app/export/ffmpeg_pipe.hpp"
#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"
#include "app/lab/lab_panes.hpp"
#include "core/particle_budget.hpp"
#include "core/training/training_run.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {

namespace {

struct RenderOptions {
  std::string split_path;  // the right pane's scene (split view)
  std::string scene_path, deck_path, out, size = "1280x720", what = "sampler", theme = "dark", poster;
  std::string backend = "cpu";  // where the particles are stepped (cpu: exactly `scorelab sample`'s numbers)
  std::string trajectories;     // on | off; empty: on for PNG frames only
  ScoreSourceOptions source;
  bool train = false;
  int frames = 120, fps = 30;
  int particles = 0;    // 0: the scene's
  long long seed = -1;  // < 0: the scene's
};

ExportOptions export_options(const RenderOptions& o) {
  ExportOptions e;
  e.out = o.out;
  e.format = export_format_of(e.out);
  parse_size(o.size, e.width, e.height);
  e.fps = o.fps;
  e.frames = o.frames;
  e.what = parse_export_what(o.what);
  e.theme = o.theme == "light" ? Theme::light : Theme::dark;
  if (!o.poster.empty()) e.poster = o.poster;
  if (!o.trajectories.empty()) e.trajectories = o.trajectories == "on";
  validate(e);
  check_export_target(e);
  if (e.format != ExportFormat::png_frames && !find_ffmpeg()) throw InputError(kFfmpegMissing);  // before any training
  return e;
}

// The score: --model, --exact, --train; with none of them, training when the scene has a train
// section and the exact score otherwise. Training frames (--what training) train their own.
void choose_score(const RenderOptions& o, ExportInput& input) {
  const bool given = o.source.exact || !o.source.model_path.empty() || o.train;
  if (input.options.what == ExportWhat::training) {
    if (given) throw InputError("--what training trains its own network; drop --exact, --model and --train");
    return;
  }
  if (!o.source.model_path.empty()) {
    std::shared_ptr<const ScoreFunction> score = make_score_source(o.source, input.scene.scene);
    input.learned = std::dynamic_pointer_cast<const NetworkScore>(score);
    input.score_label = "learned score (" + std::filesystem::path(o.source.model_path).filename().string() + ")";
  } else if (o.train || (!o.source.exact && !input.scene.scene.train.is_null())) {
    input.learned = train_scene_network(input.scene, input.score_label, "scorelab render: training");
  }
  // The field shows what the particles follow.
  if (input.learned) input.look.field.kind = FieldKind::learned;
}

void report(const ExportJob& job) {
  const ExportOptions& o = job.options();
  std::fprintf(stderr, "scorelab render: %d frames, %s %dx%d at %d fps -> %s\n", job.frames_total(), to_string(o.format),
               o.width, o.height, o.fps, o.out.c_str());
  for (size_t i = 1; i < job.outputs().size(); ++i) std::fprintf(stderr, "  also %s\n", job.outputs()[i].c_str());
}

int run_render(const RenderOptions& o) {
  if (!o.deck_path.empty()) return render_deck(o.deck_path, export_options(o), o.backend == "gpu");
  if (o.scene_path.empty()) throw InputError("render needs --scene S (or --deck D)");
  ExportInput input;
  input.options = export_options(o);
  input.scene = load_scene_for_view(o.scene_path);
  SamplerConfig& sampler = input.scene.scene.sampler;
  if (o.seed >= 0) sampler.seed = static_cast<uint32_t>(o.seed);
  if (o.particles > 0) sampler.particles = o.particles;
  validate(sampler, "sampler");
  // B: its sampler and noise over A's data, seed and particles (set above, so --seed reaches both).
  if (!o.split_path.empty()) input.split = pane_scene_from(input.scene, load_scene_for_view(o.split_path).scene);
  // The GL context before any training: a machine without one fails at once.
  std::string why;
  // Drawing needs GL 3.3 only; the particles then step on the CPU (--backend gpu is refused below 4.3).
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&why, gl::GlNeed::drawing);
  if (!context) throw InputError(why);
  refuse_gpu_without_compute(o.backend == "gpu");
  input.look.particles.backend = o.backend == "gpu" ? ParticleBackend::gpu : ParticleBackend::cpu;
  choose_score(o, input);
  int frames = 0;
  {
    ExportJob job(std::move(input));  // GL objects go before the context
    InterruptGuard guard;
    ProgressBar progress("scorelab render", job.frames_total(), "frames");
    try {
      while (job.advance()) {
        if (interrupted()) {
          job.cancel();
          throw InputError("cancelled; nothing was written");
        }
        if (job.frames_done() != frames) progress.update(frames = job.frames_done());
      }
    } catch (const InputError&) {
      if (interrupted()) throw InputError("cancelled; nothing was written");
      throw;
    }
    progress.update(job.frames_done());
    report(job);
  }
  return 0;
}

}  // namespace

CommandRunner add_render_command(CLI::App& app) {
  auto o = std::make_shared<RenderOptions>();
  CLI::App* cmd = app.add_subcommand(
      "render",
      "Render an animation headless (EGL, no display) with the GUI's renderer: MP4, GIF or PNG frames, with the "
      "scene beside it (anim.mp4.scene.json) and, for PNG frames or with --trajectories on, the particles' "
      "trajectories (anim.mp4.trajectories.csv: step,particle,x,y)");
  auto* scene = cmd->add_option("--scene", o->scene_path, "Scene JSON")->check(CLI::ExistingFile);
  cmd->add_option("--deck", o->deck_path,
                  "A lecture deck (assets/decks/lecture.json): the whole lecture as one MP4 or GIF, each slide and "
                  "beat for its frames with its caption box (networks of learned-score slides trained first)")
      ->check(CLI::ExistingFile)
      ->excludes(scene);
  add_score_source_flags(*cmd, o->source);
  auto* train = cmd->add_flag("--train", o->train,
                              "Train the scene's network first (progress on stderr). Default without --exact/--model: "
                              "train when the scene has a \"train\" section, else use the exact score");
  for (const char* name : {"--exact", "--model"}) {
    train->excludes(cmd->get_option(name));
    cmd->get_option(name)->excludes(train);
  }
  cmd->add_option("--out", o->out, "anim.mp4 (H.264), anim.gif, or frames_dir/ (frame_00000.png, ...)")->required();
  cmd->add_option("--what", o->what,
                  "sampler (the scene's sampler, prior to data) | forward (the data noised, t from 0 to 1) | "
                  "sigma_sweep (the field from the largest noise to the smallest) | training (the learned field "
                  "while the network trains)")
      ->check(CLI::IsMember({"sampler", "forward", "sigma_sweep", "training"}));
  cmd->add_option("--frames", o->frames,
                  "Frames in all (default 120): the run is spread evenly over the first 90 %, the last tenth holds "
                  "the final picture")
      ->check(CLI::Range(1, kMaxExportFrames));
  cmd->add_option("--size", o->size, "Frame size WIDTHxHEIGHT (default 1280x720; MP4 needs even sides)");
  cmd->add_option("--fps", o->fps, "Frames per second (default 30)")->check(CLI::Range(1, 120));
  cmd->add_option("--theme", o->theme, "dark (default) | light")->check(CLI::IsMember({"dark", "light"}));
  cmd->add_option("--seed", o->seed, "Sampler seed (default: the scene's)")->check(CLI::Range(0LL, 4294967295LL));
  cmd->add_option("--particles", o->particles, "Number of particles (default: the scene's)")->check(CLI::Range(1, kMaxParticles));
  cmd->add_option("--poster", o->poster, "Also write the last frame as a PNG")->check(non_empty_path());
  cmd->add_option("--trajectories", o->trajectories,
                  "on | off: the trajectories CSV beside the export (default: on for PNG frames, off for MP4/GIF, "
                  "whose CSV runs to tens of MB)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--split", o->split_path,
                  "Split view: B.json's sampler and noise schedule over this scene's data, seed and particles, "
                  "rendered beside it (A left, B right, each half the width) in lockstep: the same step index, "
                  "the shorter run waiting at its end; each half's caption says its settings and NFE")
      ->check(CLI::ExistingFile)
      ->excludes("--deck");
  cmd->add_option("--backend", o->backend,
                  "cpu (default: the trajectories are exactly `scorelab sample`'s) | gpu (the GUI's compute kernels)")
      ->check(CLI::IsMember({"cpu", "gpu"}));
  return [o] { return run_render(*o); };
}

}  // namespace scorelab
