// The Export section (animations of what the lab shows, written by an ExportJob a few frames per
// UI frame) and the plane screenshot.
#include "app/gui/panels/export_panel.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <filesystem>

#include "app/export/exporter.hpp"
#include "app/gui/app.hpp"
#include "app/render/png_image.hpp"
#include "app/render/offscreen_imgui.hpp"

namespace scorelab {
namespace {

const char* const kFormats[] = {"MP4 (H.264)", "GIF", "PNG frames"};
struct SizePreset {
  const char* label;
  int width, height;
};
const SizePreset kSizes[] = {{"1280 × 720 (720p)", 1280, 720}, {"1920 × 1080 (1080p)", 1920, 1080},
                             {"854 × 480 (480p)", 854, 480},   {"640 × 360", 640, 360}};
const char* const kWhatLabels[] = {"Sampler run", "Forward process", "Training progress", "σ sweep of the field"};
const ExportWhat kWhatValues[] = {ExportWhat::sampler, ExportWhat::forward, ExportWhat::training,
                                  ExportWhat::sigma_sweep};

// The section's settings and its running job. One App per process, so one panel: file-level state
// (App does not need to know about exports).
struct ExportPanelState {
  int format = 0;
  std::array<char, 1024> path{};
  int size = 0;
  int fps = 30;
  float seconds = 4.0f;
  int what = 0;
  bool current_view = true;
  int trajectories = 0;  // 0: as the format suggests (PNG frames only), 1: always, 2: never
  std::unique_ptr<ExportJob> job;
  std::string status;
  bool status_error = false;
};

ExportPanelState& panel() {
  static ExportPanelState state = [] {
    ExportPanelState s;
    std::snprintf(s.path.data(), s.path.size(), "scorelab-export.mp4");
    return s;
  }();
  return state;
}

// The path with the extension of format f: anim.gif -> anim.mp4, anim.mp4 -> anim/ (PNG frames).
void apply_format_to_path(ExportPanelState& p) {
  std::string s(p.path.data());
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  std::filesystem::path path(s.empty() ? "scorelab-export" : s);
  path.replace_extension(p.format == 0 ? ".mp4" : p.format == 1 ? ".gif" : "");
  std::string out = path.string() + (p.format == 2 ? "/" : "");
  std::snprintf(p.path.data(), p.path.size(), "%s", out.c_str());
}

void set_panel_status(App& app, ExportPanelState& p, std::string text, bool error) {
  p.status = text;
  p.status_error = error;
  set_status(app, std::move(text), error);
}

ExportInput export_input(const App& app, const ExportPanelState& p) {
  ExportInput in;
  in.scene = app.scene;
  ExportOptions& o = in.options;
  o.out = p.path.data();
  o.format = export_format_of(o.out);
  o.width = kSizes[p.size].width;
  o.height = kSizes[p.size].height;
  o.fps = p.fps;
  o.frames = std::max(1, static_cast<int>(std::lround(p.seconds * p.fps)));
  o.what = kWhatValues[p.what];
  o.theme = app.settings.theme;
  if (p.trajectories != 0) o.trajectories = p.trajectories == 1;
  ExportLook& look = in.look;
  look.particles = app.lab.particles();
  look.field = app.lab.field();
  look.heatmap = app.lab.heatmap();
  static_cast<PlaneLook&>(look) = app.settings;
  if (p.current_view) look.region = app.view.visible();
  const Lab& lab = app.lab;
  if (lab.learned() && (lab.particles().source == ScoreSource::learned || lab.field().kind != FieldKind::true_score)) {
    in.learned = lab.learned();
    const long long step = lab.snapshot() ? static_cast<long long>(lab.snapshot()->step) : 0;
    in.score_label = "learned score (" + std::to_string(step) + " training steps)";
  }
  return in;
}

void start_export(App& app, ExportPanelState& p) {
  try {
    ExportInput in = export_input(app, p);
    check_export_target(in.options);
    p.job = std::make_unique<ExportJob>(std::move(in));
    p.status = "Exporting…";
    p.status_error = false;
  } catch (const std::exception& e) {
    p.job.reset();
    set_panel_status(app, p, std::string("Export failed: ") + e.what(), true);
  }
}

// Frames until about 30 ms have gone: the UI keeps ~25 fps while an export runs (llvmpipe).
void run_job(App& app, ExportPanelState& p) {
  if (!p.job) return;
  if (app.quit_requested || (app.window != nullptr && glfwWindowShouldClose(app.window))) {
    p.job.reset();  // cancels: removes the partial output while the GL context is still alive
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    bool more = true;
    while (more && std::chrono::steady_clock::now() - start < std::chrono::milliseconds(30)) more = p.job->advance();
    if (!more) {
      const auto& outputs = p.job->outputs();
      std::string text = "Exported " + std::filesystem::absolute(outputs.front()).string();
      if (outputs.size() > 1) text += " (+ " + std::to_string(outputs.size() - 1) + " files beside it)";
      p.job.reset();
      set_panel_status(app, p, text, false);
    }
  } catch (const std::exception& e) {
    p.job.reset();
    set_panel_status(app, p, std::string("Export failed: ") + e.what(), true);
  }
}

// SCORELAB_OPEN_PANELS (see control_panel.cpp) opens the section when it lists "export".
bool export_section_open(const char* label) {
  const char* env = std::getenv("SCORELAB_OPEN_PANELS");
  if (env != nullptr) {
    const std::string list = std::string(",") + env + ",";
    ImGui::SetNextItemOpen(list.find(",export,") != std::string::npos, ImGuiCond_Once);
  }
  return ImGui::CollapsingHeader(label);
}

// The expected file size, and one click to a GIF small enough for slides and web pages.
void size_estimate(ExportPanelState& p) {
  ExportOptions o;
  o.format = static_cast<ExportFormat>(p.format);
  o.width = kSizes[p.size].width;
  o.height = kSizes[p.size].height;
  o.frames = std::max(1, static_cast<int>(std::lround(p.seconds * p.fps)));
  ImGui::TextDisabled("About %.0f MB (%d frames)", std::max(1.0, estimated_export_megabytes(o)), o.frames);
  tooltip("A rough size, from the presets' own exports: MP4 is the smallest; a GIF keeps every frame's "
          "pixels (a 4 s 720p GIF is ~11 MB); PNG frames are ~0.7 MB each at 720p. Busy pictures run larger.");
  if (p.format == 1 && (p.size != 3 || p.fps > 15) && ImGui::SmallButton("Smaller GIF: 640 × 360, 15 fps")) {
    p.size = 3;
    p.fps = 15;
  }
}

void settings_widgets(ExportPanelState& p) {
  if (ImGui::Combo("Format", &p.format, kFormats, 3)) apply_format_to_path(p);
  tooltip("MP4: H.264 in yuv420p with the index up front (plays in browsers and slides). GIF: one palette "
          "built from all frames. PNG frames: frame_00000.png, … in a folder. ffmpeg makes MP4 and GIF.");
  // Not a Tab stop: Tab from the plane would select the name and the next shortcut key would replace it.
  // A click edits it; Escape while editing restores it (ImGui's cancel).
  ImGui::PushAllowKeyboardFocus(false);
  ImGui::InputText("File", p.path.data(), p.path.size());
  ImGui::PopAllowKeyboardFocus();
  if (ImGui::IsItemDeactivatedAfterEdit()) {  // a typed extension chooses the format
    try {
      p.format = static_cast<int>(export_format_of(p.path.data()));
    } catch (const InputError&) {
      // shown when Export is pressed: the path names the problem there
    }
  }
  tooltip("Where to write (relative to the folder ScoreLab was started in). Beside it: <file>.scene.json "
          "(the scene with its seed, e.g. anim.mp4.scene.json) and, if chosen below, <file>.trajectories.csv "
          "(step,particle,x,y); inside a PNG folder: scene.json and trajectories.csv.");
  const char* const trajectory_choices[] = {"for PNG frames only", "always", "never"};
  ImGui::Combo("Trajectories CSV", &p.trajectories, trajectory_choices, 3);
  tooltip("The particles' positions at every exported step as CSV. Off for videos by default: a 4-second MP4 "
          "of 4000 particles carries a 20 MB CSV.");
  const char* size_labels[4];
  for (int i = 0; i < 4; ++i) size_labels[i] = kSizes[i].label;
  ImGui::Combo("Size", &p.size, size_labels, 4);
  tooltip("Frame size in pixels. Text and lines scale with the height (720 lines = the window at scale 1).");
  ImGui::SliderInt("Frame rate", &p.fps, 10, 60, "%d fps", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Frames per second of the video.");
  ImGui::SliderFloat("Duration", &p.seconds, 1.0f, 30.0f, "%.1f s", ImGuiSliderFlags_AlwaysClamp);
  tooltip("Length of the video: frames = duration × frame rate. The run is spread evenly over the first 90 % "
          "of the frames; the last 10 % hold the final picture.");
  ImGui::Combo("Record", &p.what, kWhatLabels, 4);
  tooltip("Sampler run: the particles from the prior to the data, the field at their level. Forward process: "
          "the data noised, xₜ = m(t)·x₀ + s(t)·z, t from 0 to 1. Training progress: a network trained from its "
          "initial weights (the scene's train section), its field at the Field panel's t. σ sweep: the score "
          "field (and log-density) from the largest noise level to the smallest.");
  ImGui::Checkbox("Current view", &p.current_view);
  tooltip("Show the region of the plane as it is on screen now; unticked: fit the data, as F does.");
  size_estimate(p);
}

void job_widgets(App& app, ExportPanelState& p) {
  const float em = ImGui::GetFontSize();
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "frame %d / %d", p.job->frames_done(), p.job->frames_total());
  ImGui::ProgressBar(static_cast<float>(p.job->progress()), ImVec2(-6.0f * em, 0.0f), overlay);
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) {
    p.job.reset();
    set_panel_status(app, p, "Export cancelled; nothing was written", false);
  }
  tooltip("Stop the export and remove its partial file.");
}

}  // namespace

void advance_export(App& app) { run_job(app, panel()); }

void draw_export_panel(App& app) {
  ExportPanelState& p = panel();
  char label[64];
  std::snprintf(label, sizeof label, p.job ? "Export (%.0f %%)###export" : "Export###export",
                p.job ? 100.0 * p.job->progress() : 0.0);
  if (!export_section_open(label)) return;
  ImGui::PushID("export");  // "Size", "Format", … are common labels: keep these IDs apart
  ImGui::BeginDisabled(p.job != nullptr);
  settings_widgets(p);
  ImGui::EndDisabled();
  if (p.job) {
    job_widgets(app, p);
  } else {
    if (ImGui::Button("Export")) start_export(app, p);
    tooltip("Render the frames with the plane's renderer (its layers, labels and a caption) and write them; "
            "the window stays usable meanwhile. Same scene and seed → the same frames.");
    ImGui::SameLine();
    if (ImGui::Button("Screenshot")) take_screenshot(app);
    tooltip("The plane as it is now, at its size on screen, to scorelab-YYYYMMDD-HHMMSS.png in the current folder.");
  }
  if (!p.status.empty()) {
    if (p.status_error) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", p.status.c_str());
    if (p.status_error) ImGui::PopStyleColor();
  }
  ImGui::PopID();
}

}  // namespace scorelab
