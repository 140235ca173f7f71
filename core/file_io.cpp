#include "core/file_io.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace scorelab {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail_read(const std::string& label, int err) {
  throw InputError("cannot read " + label + ": " + std::strerror(err ? err : EIO));
}

[[noreturn]] void fail_too_large(const std::string& label, size_t limit) {
  throw InputError("cannot read " + label + ": larger than the limit of " + format_bytes(limit) +
                   " (is it the right file?)");
}

// Where an output really goes: a symlink is followed to its final target, as open() would, so the
// rename replaces the file the link points to and never the link. After 40 hops: ELOOP, as the kernel.
fs::path resolve_links(fs::path p, int& err) {
  std::error_code ec;
  err = 0;
  for (int hops = 0; fs::is_symlink(p, ec); ++hops) {
    if (hops == 40) {
      err = ELOOP;
      break;
    }
    fs::path link = fs::read_symlink(p, ec);
    if (ec) {
      err = ec.value();
      break;
    }
    p = link.is_absolute() ? link : p.parent_path() / link;
  }
  return p;
}

fs::path folder_of(const fs::path& p) { return p.parent_path().empty() ? fs::path(".") : p.parent_path(); }

// Why `path` cannot be an output, or "" when it can. Regular files (new or existing) need a writable
// folder for the temporary file and the rename; devices and FIFOs are written through.
std::string output_problem(const fs::path& path) {
  if (path.empty()) return "empty path (expected a file name)";
  int err = 0;
  const fs::path target = resolve_links(path, err);
  if (err) return std::strerror(err);
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return "it is a directory, expected a file name";
    if (S_ISBLK(st.st_mode)) return "it is a block device (refused: writing would overwrite the disk)";
    if (!S_ISREG(st.st_mode)) return ::access(target.c_str(), W_OK) == 0 ? "" : std::strerror(errno);
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return std::strerror(errno);
  }
  const fs::path folder = folder_of(target);
  struct stat fst;
  if (::stat(folder.c_str(), &fst) != 0) return "folder " + folder.string() + " does not exist";
  if (!S_ISDIR(fst.st_mode)) return folder.string() + " is not a folder";
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    return "folder " + folder.string() + " is not writable (" + std::strerror(errno) + ")";
  return "";
}
}  // namespace

std::string format_bytes(size_t bytes) {
  if (bytes >= (size_t(1) << 20) && bytes % (size_t(1) << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " kB";
  return std::to_string(bytes) + " bytes";
}

std::string read_text_file(const fs::path& path, const std::string& label, const ReadLimits& limits) {
  struct stat st;
  // fopen succeeds on a directory on Linux; refuse it up front with the usual wording.
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail_read(label, EISDIR);
    // A regular file's size is known: refuse before reading a byte. Devices (/dev/zero) report 0
    // and are bounded while reading below.
    if (S_ISREG(st.st_mode) && size_t(st.st_size) > limits.max_bytes) fail_too_large(label, limits.max_bytes);
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fail_read(label, errno);
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    if (text.size() + n > limits.max_bytes) {
      std::fclose(f);
      fail_too_large(label, limits.max_bytes);
    }
    if (limits.text_only) {
      if (const void* nul = std::memchr(buffer, '\0', n)) {
        const size_t at = text.size() + size_t(static_cast<const char*>(nul) - buffer);
        std::fclose(f);
        throw InputError("cannot read " + label + ": not a text file (a NUL byte at offset " + std::to_string(at) + ")");
      }
    }
    text.append(buffer, n);
  }
  int err = std::ferror(f) ? (errno ? errno : EIO) : 0;
  std::fclose(f);
  if (err) fail_read(label, err);
  return text;
}

void check_output_path(const fs::path& path, const std::string& flag) {
  const std::string problem = output_problem(path);
  if (problem.empty()) return;
  if (path.empty()) throw InputError(flag + ": " + problem);
  throw InputError(flag + ": cannot write " + path.string() + ": " + problem);
}

AtomicWriter::AtomicWriter(fs::path path) : path_(std::move(path)) {
  if (path_.empty()) throw InputError("cannot write: empty path (expected a file name)");
  int err = 0;
  target_ = resolve_links(path_, err);
  if (err) throw InputError("cannot write " + path_.string() + ": " + std::strerror(err));
  struct stat st;
  if (::stat(target_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
      throw InputError("cannot write " + path_.string() + ": " + output_problem(path_));
    // A character device or FIFO: renaming a file over it would replace the node itself.
    direct_ = true;
    file_ = std::fopen(target_.c_str(), "wb");
    if (!file_) throw InputError("cannot write " + path_.string() + ": " + std::strerror(errno));
    return;
  }
  temp_ = target_;
  temp_ += ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) throw InputError("cannot write " + path_.string() + ": " + std::strerror(errno));
}

AtomicWriter::~AtomicWriter() {
  if (file_) std::fclose(file_);
  if (!committed_ && !direct_) {
    std::error_code ec;
    fs::remove(temp_, ec);  // best effort: a destructor must not throw
  }
}

void AtomicWriter::fail(int err) {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  if (!direct_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
  throw InputError("cannot write " + path_.string() + ": " + std::strerror(err ? err : EIO));
}

void AtomicWriter::write(std::string_view text) {
  if (!file_) fail(EBADF);
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail(errno);
}

void AtomicWriter::commit() {
  if (!file_) fail(EBADF);
  if (std::fflush(file_) != 0) fail(errno);
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) fail(errno);
  if (!direct_) {
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) fail(ec.value());
  }
  committed_ = true;
}

void write_text_atomically(const fs::path& path, std::string_view text) {
  AtomicWriter out(path);
  out.write(text);
  out.commit();
}

}  // namespace scorelab
