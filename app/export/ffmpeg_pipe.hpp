// An ffmpeg subprocess fed raw RGBA frames on stdin (DESIGN.md): MP4 (H.264, yuv420p, faststart) or
// GIF (palettegen + paletteuse in one pass). ffmpeg writes to a temporary name in the output's
// folder; finish() renames it into place, and a failure or cancel removes it, so nothing partial is
// ever left under the output name.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace scorelab {

enum class VideoKind { mp4, gif };

// The missing-ffmpeg message, one line, naming the Debian package.
inline constexpr const char* kFfmpegMissing =
    "ffmpeg not found: install the Debian package ffmpeg (apt install ffmpeg); PNG frames (--out dir/) still work";

// The ffmpeg executable on PATH, if any.
std::optional<std::filesystem::path> find_ffmpeg();

class FfmpegPipe {
 public:
  // Starts ffmpeg for width x height frames at fps. Throws InputError (one line) when ffmpeg is not
  // installed or the output cannot be written (missing or unwritable folder).
  FfmpegPipe(std::filesystem::path out, VideoKind kind, int width, int height, int fps);
  ~FfmpegPipe();  // abort() unless finish() succeeded
  FfmpegPipe(const FfmpegPipe&) = delete;
  FfmpegPipe& operator=(const FfmpegPipe&) = delete;

  // rgba: width*height*4 bytes, BOTTOM row first (glReadPixels order; ffmpeg flips with vflip).
  // Throws InputError with ffmpeg's own message when it has stopped.
  void write_frame(const uint8_t* rgba);
  // Closes ffmpeg's input, waits for it, and renames the file into place. Throws InputError (and
  // removes the temporary file) when ffmpeg failed.
  void finish();
  // Stops ffmpeg and removes the temporary file. Safe to call twice.
  void abort();

  const std::filesystem::path& out() const { return out_; }
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  void drain_stderr();                 // keeps ffmpeg's stderr pipe from filling up
  int wait_child();                    // the exit status, -1 when it did not exit normally
  [[noreturn]] void fail(const std::string& what);  // abort(), then InputError with ffmpeg's last line

  std::filesystem::path out_, temp_;
  size_t frame_bytes_ = 0;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_text_;
  std::string exit_note_;  // "killed by signal 9" when ffmpeg did not exit by itself
  enum class State { running, finished, aborted };
  State state_ = State::running;
};

}  // namespace scorelab
