#include "app/export/ffmpeg_pipe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/types.hpp"

extern char** environ;

namespace scorelab {
namespace {

// A write to a pipe whose reader has died raises SIGPIPE, which would kill the whole program (the
// GUI included) instead of letting us report ffmpeg's error: ignore it, and see EPIPE instead.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

[[noreturn]] void cannot_write(const std::filesystem::path& out, int err) {
  throw InputError("cannot write " + out.string() + ": " + std::strerror(err));
}

// Creates the temporary file ourselves (ffmpeg overwrites it with -y): a missing or unwritable
// folder is reported here, in our words, before any frame is rendered.
void create_temp_file(const std::filesystem::path& out, const std::filesystem::path& temp) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannot_write(out, errno);
  ::close(fd);
}

std::vector<std::string> ffmpeg_args(const std::string& exe, VideoKind kind, int width, int height, int fps,
                                     const std::string& temp) {
  std::vector<std::string> a = {exe, "-hide_banner", "-nostats", "-loglevel", "error", "-y",
                                "-f", "rawvideo", "-pixel_format", "rgba",
                                "-video_size", std::to_string(width) + "x" + std::to_string(height),
                                "-framerate", std::to_string(fps), "-i", "-"};
  if (kind == VideoKind::mp4) {
    // yuv420p: what every player decodes; faststart: the index up front, so a browser streams it.
    a.insert(a.end(), {"-vf", "vflip", "-c:v", "libx264", "-preset", "medium", "-crf", "20", "-pix_fmt", "yuv420p",
                       "-movflags", "+faststart", "-f", "mp4"});
  } else {
    // One pass: split the stream, build a palette from all frames, map every frame onto it.
    a.insert(a.end(), {"-vf", "vflip,split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a",
                       "-loop", "0", "-f", "gif"});
  }
  a.push_back(temp);
  return a;
}

// The last non-empty line of ffmpeg's stderr.
std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  const size_t nl = text.find_last_of('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

}  // namespace

std::optional<std::filesystem::path> find_ffmpeg() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string_view dirs(path);
  while (true) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : std::string(dir)) / "ffmpeg";
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

FfmpegPipe::FfmpegPipe(std::filesystem::path out, VideoKind kind, int width, int height, int fps)
    : out_(std::move(out)), frame_bytes_(static_cast<size_t>(width) * height * 4) {
  const std::optional<std::filesystem::path> exe = find_ffmpeg();
  if (!exe) throw InputError(kFfmpegMissing);
  ignore_sigpipe();
  temp_ = out_;
  temp_ += ".tmp-" + std::to_string(::getpid());
  create_temp_file(out_, temp_);

  int in_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    std::filesystem::remove(temp_);
    throw InputError(std::string("cannot start ffmpeg: ") + std::strerror(errno));
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    std::filesystem::remove(temp_);
    throw InputError(std::string("cannot start ffmpeg: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  // ffmpeg gets default signal handling (we ignore SIGPIPE in this process only).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = ffmpeg_args(exe->string(), kind, width, height, fps, temp_.string());
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, exe->c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(err_pipe[1]);
  stdin_fd_ = in_pipe[1];
  stderr_fd_ = err_pipe[0];
  ::fcntl(stderr_fd_, F_SETFL, ::fcntl(stderr_fd_, F_GETFL) | O_NONBLOCK);
  if (rc != 0) {
    pid_ = -1;
    abort();
    throw InputError(std::string("cannot start ffmpeg: ") + std::strerror(rc));
  }
}

FfmpegPipe::~FfmpegPipe() { abort(); }

void FfmpegPipe::drain_stderr() {
  if (stderr_fd_ < 0) return;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buffer, sizeof buffer);
    if (n > 0) {
      stderr_text_.append(buffer, static_cast<size_t>(n));
      if (stderr_text_.size() > 65536) stderr_text_.erase(0, stderr_text_.size() - 65536);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // EAGAIN (nothing yet) or EOF
  }
}

int FfmpegPipe::wait_child() {
  if (pid_ < 0) return -1;
  const pid_t pid = pid_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  pid_ = -1;
  if (r == pid && WIFSIGNALED(status)) exit_note_ = "killed by signal " + std::to_string(WTERMSIG(status));
  if (r < 0 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

void FfmpegPipe::fail(const std::string& what) {
  if (stdin_fd_ >= 0) {
    ::close(stdin_fd_);
    stdin_fd_ = -1;
  }
  wait_child();  // ffmpeg has stopped or stops now that its input is closed
  if (stderr_fd_ >= 0) {
    ::fcntl(stderr_fd_, F_SETFL, ::fcntl(stderr_fd_, F_GETFL) & ~O_NONBLOCK);
    drain_stderr();
  }
  std::string detail = last_line(stderr_text_);
  if (detail.empty()) detail = exit_note_;
  abort();
  throw InputError("ffmpeg " + what + " writing " + out_.string() + (detail.empty() ? "" : ": " + detail));
}

void FfmpegPipe::write_frame(const uint8_t* rgba) {
  if (state_ != State::running) throw InputError("ffmpeg: frame written after the end of " + out_.string());
  size_t sent = 0;
  while (sent < frame_bytes_) {
    const ssize_t n = ::write(stdin_fd_, rgba + sent, frame_bytes_ - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno == EPIPE ? "stopped" : std::string("failed (") + std::strerror(errno) + ")");
    sent += static_cast<size_t>(n);
    drain_stderr();
  }
}

void FfmpegPipe::finish() {
  if (state_ == State::finished) return;
  if (state_ == State::aborted) throw InputError("ffmpeg: " + out_.string() + " was cancelled");
  ::close(stdin_fd_);
  stdin_fd_ = -1;
  ::fcntl(stderr_fd_, F_SETFL, ::fcntl(stderr_fd_, F_GETFL) & ~O_NONBLOCK);
  drain_stderr();  // blocks until ffmpeg closes stderr, i.e. exits
  const int status = wait_child();
  if (status != 0) fail(status < 0 ? "stopped" : "failed (exit " + std::to_string(status) + ")");
  ::close(stderr_fd_);
  stderr_fd_ = -1;
  std::error_code ec;
  std::filesystem::rename(temp_, out_, ec);
  if (ec) {
    abort();
    cannot_write(out_, ec.value());
  }
  state_ = State::finished;
}

void FfmpegPipe::abort() {
  if (state_ != State::running) return;
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);  // a cancelled export need not be finalised
    wait_child();
  }
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
  stderr_fd_ = -1;
  std::error_code ec;
  if (!temp_.empty()) std::filesystem::remove(temp_, ec);
  state_ = State::aborted;
}

}  // namespace scorelab
