#include "app/export/png_frames.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>
#include <system_error>

#include "app/render/png_image.hpp"
#include "core/types.hpp"

namespace scorelab {
namespace {

// "frames/" and "frames" name the same folder; the staging and backup names hang off the latter.
std::filesystem::path without_trailing_slash(const std::filesystem::path& p) {
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// True when every entry is a file an export writes (so replacing the folder loses nothing else).
bool holds_only_export_files(const std::filesystem::path& dir) {
  static const std::regex kExportFile(R"(frame_\d{5,}\.png|scene\.json|trajectories\.csv)");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || !std::regex_match(entry.path().filename().string(), kExportFile)) return false;
  }
  return !ec;
}

[[noreturn]] void cannot_write(const std::filesystem::path& p, int err) {
  throw InputError("cannot write " + p.string() + ": " + std::strerror(err ? err : EIO));
}

}  // namespace

std::string png_frame_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "frame_%05d.png", index);
  return name;
}

PngFrameFolder::PngFrameFolder(std::filesystem::path dir) : dir_(without_trailing_slash(dir)) {
  std::error_code ec;
  if (std::filesystem::exists(dir_, ec)) {
    if (!std::filesystem::is_directory(dir_, ec)) cannot_write(dir_, EEXIST);
    if (!holds_only_export_files(dir_))
      throw InputError("--out " + dir_.string() +
                       "/: the folder holds other files than an export's frames; choose a new or empty folder");
  }
  staging_ = dir_;
  staging_ += ".tmp-" + std::to_string(::getpid());
  std::filesystem::remove_all(staging_, ec);  // a leftover of this very process id
  if (!std::filesystem::create_directory(staging_, ec)) cannot_write(dir_, ec ? ec.value() : EEXIST);
}

PngFrameFolder::~PngFrameFolder() { abort(); }

void PngFrameFolder::write_frame(const std::vector<uint8_t>& rgba, int width, int height) {
  if (!open_) throw InputError("PNG frames: frame written after the end of " + dir_.string());
  write_png(staging_ / png_frame_name(count_), rgba, width, height);
  ++count_;
}

void PngFrameFolder::commit() {
  if (!open_) throw InputError("PNG frames: " + dir_.string() + " was cancelled");
  std::error_code ec;
  std::filesystem::path old;
  if (std::filesystem::exists(dir_, ec)) {
    // An earlier export (checked in the constructor): moved aside, then removed once the new one is in.
    old = dir_;
    old += ".old-" + std::to_string(::getpid());
    std::filesystem::rename(dir_, old, ec);
    if (ec) {
      abort();
      cannot_write(dir_, ec.value());
    }
  }
  std::filesystem::rename(staging_, dir_, ec);
  if (ec) {
    const int err = ec.value();
    if (!old.empty()) std::filesystem::rename(old, dir_, ec);  // put the earlier export back
    abort();
    cannot_write(dir_, err);
  }
  if (!old.empty()) std::filesystem::remove_all(old, ec);
  open_ = false;
}

void PngFrameFolder::abort() {
  if (!open_) return;
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
  open_ = false;
}

}  // namespace scorelab
