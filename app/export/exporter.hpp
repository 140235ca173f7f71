// Floor 5, app/export/: exports drive app/lab and app/render, never app/gui.
//
// An export job: a scene's run rendered frame by frame with the GUI's renderer (build_lab_layers +
// PlaneRenderer + the plane overlay's labels and caption) into MP4, GIF or PNG frames, with the
// scene (seed included) and the particles' trajectories written beside it.
//
// advance() does one unit of work (one frame, or a chunk of training steps), so the GUI can run a
// few per UI frame and the CLI loops. Frames depend only on the scene, the seed and the options:
// no wall clock, no training thread (training runs in the job, in order, before each frame it
// shows), heatmap throttling off. Same input → the same PNG bytes.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/export/export_options.hpp"
#include "app/lab/lab.hpp"
#include "app/lab/loaded_scene.hpp"
#include "app/plane/plane_style.hpp"
#include "app/render/lecture_box.hpp"

namespace scorelab {

class ExportScenario;
class FfmpegPipe;
class OffscreenImGui;
class PngFrameFolder;

// How the frames look: the lab's layer settings and the View panel's (defaults: the GUI's).
// PlaneLook's sizes are logical pixels at 720 lines (scaled with the frame height).
struct ExportLook : PlaneLook {
  ParticleSettings particles;
  FieldSettings field;
  HeatmapSettings heatmap;
  std::optional<Bounds2> region;  // the world region to show (the GUI's view); none: fit the scene
};

struct ExportInput {
  LoadedScene scene;  // its sampler seed is the one used (and saved beside the export)
  ExportOptions options;
  ExportLook look;
  // The learned score for the sampler and the field; null: the exact score. score_label names the
  // score in the caption (e.g. "learned score, 4000 training steps"); empty: a default.
  std::shared_ptr<const NetworkScore> learned;
  std::string score_label;
  // A lecture preset's formula, caption and notice, drawn in a box along the bottom (render --deck).
  LectureText lecture;
  // Split view (`render --split B.json`): the right pane's scene (pane_scene_from: A's data, seed and
  // particles with B's sampler and noise). Each frame then shows A (this scene) on the left and B on
  // the right, each half as wide, in lockstep (the same step index; the shorter run waits at its
  // end), B following `learned` when its schedule is A's and the exact score otherwise.
  std::optional<LoadedScene> split;
  // One part of a longer video (a deck's beat): the frames go to this pipe, which the caller owns
  // and finishes; the job writes no files of its own (no scene, trajectories or poster beside it).
  FfmpegPipe* shared_video = nullptr;
};

class ExportJob {
 public:
  // Validates (InputError), prepares the outputs (ffmpeg started, staging folder) and the GL
  // objects. A GL 4.3 core context must be current on this thread for the job's whole life.
  explicit ExportJob(ExportInput input);
  ~ExportJob();  // cancel() unless finished
  ExportJob(const ExportJob&) = delete;
  ExportJob& operator=(const ExportJob&) = delete;

  // One unit of work; returns true while more remains. After the last frame it writes the files
  // beside the export and puts everything in place. Throws InputError (after removing every
  // partial output) when something fails.
  bool advance();
  void cancel();  // stops and removes every partial output; safe to call at any time

  bool finished() const { return state_ == State::finished; }
  double progress() const;  // 0 … 1
  int frames_done() const { return frames_done_; }
  int frames_total() const { return plan_.total(); }
  // The files written (after finished()): the export, then the scene, trajectories and poster.
  const std::vector<std::filesystem::path>& outputs() const { return outputs_; }
  const ExportOptions& options() const { return input_.options; }

  // The last frame's pixels, RGBA, top row first (for a poster or a thumbnail).
  const std::vector<uint8_t>& last_frame() const { return last_frame_; }

 private:
  void render_frame(int i);
  // Draws scenario's frame i into renderer's target (the view's size), captioned by pane `name`
  // (split view) or, with an empty name, by the scenario's own caption.
  void render_pane(ExportScenario& scenario, const LoadedScene& scene, PlaneRenderer& renderer, int i,
                   const std::string& name);
  void compose_split();  // both panes' targets side by side into composed_ (top row first)
  void write_frame();
  void finish();
  void fail_cleanup();

  enum class State { running, finished, cancelled };
  ExportInput input_;
  FramePlan plan_;
  ViewTransform view_;
  PlaneStyle style_;
  float pixel_scale_ = 1.0f;  // framebuffer pixels per GUI logical pixel (720 lines = 1)
  float font_px_ = 20.0f;
  std::unique_ptr<PlaneRenderer> renderer_;
  std::unique_ptr<OffscreenImGui> overlay_;
  std::unique_ptr<ExportScenario> scenario_;
  std::unique_ptr<ExportScenario> split_scenario_;  // the right pane (input_.split)
  std::unique_ptr<PlaneRenderer> split_renderer_;
  std::vector<uint8_t> composed_;  // split: the whole frame, RGBA, top row first
  std::unique_ptr<FfmpegPipe> video_;
  std::unique_ptr<PngFrameFolder> pngs_;
  std::vector<uint8_t> pixels_, last_frame_;
  std::vector<std::filesystem::path> outputs_;  // also the side files written so far (removed on failure)
  int frames_done_ = 0;
  State state_ = State::running;
};

// The default score label of a scene: "exact score" (mixtures) or "ideal score of the training set".
std::string exact_score_label(const LoadedScene& scene);

}  // namespace scorelab
