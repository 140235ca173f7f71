#include "core/file_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace scorelab {

namespace {
[[noreturn]] void fail_read(const std::string& label, int err) {
  throw InputError("cannot read " + label + ": " + std::strerror(err ? err : EIO));
}
}  // namespace

std::string read_text_file(const std::filesystem::path& path, const std::string& label) {
  std::error_code ec;
  // fopen succeeds on a directory on Linux; refuse it up front with the usual wording.
  if (std::filesystem::is_directory(path, ec)) fail_read(label, EISDIR);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fail_read(label, errno);
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  int err = std::ferror(f) ? (errno ? errno : EIO) : 0;
  std::fclose(f);
  if (err) fail_read(label, err);
  return text;
}

AtomicWriter::AtomicWriter(std::filesystem::path path) : path_(std::move(path)) {
  temp_ = path_;
  temp_ += ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) throw InputError("cannot write " + path_.string() + ": " + std::strerror(errno));
}

AtomicWriter::~AtomicWriter() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);  // best effort: a destructor must not throw
  }
}

void AtomicWriter::fail(int err) {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
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
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) fail(ec.value());
  committed_ = true;
}

void write_text_atomically(const std::filesystem::path& path, std::string_view text) {
  AtomicWriter out(path);
  out.write(text);
  out.commit();
}

}  // namespace scorelab
