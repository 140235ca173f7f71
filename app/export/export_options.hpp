// What an export writes and how its frames map onto the run it shows: output kind from the path,
// frame size, what to record, and the frame plan (motion frames, then a short hold on the last).
// Pure logic, no GL: tests/app/test_export_options.cpp.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/plane/plane_style.hpp"

namespace scorelab {

enum class ExportFormat { mp4, gif, png_frames };
// sampler: the scene's sampler from the prior to the data; forward: the data noised from t = ε to 1;
// sigma_sweep: the score field (and log-density) from the largest noise level down to the smallest;
// training: the learned field while the network trains from its initial weights.
enum class ExportWhat { sampler, forward, sigma_sweep, training };

struct ExportOptions {
  std::filesystem::path out;
  ExportFormat format = ExportFormat::mp4;
  int width = 1280, height = 720;
  int fps = 30;
  int frames = 120;  // all of them, the hold included
  ExportWhat what = ExportWhat::sampler;
  Theme theme = Theme::dark;
  std::optional<std::filesystem::path> poster;  // also write the last frame here (PNG)
  // Write the particles' trajectories as CSV beside the export; unset: for PNG frames only (a video's
  // CSV runs to tens of MB: 20 MB for a 4000-particle MP4, and people asking for a video rarely want it).
  std::optional<bool> trajectories;
};

bool writes_trajectories(const ExportOptions& options);

inline constexpr int kMinExportSide = 16;
inline constexpr int kMaxExportSide = 7680;
inline constexpr int kMaxExportFrames = 100000;

// The format an output path asks for: .mp4, .gif, or a folder of PNG frames (a path ending in '/',
// an existing folder, or a name without extension). Throws InputError for any other extension.
ExportFormat export_format_of(const std::filesystem::path& out);
// The export's size on disk, roughly (the Export panel shows it before the work starts). Calibrated
// on the presets' pictures: bytes ≈ frames × k × √(width·height), k = 34 (MP4), 100 (GIF), 680 (PNG
// frames); a 4 s 1280×720 GIF at 30 fps is ~11 MB, its MP4 ~4 MB. Busy pictures (heatmaps, 10⁶
// particles) run larger.
double estimated_export_megabytes(const ExportOptions& options);
const char* to_string(ExportFormat format);

// "1280x720" -> (1280, 720). Throws InputError naming `what` (e.g. "--size").
void parse_size(std::string_view text, int& width, int& height, std::string_view what = "--size");

ExportWhat parse_export_what(std::string_view name);  // sampler forward sigma_sweep training
const char* to_string(ExportWhat what);

// Checks sizes, fps, frame count, and that MP4 gets even sides (H.264 in yuv420p halves chroma
// in both directions). Throws InputError naming the option.
void validate(const ExportOptions& options);

// Checks, before any work, that the outputs can be created: the folder that will hold the export
// (and the poster) exists and is a folder. Throws InputError "cannot write <path>: <reason>".
void check_export_target(const ExportOptions& options);

// The files written beside an export, named after the whole file name so that anim.mp4 and anim.gif
// keep their own: anim.mp4 -> anim.mp4.scene.json, anim.mp4.trajectories.csv; for a folder of frames
// they go inside it (scene.json, trajectories.csv).
std::filesystem::path scene_file_beside(const ExportOptions& options);
std::filesystem::path trajectories_file_beside(const ExportOptions& options);

// Frames of an export: `motion` frames spread the run evenly from its start (frame 0) to its end
// (frame motion − 1); then `hold` copies of the last picture so the result can be seen before a
// player loops. hold = frames / 10 (none below 10 frames).
struct FramePlan {
  int motion = 1;
  int hold = 0;
  int total() const { return motion + hold; }
};
FramePlan plan_frames(int frames);

// The point of a run of `total_steps` steps that frame i shows: round(i·total_steps/(motion − 1)),
// total_steps for the hold frames (and for a single motion frame). Non-decreasing in i.
int frame_step(const FramePlan& plan, int i, int total_steps);
// The same as a fraction in [0, 1].
double frame_fraction(const FramePlan& plan, int i);

}  // namespace scorelab
