// Atomic writes: the target only ever holds a complete file; failures leave no temporary behind.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
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
