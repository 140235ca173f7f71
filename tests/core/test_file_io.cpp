// Atomic writes: the target only ever holds a complete file; failures leave no temporary behind.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "core/file_io.hpp"

using namespace scorelab;
using scorelab::testing::TempDir;
using scorelab::testing::slurp;
namespace fs = std::filesystem;

namespace {
}  // namespace

TEST_CASE("an abandoned write (exception before commit) keeps the old file and removes the temporary") {
  TempDir dir;
  fs::path target = dir.path / "out.txt";
  write_text_atomically(target, "old\n");
  fs::path temp;
  try {
    AtomicWriter w(target);
    temp = w.temp_path();
    w.write("half of the new conte");
    CHECK(fs::exists(temp));
    CHECK(slurp(target) == "old\n");  // nothing visible under the name while writing
    throw std::runtime_error("the caller failed half-way");
  } catch (const std::runtime_error&) {
  }
  CHECK(temp.string() == target.string() + ".tmp-" + std::to_string(::getpid()));
  CHECK(!fs::exists(temp));
  CHECK(slurp(target) == "old\n");
}

TEST_CASE("commit replaces the target whole") {
  TempDir dir;
  fs::path target = dir.path / "out.txt";
  write_text_atomically(target, "a much longer old text\n");
  {
    AtomicWriter w(target);
    w.write("new");
    w.write("\n");
    w.commit();
  }
  CHECK(slurp(target) == "new\n");
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("reading reports missing files and directories in one line") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(read_text_file(dir.path / "nope", "scene 'nope'"),
                       "cannot read scene 'nope': No such file or directory", InputError);
  CHECK_THROWS_WITH_AS(read_text_file(dir.path, "the folder"), "cannot read the folder: Is a directory", InputError);
  write_text_atomically(dir.path / "t", std::string("a\0b", 3));
  CHECK(read_text_file(dir.path / "t", "t") == std::string("a\0b", 3));
}

// ---- what an output name may be (issue 17): never replace a device, FIFO, folder or symlink ----------

namespace {
std::string write_error(const fs::path& p) {
  try {
    write_text_atomically(p, "x\n");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
std::string check_error(const fs::path& p) {
  try {
    check_output_path(p, "--out");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("writing to /dev/null goes through the device and leaves it a device") {
  write_text_atomically("/dev/null", "rows\n");
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(!fs::exists("/dev/null.tmp-" + std::to_string(::getpid())));
  CHECK(check_error("/dev/null") == "");
  AtomicWriter w("/dev/null");
  CHECK(w.temp_path().empty());
}

TEST_CASE("a FIFO is written through: the reader gets the bytes and the FIFO stays a FIFO") {
  TempDir dir;
  const fs::path fifo = dir.path / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  write_text_atomically(fifo, "through the pipe\n");
  reader.join();
  CHECK(got == "through the pipe\n");
  CHECK(fs::is_fifo(fifo));
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("a symlink is followed: its target is replaced atomically and the link stays a link") {
  TempDir dir;
  const fs::path target = dir.write("real/out.csv", "old\n");
  fs::create_directories(dir.path / "links");
  const fs::path link = dir.path / "links" / "out.csv";
  fs::create_symlink("../real/out.csv", link);
  write_text_atomically(link, "new\n");
  CHECK(fs::is_symlink(link));
  CHECK(slurp(target) == "new\n");
  CHECK(std::distance(fs::directory_iterator(dir.path / "real"), fs::directory_iterator()) == 1);
  CHECK(std::distance(fs::directory_iterator(dir.path / "links"), fs::directory_iterator()) == 1);
  // A dangling link creates its target, as `>` in a shell would.
  const fs::path dangling = dir.path / "links" / "new.csv";
  fs::create_symlink("../real/created.csv", dangling);
  CHECK(check_error(dangling) == "");
  write_text_atomically(dangling, "made\n");
  CHECK(fs::is_symlink(dangling));
  CHECK(slurp(dir.path / "real" / "created.csv") == "made\n");
  // A loop is refused with one line.
  fs::create_symlink("loop_b", dir.path / "loop_a");
  fs::create_symlink("loop_a", dir.path / "loop_b");
  CHECK(write_error(dir.path / "loop_a").find("Too many levels of symbolic links") != std::string::npos);
}

TEST_CASE("a directory is refused as an output, before and at writing, and left as it was") {
  TempDir dir;
  fs::create_directories(dir.path / "d");
  dir.write("d/keep.txt", "kept\n");
  CHECK(write_error(dir.path / "d") == "cannot write " + (dir.path / "d").string() + ": it is a directory, expected a file name");
  CHECK(check_error(dir.path / "d") == "--out: cannot write " + (dir.path / "d").string() + ": it is a directory, expected a file name");
  CHECK(fs::is_directory(dir.path / "d"));
  CHECK(slurp(dir.path / "d" / "keep.txt") == "kept\n");
}

TEST_CASE("output paths are checked before any work: empty, a missing folder, a file as the folder") {
  TempDir dir;
  CHECK(check_error("") == "--out: empty path (expected a file name)");
  CHECK(write_error("") == "cannot write: empty path (expected a file name)");
  CHECK(check_error(dir.path / "no" / "x.csv") ==
        "--out: cannot write " + (dir.path / "no" / "x.csv").string() + ": folder " + (dir.path / "no").string() +
            " does not exist");
  const fs::path file = dir.write("f", "");
  CHECK(check_error(file / "x.csv") == "--out: cannot write " + (file / "x.csv").string() + ": " + file.string() +
                                           " is not a folder");
  CHECK(check_error(dir.path / "fine.csv") == "");
  CHECK(check_error("relative_name.csv") == "");  // the current folder
  CHECK(!fs::exists(dir.path / "fine.csv"));       // a check writes nothing
}

// ---- bounded reads: a small hostile input must not eat memory ----------------------------------------

TEST_CASE("reads are bounded by size, and text reads refuse binary bytes at once") {
  TempDir dir;
  const fs::path big = dir.write("big.json", std::string(5000, ' '));
  CHECK_THROWS_WITH_AS(read_text_file(big, "scene 'big.json'", ReadLimits{4096, false}),
                       "cannot read scene 'big.json': larger than the limit of 4 kB (is it the right file?)", InputError);
  CHECK(read_text_file(big, "b", ReadLimits{5000, true}).size() == 5000);
  // /dev/zero has no size: it is cut off at its first NUL byte (text) or at the size limit.
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(read_text_file("/dev/zero", "zero", ReadLimits{kMaxJsonBytes, true}),
                       "cannot read zero: not a text file (a NUL byte at offset 0)", InputError);
  CHECK_THROWS_WITH_AS(read_text_file("/dev/zero", "zero", ReadLimits{1 << 20, false}),
                       "cannot read zero: larger than the limit of 1 MB (is it the right file?)", InputError);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(format_bytes(kMaxJsonBytes) == "64 MB");
}
