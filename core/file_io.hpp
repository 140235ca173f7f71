// Whole-file reads and atomic writes, shared by CSV files, scenes and exports.
//
// Why atomic: the CLI contract says nothing half-written is ever left under an output name. Every
// writer goes to `<path>.tmp-<pid>` and renames onto `path` only once everything is flushed; on
// any failure (or an exception in the caller) the temporary file is removed.
//
// What an output name may be (issue 17): the rename must never replace something that is not a
// plain file, so
//   - a character device or FIFO (`--out /dev/null`, a pipe) is written through directly, no rename;
//   - a directory or a block device is refused;
//   - a symlink is followed: its final target is replaced atomically (the temporary lies beside the
//     target, so the rename stays on one file system) and the link itself is left as it was.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace scorelab {

// Bounds on what a reader accepts, so that a small hostile input (/dev/zero, /dev/urandom, a huge
// file) is refused quickly instead of filling memory.
struct ReadLimits {
  size_t max_bytes = size_t(64) << 20;  // files larger than this are refused, naming the limit
  bool text_only = false;               // refuse a NUL byte: the file is binary, not text
};
inline constexpr size_t kMaxJsonBytes = size_t(64) << 20;    // scenes, decks, models
inline constexpr size_t kMaxCsvBytes = size_t(512) << 20;    // points and trajectories (10⁷ rows)
inline constexpr size_t kMaxCsvLineBytes = 4096;             // one CSV row (a point is ~40 bytes)
inline constexpr size_t kMaxJsonDepth = 64;                  // nested objects/arrays in a scene or model

// The file's bytes. Throws InputError "cannot read <label>: <reason>" (missing, a directory,
// unreadable, larger than limits.max_bytes, binary when limits.text_only).
std::string read_text_file(const std::filesystem::path& path, const std::string& label, const ReadLimits& limits = {});

// "64 MB", "512 MB", "2 kB": a byte count as people read it in a message.
std::string format_bytes(size_t bytes);

// Checks, before any work, that `path` can be written as an output (the same rules as AtomicWriter:
// an existing folder that is writable, not a directory, not a block device). Throws InputError
// "<flag>: cannot write <path>: <reason>", e.g. "--out: cannot write a/b.csv: folder a does not exist".
void check_output_path(const std::filesystem::path& path, const std::string& flag);

class AtomicWriter {
 public:
  // Opens `<target>.tmp-<pid>` (or the device/FIFO itself); throws InputError "cannot write <path>: <reason>".
  explicit AtomicWriter(std::filesystem::path path);
  ~AtomicWriter();  // removes the temporary file unless commit() succeeded
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;

  void write(std::string_view text);  // throws InputError naming the path on a write error
  void commit();                      // flush, close, rename onto the target; throws InputError

  // Empty when writing through to a device or FIFO.
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  [[noreturn]] void fail(int err);  // removes the temporary file, throws InputError with strerror(err)

  std::filesystem::path path_, target_, temp_;
  std::FILE* file_ = nullptr;
  bool direct_ = false;  // writing straight to a device or FIFO: nothing to rename or remove
  bool committed_ = false;
};

// One-shot form of AtomicWriter.
void write_text_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace scorelab
