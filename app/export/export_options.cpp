#include "app/export/export_options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "core/file_io.hpp"
#include "core/types.hpp"

namespace scorelab {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// Digits only: a size has no sign.
bool parse_int(std::string_view text, int& value) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && !text.empty();
}

}  // namespace

ExportFormat export_format_of(const std::filesystem::path& out) {
  if (out.empty()) throw InputError("--out: empty path");
  const std::string text = out.string();
  std::error_code ec;
  if (text.back() == '/' || std::filesystem::is_directory(out, ec)) return ExportFormat::png_frames;
  const std::string ext = lower(out.extension().string());
  if (ext == ".mp4") return ExportFormat::mp4;
  if (ext == ".gif") return ExportFormat::gif;
  if (ext.empty()) return ExportFormat::png_frames;
  throw InputError("--out " + text + ": unknown extension '" + out.extension().string() +
                   "' (use .mp4, .gif, or a folder ending in / for PNG frames)");
}

const char* to_string(ExportFormat format) {
  switch (format) {
    case ExportFormat::mp4: return "MP4";
    case ExportFormat::gif: return "GIF";
    case ExportFormat::png_frames: return "PNG frames";
  }
  return "?";
}

void parse_size(std::string_view text, int& width, int& height, std::string_view what) {
  const size_t x = text.find_first_of("xX");
  int w = 0, h = 0;
  if (x == std::string_view::npos || !parse_int(text.substr(0, x), w) || !parse_int(text.substr(x + 1), h))
    throw InputError(std::string(what) + ": expected WIDTHxHEIGHT, e.g. 1280x720 (got '" + std::string(text) + "')");
  width = w;
  height = h;
}

ExportWhat parse_export_what(std::string_view name) {
  if (name == "sampler") return ExportWhat::sampler;
  if (name == "forward") return ExportWhat::forward;
  if (name == "sigma_sweep") return ExportWhat::sigma_sweep;
  if (name == "training") return ExportWhat::training;
  throw InputError("--what: unknown '" + std::string(name) + "' (sampler, forward, sigma_sweep, training)");
}

const char* to_string(ExportWhat what) {
  switch (what) {
    case ExportWhat::sampler: return "sampler";
    case ExportWhat::forward: return "forward";
    case ExportWhat::sigma_sweep: return "sigma_sweep";
    case ExportWhat::training: return "training";
  }
  return "?";
}

double estimated_export_megabytes(const ExportOptions& o) {
  const double per_root_pixel = o.format == ExportFormat::mp4 ? 34.0 : o.format == ExportFormat::gif ? 100.0 : 680.0;
  return o.frames * per_root_pixel * std::sqrt(double(o.width) * o.height) / 1e6;
}

void validate(const ExportOptions& o) {
  const auto side_ok = [](int v) { return v >= kMinExportSide && v <= kMaxExportSide; };
  if (!side_ok(o.width) || !side_ok(o.height))
    throw InputError("--size " + std::to_string(o.width) + "x" + std::to_string(o.height) + ": each side must be in [" +
                     std::to_string(kMinExportSide) + ", " + std::to_string(kMaxExportSide) + "]");
  if (o.format == ExportFormat::mp4 && (o.width % 2 != 0 || o.height % 2 != 0))
    throw InputError("--size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                     ": MP4 (H.264, yuv420p) needs an even width and height");
  if (o.fps < 1 || o.fps > 120) throw InputError("--fps " + std::to_string(o.fps) + ": must be in [1, 120]");
  if (o.frames < 1 || o.frames > kMaxExportFrames)
    throw InputError("--frames " + std::to_string(o.frames) + ": must be in [1, " + std::to_string(kMaxExportFrames) + "]");
}

namespace {

// The folder `path` will be created in: its parent (a folder export's too: "frames/" -> ".").
std::filesystem::path parent_folder(const std::filesystem::path& path) {
  std::string s = path.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  const std::filesystem::path parent = std::filesystem::path(s).parent_path();
  return parent.empty() ? "." : parent;
}

void check_parent(const std::filesystem::path& path) {
  const std::filesystem::path parent = parent_folder(path);
  std::error_code ec;
  const auto status = std::filesystem::status(parent, ec);
  if (!std::filesystem::exists(status))
    throw InputError("cannot write " + path.string() + ": the folder " + parent.string() + " does not exist");
  if (!std::filesystem::is_directory(status))
    throw InputError("cannot write " + path.string() + ": " + parent.string() + " is not a folder");
}

}  // namespace

void check_export_target(const ExportOptions& options) {
  check_parent(options.out);
  if (options.poster) {
    if (options.poster->extension() != ".png")
      throw InputError("--poster " + options.poster->string() + ": must end in .png");
    check_output_path(*options.poster, "--poster");  // also refuses a folder, before any frame is drawn
  }
}

namespace {

// anim.mp4 -> anim.mp4<suffix>; a folder -> folder/<name>.
std::filesystem::path beside(const ExportOptions& o, const char* suffix, const char* name) {
  if (o.format == ExportFormat::png_frames) return o.out / name;
  std::filesystem::path p = o.out;
  p += suffix;
  return p;
}

}  // namespace

bool writes_trajectories(const ExportOptions& o) {
  return o.trajectories.value_or(o.format == ExportFormat::png_frames);
}

std::filesystem::path scene_file_beside(const ExportOptions& o) { return beside(o, ".scene.json", "scene.json"); }
std::filesystem::path trajectories_file_beside(const ExportOptions& o) {
  return beside(o, ".trajectories.csv", "trajectories.csv");
}

FramePlan plan_frames(int frames) {
  FramePlan plan;
  frames = std::max(frames, 1);
  plan.hold = frames >= 10 ? frames / 10 : 0;
  plan.motion = frames - plan.hold;
  return plan;
}

int frame_step(const FramePlan& plan, int i, int total_steps) {
  if (plan.motion <= 1 || i >= plan.motion - 1) return total_steps;
  if (i <= 0) return 0;
  // Integer arithmetic: exact, so the CLI, the GUI and a test agree on every frame's step.
  const long long num = static_cast<long long>(i) * total_steps;
  const long long den = plan.motion - 1;
  return static_cast<int>((2 * num + den) / (2 * den));
}

double frame_fraction(const FramePlan& plan, int i) {
  if (plan.motion <= 1 || i >= plan.motion - 1) return 1.0;
  if (i <= 0) return 0.0;
  return static_cast<double>(i) / (plan.motion - 1);
}

}  // namespace scorelab
