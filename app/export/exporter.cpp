#include "app/export/exporter.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <system_error>

#include "app/export/export_scenario.hpp"
#include "app/export/ffmpeg_pipe.hpp"
#include "app/export/png_frames.hpp"
#include "app/export/plane_caption.hpp"
#include "app/render/png_image.hpp"
#include "app/render/offscreen_imgui.hpp"

namespace scorelab {
namespace {

// The GUI's sizes are tuned for a plane about 720 framebuffer pixels tall at scale 1; an export
// keeps those proportions at any size.
constexpr double kReferenceLines = 720.0;
// The em of the arrow spacing in exports: the GUI's base font before it grew to 20 px (style.cpp),
// kept so that exported frames keep their arrow density.
constexpr float kGuiFontPx = 17.0f;
constexpr float kOverlayFontPx = 20.0f;  // caption and labels at 720 lines: legible on a projector

}  // namespace

std::string exact_score_label(const LoadedScene& scene) {
  return scene.mixture ? "exact score" : "ideal score of the training set";
}

ExportJob::ExportJob(ExportInput input) : input_(std::move(input)) {
  ExportOptions& o = input_.options;
  validate(o);
  plan_ = plan_frames(o.frames);
  if (input_.score_label.empty()) input_.score_label = input_.learned ? "learned score" : exact_score_label(input_.scene);
  // The scene first (it may refuse the sampler or training sections), then the outputs.
  scenario_ = std::make_unique<ExportScenario>(input_.scene, o.what, input_.look, input_.learned,
                                               input_.score_label, plan_);
  if (input_.split) {
    if (o.what != ExportWhat::sampler) throw InputError("--split shows two samplers side by side: it needs --what sampler");
    // A network knows the schedule it learned only: B under another one follows the exact score.
    const bool shared = input_.learned && input_.split->scene.noise.kind == input_.scene.scene.noise.kind;
    split_scenario_ = std::make_unique<ExportScenario>(*input_.split, o.what, input_.look,
                                                       shared ? input_.learned : nullptr,
                                                       shared ? input_.score_label : exact_score_label(*input_.split), plan_);
    const int longest = std::max(scenario_->lab().run().num_steps(), split_scenario_->lab().run().num_steps());
    scenario_->set_lockstep_steps(longest);
    split_scenario_->set_lockstep_steps(longest);
  }
  if (input_.shared_video) {
    // A part of the caller's video: its pipe, no outputs of this job's own.
  } else if (o.format == ExportFormat::png_frames) {
    pngs_ = std::make_unique<PngFrameFolder>(o.out);
  } else {
    video_ = std::make_unique<FfmpegPipe>(o.out, o.format == ExportFormat::mp4 ? VideoKind::mp4 : VideoKind::gif,
                                          o.width, o.height, o.fps);
  }
  pixel_scale_ = static_cast<float>(std::max(0.5, o.height / kReferenceLines));
  font_px_ = std::round(kOverlayFontPx * pixel_scale_);
  style_ = plane_style(o.theme, input_.look, pixel_scale_);
  renderer_ = std::make_unique<PlaneRenderer>();
  renderer_->set_data(input_.scene.points);
  renderer_->set_mixture(input_.scene.mixture);
  if (input_.split) {
    split_renderer_ = std::make_unique<PlaneRenderer>();
    split_renderer_->set_data(input_.split->points);
    split_renderer_->set_mixture(input_.split->mixture);
  }
  overlay_ = std::make_unique<OffscreenImGui>(font_px_);
  // The view: the region (or the data) fitted into the part of the frame above a lecture caption box;
  // split, into each half (both panes share it: the same data, the same place).
  const Vec2 size(input_.split ? o.width / 2 : o.width, o.height);
  const OverlayFrame frame{ImVec2(0.0f, 0.0f), ImVec2(float(o.width), float(o.height)), 1.0f};
  const double covered = std::min(0.5 * o.height, double(lecture_box_height(overlay_->fonts(), frame, input_.lecture)));
  const Vec2 above(size.x(), o.height - covered);
  view_ = input_.look.region ? fit_to_bounds(*input_.look.region, above, 0.0) : fit_to_bounds(input_.scene.bounds, above, 0.06);
  view_.viewport = size;
  view_.center.y() -= 0.5 * covered / view_.pixels_per_unit;
}

ExportJob::~ExportJob() { cancel(); }

double ExportJob::progress() const {
  if (state_ == State::finished) return 1.0;
  const double partial = scenario_ ? std::clamp(scenario_->frame_work_done(), 0.0, 1.0) : 0.0;
  return std::min(1.0, (frames_done_ + (partial < 1.0 ? partial : 0.0)) / plan_.total());
}

bool ExportJob::advance() {
  if (state_ != State::running) return false;
  try {
    if (frames_done_ < plan_.total()) {
      if (!scenario_->prepare(frames_done_)) return true;  // more training steps before this frame
      if (split_scenario_) split_scenario_->prepare(frames_done_);  // sampler frames: always ready
      render_frame(frames_done_);
      write_frame();
      ++frames_done_;
      if (frames_done_ < plan_.total()) return true;
    }
    finish();
    return false;
  } catch (...) {
    fail_cleanup();
    throw;
  }
}

void ExportJob::render_frame(int i) {
  if (!split_scenario_) {
    render_pane(*scenario_, input_.scene, *renderer_, i, "");
    return;
  }
  render_pane(*scenario_, input_.scene, *renderer_, i, "A");
  render_pane(*split_scenario_, *input_.split, *split_renderer_, i, "B");
  compose_split();
}

void ExportJob::render_pane(ExportScenario& scenario, const LoadedScene& scene, PlaneRenderer& renderer, int i,
                            const std::string& name) {
  PlaneStyle style = style_;
  Lab& lab = scenario.lab();
  const LabLayerFrame frame{scene, view_, renderer, kGuiFontPx, pixel_scale_};
  lab.build_layers(frame, style);
  const double min_major_px = 4.5 * font_px_;  // the GUI's rule: room for a label like "-12.5"
  renderer.render_offscreen(view_, style, min_major_px);
  PlaneOverlay text;
  text.caption = name.empty() ? scenario.caption(i) : pane_caption(name, scene, lab, scenario.score_label());
  text.tick_labels = input_.look.show_labels;
  text.legend = lab.shown_heatmap_legend();
  text.heatmap_opacity = style.heatmap_opacity;
  text.key = plane_key(scene, lab, style);
  text.lecture_formula = input_.lecture.formula;
  text.lecture_caption = input_.lecture.caption;
  text.lecture_notice = input_.lecture.notice;
  text.mode_weights = lab.pinned_mode_weights();
  overlay_->render(renderer.target(), [&](ImDrawList& draw) {
    const OverlayFrame f{ImVec2(0.0f, 0.0f), ImVec2(static_cast<float>(view_.viewport.x()),
                                                    static_cast<float>(view_.viewport.y())), 1.0f};
    draw_plane_overlay(draw, overlay_->fonts(), f, view_, min_major_px, style.palette, text);
  });
}

void ExportJob::compose_split() {
  const ExportOptions& o = input_.options;
  const std::vector<uint8_t> left = renderer_->target().read_rgba();
  const std::vector<uint8_t> right = split_renderer_->target().read_rgba();
  const size_t half = static_cast<size_t>(o.width / 2) * 4, row = static_cast<size_t>(o.width) * 4;
  composed_.assign(row * static_cast<size_t>(o.height), 0);
  for (size_t y = 0; y < static_cast<size_t>(o.height); ++y) {
    std::copy_n(left.begin() + static_cast<std::ptrdiff_t>(y * half), half, composed_.begin() + static_cast<std::ptrdiff_t>(y * row));
    std::copy_n(right.begin() + static_cast<std::ptrdiff_t>(y * half), half,
                composed_.begin() + static_cast<std::ptrdiff_t>(y * row + half));
  }
  // A divider: the last column of A and the first of B in the palette's label colour (the arrows'
  // grids of the two halves would otherwise run into each other).
  const Rgba& c = style_.palette.label;
  const uint8_t line[4] = {static_cast<uint8_t>(255.0f * c.r), static_cast<uint8_t>(255.0f * c.g),
                           static_cast<uint8_t>(255.0f * c.b), 255};
  for (size_t y = 0; y < static_cast<size_t>(o.height); ++y)
    for (size_t x : {half / 4 - 1, half / 4}) std::copy_n(line, 4, composed_.begin() + static_cast<std::ptrdiff_t>(y * row + 4 * x));
  for (size_t k = 3; k < composed_.size(); k += 4) composed_[k] = 255;
}

void ExportJob::write_frame() {
  const gl::RenderTarget& target = renderer_->target();
  const bool last = frames_done_ + 1 == plan_.total();
  if (split_scenario_) {  // the composed frame; the pipe takes rows bottom-up (as glReadPixels gives them)
    if (FfmpegPipe* video = input_.shared_video ? input_.shared_video : video_.get()) {
      const size_t row = static_cast<size_t>(input_.options.width) * 4;
      pixels_.resize(composed_.size());
      for (size_t y = 0, h = composed_.size() / row; y < h; ++y)
        std::copy_n(composed_.begin() + static_cast<std::ptrdiff_t>((h - 1 - y) * row), row,
                    pixels_.begin() + static_cast<std::ptrdiff_t>(y * row));
      video->write_frame(pixels_.data());
    } else {
      pngs_->write_frame(composed_, input_.options.width, input_.options.height);
    }
    if (last) last_frame_ = composed_;
    return;
  }
  if (FfmpegPipe* video = input_.shared_video ? input_.shared_video : video_.get()) {
    target.read_rgba_bottom_up(pixels_);
    video->write_frame(pixels_.data());
    if (last) last_frame_ = target.read_rgba();
  } else {
    std::vector<uint8_t> rgba = target.read_rgba();
    for (size_t k = 3; k < rgba.size(); k += 4) rgba[k] = 255;  // an opaque picture, whatever GL left in alpha
    pngs_->write_frame(rgba, target.width(), target.height());
    if (last) last_frame_ = std::move(rgba);
  }
}

// Side files first (each atomic), the export itself last: a failure on the way removes them all.
void ExportJob::finish() {
  if (input_.shared_video) {  // a part: the caller's video goes on
    state_ = State::finished;
    return;
  }
  const ExportOptions& o = input_.options;
  const bool folder = o.format == ExportFormat::png_frames;
  const auto side = [&](const std::filesystem::path& beside) { return folder ? pngs_->staging() / beside.filename() : beside; };
  const std::filesystem::path scene_path = side(scene_file_beside(o));
  save_scene(input_.scene.scene, scene_path);
  if (!folder) outputs_.push_back(scene_path);
  const Trajectory& traj = scenario_->trajectories();
  std::filesystem::path traj_path;
  if (!traj.frames.empty() && writes_trajectories(o)) {
    traj_path = side(trajectories_file_beside(o));
    write_trajectory_csv(traj_path, traj.frames, traj.steps);
    if (!folder) outputs_.push_back(traj_path);
  }
  if (o.poster) {
    if (last_frame_.empty()) last_frame_ = renderer_->target().read_rgba();
    for (size_t k = 3; k < last_frame_.size(); k += 4) last_frame_[k] = 255;
    write_png(*o.poster, last_frame_, o.width, o.height);
    outputs_.push_back(*o.poster);
  }
  if (video_) video_->finish();
  if (pngs_) pngs_->commit();
  // Report the export first, then what lies beside it.
  outputs_.insert(outputs_.begin(), o.out);
  if (folder) {
    outputs_.insert(outputs_.begin() + 1, scene_file_beside(o));
    if (!traj_path.empty()) outputs_.insert(outputs_.begin() + 2, trajectories_file_beside(o));
  }
  state_ = State::finished;
}

void ExportJob::fail_cleanup() {
  if (video_) video_->abort();
  if (pngs_) pngs_->abort();
  std::error_code ec;
  for (const auto& path : outputs_) std::filesystem::remove(path, ec);
  outputs_.clear();
  state_ = State::cancelled;
}

void ExportJob::cancel() {
  if (state_ != State::running) return;
  fail_cleanup();
}

}  // namespace scorelab
