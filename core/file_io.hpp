// Whole-file reads and atomic writes, shared by CSV files, scenes and exports.
//
// Why atomic: the CLI contract says nothing half-written is ever left under an output name. Every
// writer goes to `<path>.tmp-<pid>` and renames onto `path` only once everything is flushed; on
// any failure (or an exception in the caller) the temporary file is removed.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace scorelab {

// The file's bytes. Throws InputError "cannot read <label>: <reason>" (missing, a directory, unreadable).
std::string read_text_file(const std::filesystem::path& path, const std::string& label);

class AtomicWriter {
 public:
  // Opens `<path>.tmp-<pid>`; throws InputError "cannot write <path>: <reason>".
  explicit AtomicWriter(std::filesystem::path path);
  ~AtomicWriter();  // removes the temporary file unless commit() succeeded
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;

  void write(std::string_view text);  // throws InputError naming the path on a write error
  void commit();                      // flush, close, rename onto the target; throws InputError

  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  [[noreturn]] void fail(int err);  // removes the temporary file, throws InputError with strerror(err)

  std::filesystem::path path_, temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// One-shot form of AtomicWriter.
void write_text_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace scorelab
