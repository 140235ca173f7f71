#include "app/cli/render_deck.hpp"

#include <cstdio>
#include <map>

#include "app/cli/interrupt.hpp"
#include "app/cli/progress.hpp"
#include "app/cli/train_loop.hpp"
#include "app/export/export_scenario.hpp"
#include "app/export/exporter.hpp"
#include "app/export/ffmpeg_pipe.hpp"
#include "app/gl/capabilities.hpp"
#include "app/gl/gl.hpp"
#include "app/gl/headless_context.hpp"
#include "app/lab/lab_show.hpp"
#include "app/session/deck.hpp"
#include "core/training/train_config.hpp"

namespace scorelab {
namespace {

int frames_at(const Deck& deck, DeckPosition at) {
  const DeckSlide& slide = deck.slides[size_t(at.slide)];
  const int beat = at.beat > 0 ? slide.beats[size_t(at.beat - 1)].frames : 0;
  return std::max(1, beat > 0 ? beat : slide.frames);
}

std::vector<DeckPosition> positions(const Deck& deck) {
  std::vector<DeckPosition> all{DeckPosition{}};
  for (DeckPosition next = next_position(deck, all.back()); !(next == all.back()); next = next_position(deck, next))
    all.push_back(next);
  return all;
}

// The export input of one position: the scene as the beat has it, looked at as its show section says.
ExportInput position_input(const Deck& deck, DeckPosition at, const ExportOptions& options, bool gpu) {
  ExportInput input;
  input.scene = scene_from_json(deck_scene_json(deck, at), deck.slides[size_t(at.slide)].scene_path);
  const SceneShow show = parse_scene_show(input.scene.scene.show);
  input.options = options;
  input.options.frames = frames_at(deck, at);
  input.options.poster.reset();
  input.options.what = show.forward ? ExportWhat::forward : ExportWhat::sampler;
  input.look.particles = preset_particles(show);
  input.look.particles.backend = gpu ? ParticleBackend::gpu : ParticleBackend::cpu;
  input.look.field = show.field;
  input.look.heatmap = show.heatmap;
  input.look.show_points = show.points;
  if (show.view) {
    const Vec2 half(show.view->half_width, show.view->half_width);
    input.look.region = Bounds2{show.view->center - half, show.view->center + half};
  }
  const SceneLecture& text = input.scene.scene.lecture;
  const std::string beat = deck_caption(deck, at);
  input.lecture = {text.formula, text.caption, beat.empty() ? text.notice : beat};
  return input;
}

}  // namespace

void refuse_gpu_without_compute(bool gpu) {
  if (!gpu || gl::compute_available()) return;
  throw InputError("--backend gpu needs OpenGL 4.3 (compute shaders) and this context offers " +
                   gl::current_gl_version().text() + ": leave out --backend gpu to step the particles on the CPU");
}

int render_deck(const std::filesystem::path& deck_path, const ExportOptions& options, bool gpu) {
  if (options.format == ExportFormat::png_frames)
    throw InputError("--deck renders one video: give --out talk.mp4 or talk.gif");
  const Deck deck = load_deck(deck_path);
  const std::vector<DeckPosition> all = positions(deck);
  int total = 0;
  for (const DeckPosition& at : all) total += frames_at(deck, at);
  std::string why;
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&why, gl::GlNeed::drawing);
  if (!context) throw InputError(why);
  refuse_gpu_without_compute(gpu);
  FfmpegPipe video(options.out, options.format == ExportFormat::mp4 ? VideoKind::mp4 : VideoKind::gif, options.width,
                   options.height, options.fps);
  // The network of a preset that follows the learned score: trained once per distinct set of data,
  // noise, train and model sections (a slide's beats share it).
  std::map<std::string, std::shared_ptr<const NetworkScore>> trained;
  InterruptGuard guard;
  ProgressBar progress("scorelab render --deck", total, "frames");
  int done = 0;
  for (const DeckPosition& at : all) {
    ExportInput input = position_input(deck, at, options, gpu);
    const Scene& s = input.scene.scene;
    if (input.look.particles.source == ScoreSource::learned && !s.train.is_null()) {
      const nlohmann::json j = to_json(s);
      const std::string key = j["data"].dump() + j["noise"].dump() + j["train"].dump() + j["model"].dump();
      auto& net = trained[key];
      std::string label;
      if (!net) net = train_scene_network(input.scene, label, "scorelab render --deck: training slide " +
                                                                  std::to_string(at.slide + 1));
      input.learned = net;
      input.score_label = "learned score (" + std::to_string(parse_train_config(s.train, s.noise.kind).steps) +
                          " training steps)";
    }
    input.shared_video = &video;
    ExportJob job(std::move(input));
    try {
      while (job.advance()) {
        if (interrupted()) throw InputError("cancelled; nothing was written");  // the pipe's destructor removes it
        progress.update(done + job.frames_done());
      }
    } catch (const DivergedRun& e) {
      // A preset whose sampler diverges (a pitfall shown live) must not end the lecture: the video
      // keeps the frames before it, and the log says where.
      std::fprintf(stderr, "\nscorelab render --deck: slide %d, beat %d: %s; its remaining frames are left out\n",
                   at.slide + 1, at.beat, e.what());
    }
    done += job.frames_done();
  }
  video.finish();
  progress.update(done);
  std::fprintf(stderr, "scorelab render: %zu slides and beats of %s, %d frames, %dx%d at %d fps -> %s\n", all.size(),
               deck_path.filename().c_str(), done, options.width, options.height, options.fps, options.out.c_str());
  return 0;
}

}  // namespace scorelab
