// CSV files: bit-exact round trips, tolerant headers, malformed rows named by file and line,
// atomic writes that leave nothing behind on failure.
#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unistd.h>

#include "core/csv.hpp"
#include "core/rng.hpp"

using namespace scorelab;
using scorelab::testing::TempDir;
using scorelab::testing::slurp;
namespace fs = std::filesystem;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Finite doubles from random bit patterns (all exponents, subnormals included) plus awkward values.
std::vector<double> awkward_doubles(int n) {
  std::vector<double> v = {0.0, -0.0, 0.1, 1.0 / 3.0, -2.5e-310, std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::min(),
                           123456789.123456789, 1e22, 5e-324};
  for (uint32_t i = 0; int(v.size()) < n; ++i) {
    uint64_t bits = (uint64_t(hash3(7, 1, i)) << 32) | hash3(7, 2, i);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) v.push_back(d);
  }
  return v;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool has_temp_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("points round-trip bit for bit") {
  TempDir dir;
  std::vector<double> v = awkward_doubles(2000);
  Points p(2, 1000);
  for (int i = 0; i < 1000; ++i) p.col(i) = Vec2(v[2 * i], v[2 * i + 1]);
  write_points_csv(dir.path / "pts.csv", p);
  CHECK(slurp(dir.path / "pts.csv").rfind("x,y\n", 0) == 0);
  Points q = read_points_csv(dir.path / "pts.csv");
  REQUIRE(q.cols() == p.cols());
  int mismatches = 0;
  for (int i = 0; i < p.cols(); ++i)
    for (int d = 0; d < 2; ++d) mismatches += !same_bits(p(d, i), q(d, i));
  CHECK(mismatches == 0);
  CHECK(!has_temp_files(dir.path));
}

TEST_CASE("scalars are written one per row under their header, bit-exact") {
  TempDir dir;
  std::vector<double> v = awkward_doubles(300);
  Scalars s = Eigen::Map<Scalars>(v.data(), Eigen::Index(v.size()));
  write_scalars_csv(dir.path / "nll.csv", "nll", s);
  std::istringstream in(slurp(dir.path / "nll.csv"));
  std::string line;
  std::getline(in, line);
  CHECK(line == "nll");
  size_t i = 0, mismatches = 0;
  while (std::getline(in, line)) {
    double x = 0;
    std::from_chars(line.data(), line.data() + line.size(), x);
    mismatches += i < v.size() && !same_bits(x, v[i]);
    ++i;
  }
  CHECK(i == v.size());
  CHECK(mismatches == 0);
  CHECK_THROWS_AS(write_scalars_csv(dir.path / "bad.csv", "a,b", s), InputError);
  CHECK(!fs::exists(dir.path / "bad.csv"));
}

TEST_CASE("a field is written as x,y,sx,sy, bit-exact; mismatched sizes are refused") {
  TempDir dir;
  std::vector<double> v = awkward_doubles(800);
  Points x(2, 200), f(2, 200);
  for (int i = 0; i < 200; ++i) {
    x.col(i) = Vec2(v[4 * i], v[4 * i + 1]);
    f.col(i) = Vec2(v[4 * i + 2], v[4 * i + 3]);
  }
  write_field_csv(dir.path / "field.csv", x, f);
  std::istringstream in(slurp(dir.path / "field.csv"));
  std::string line;
  std::getline(in, line);
  CHECK(line == "x,y,sx,sy");
  int rows = 0, mismatches = 0;
  while (std::getline(in, line)) {
    const char* p = line.data();
    const char* end = p + line.size();
    for (int k = 0; k < 4; ++k) {
      double d = 0;
      p = std::from_chars(p, end, d).ptr + 1;  // past the comma
      mismatches += !same_bits(d, k < 2 ? x(k, rows) : f(k - 2, rows));
    }
    ++rows;
  }
  CHECK(rows == 200);
  CHECK(mismatches == 0);
  CHECK(error_of([&] { write_field_csv(dir.path / "bad.csv", x, f.leftCols(3)); }) ==
        "cannot write " + (dir.path / "bad.csv").string() + ": 200 points but 3 field vectors");
  CHECK(!fs::exists(dir.path / "bad.csv"));
  CHECK(!has_temp_files(dir.path));
}

TEST_CASE("reader tolerates a BOM, spaces, CRLF, blank lines and a missing final newline") {
  TempDir dir;
  Points p = read_points_csv(dir.write("a.csv", "\xEF\xBB\xBF x , y \r\n 1.5 , -2 \r\n\r\n+3,4e1\r\n"));
  REQUIRE(p.cols() == 2);
  CHECK(p(0, 0) == 1.5);
  CHECK(p(1, 0) == -2.0);
  CHECK(p(0, 1) == 3.0);
  CHECK(p(1, 1) == 40.0);
  Points q = read_points_csv(dir.write("b.csv", "x,y\n0.25,0.5"));
  REQUIRE(q.cols() == 1);
  CHECK(q(1, 0) == 0.5);
}

TEST_CASE("malformed files are refused with file and line") {
  TempDir dir;
  struct Case {
    const char* text;
    const char* message;  // what follows the file name
  };
  const Case cases[] = {
      {"x,y\n1,2\n3,4\n5,6\n7,8\n9,10\n1.0\n", ":7: expected two numbers 'x,y' (got '1.0')"},
      {"x,y\n1,2,3\n", ":2: expected two numbers 'x,y' (got '1,2,3')"},
      {"x,y\n1,\n", ":2: expected two numbers 'x,y' (got '1,')"},
      {"x,y\na,b\n", ":2: expected two numbers 'x,y' (got 'a,b')"},
      {"x,y\n1 2,3\n", ":2: expected two numbers 'x,y' (got '1 2,3')"},
      {"x,y\n\n\n1,nan\n", ":4: y must be a finite number (got 'nan')"},
      {"x,y\ninf,1\n", ":2: x must be a finite number (got 'inf')"},
      {"x,y\n-1e400,1\n", ":2: x must be a finite number (got '-1e400')"},
      {"1,2\n3,4\n", ":1: expected the header 'x,y' (got '1,2')"},
      {"y,x\n3,4\n", ":1: expected the header 'x,y' (got 'y,x')"},
      {"", ": empty file (expected the header 'x,y')"},
      {"\n \r\n", ": empty file (expected the header 'x,y')"},
      {"x,y\n", ": no points after the header 'x,y'"},
  };
  for (const Case& c : cases) {
    fs::path p = dir.write("pts.csv", c.text);
    std::string err = error_of([&] { read_points_csv(p); });
    CAPTURE(c.text);
    CHECK(err == p.string() + c.message);
  }
  std::string err = error_of([&] { read_points_csv(dir.path / "missing.csv"); });
  CHECK(err == "cannot read " + (dir.path / "missing.csv").string() + ": No such file or directory");
  err = error_of([&] { read_points_csv(dir.path); });
  CHECK(err == "cannot read " + dir.path.string() + ": Is a directory");
}

TEST_CASE("a long malformed row is shown shortened, on one line") {
  TempDir dir;
  fs::path p = dir.write("long.csv", "x,y\n" + std::string(500, '7') + "\n");
  std::string err = error_of([&] { read_points_csv(p); });
  CHECK(err.find(":2: ") != std::string::npos);
  CHECK(err.size() < p.string().size() + 120);
  CHECK(err.find('\n') == std::string::npos);
}

TEST_CASE("unwritable paths throw, naming the path, and leave nothing behind") {
  TempDir dir;
  Points p = Points::Ones(2, 3);
  fs::path missing_dir = dir.path / "no_such_dir" / "x.csv";
  CHECK(error_of([&] { write_points_csv(missing_dir, p); }) ==
        "cannot write " + missing_dir.string() + ": No such file or directory");
  CHECK(!fs::exists(dir.path / "no_such_dir"));

  // The target is a directory: the temporary file is written, the rename fails, the temp is removed.
  fs::create_directory(dir.path / "taken.csv");
  std::string err = error_of([&] { write_points_csv(dir.path / "taken.csv", p); });
  CHECK(err.rfind("cannot write " + (dir.path / "taken.csv").string() + ": ", 0) == 0);
  CHECK(fs::is_directory(dir.path / "taken.csv"));
  CHECK(!has_temp_files(dir.path));

  // A trajectory whose frames and step numbers disagree is refused before any file is created.
  CHECK_THROWS_AS(write_trajectory_csv(dir.path / "t.csv", {p, p}, {0}), InputError);
  CHECK_THROWS_AS(write_trajectory_csv(dir.path / "t.csv", {Points(2, 0)}, {0}), InputError);
  CHECK(!fs::exists(dir.path / "t.csv"));
}

TEST_CASE("writing replaces an existing file whole") {
  TempDir dir;
  fs::path path = dir.write("pts.csv", "old contents that are longer than the new ones\n");
  Points p(2, 1);
  p << 1, 2;
  write_points_csv(path, p);
  CHECK(slurp(path) == "x,y\n1,2\n");
}

TEST_CASE("non-finite values are written as they are, and the reader refuses them") {
  TempDir dir;
  Points p(2, 2);
  p << 1, std::numeric_limits<double>::quiet_NaN(),  // row 0: the x of both points
      2, -std::numeric_limits<double>::infinity();    // row 1: their y
  write_points_csv(dir.path / "diverged.csv", p);
  CHECK(slurp(dir.path / "diverged.csv") == "x,y\n1,2\nnan,-inf\n");
  CHECK(error_of([&] { read_points_csv(dir.path / "diverged.csv"); }).find(":3: x must be a finite number") !=
        std::string::npos);
}

TEST_CASE("trajectories round-trip: frames, steps, particle order") {
  TempDir dir;
  std::vector<double> v = awkward_doubles(40);
  std::vector<Points> frames = {Points(2, 5), Points(2, 5), Points(2, 3), Points(2, 7)};
  std::vector<int> steps = {0, 10, 10, -1};  // a repeated step still starts a new frame at particle 0
  size_t k = 0;
  for (Points& f : frames)
    for (int i = 0; i < f.cols(); ++i, k += 2) f.col(i) = Vec2(v[k % v.size()], v[(k + 1) % v.size()]);
  write_trajectory_csv(dir.path / "traj.csv", frames, steps);
  std::string text = slurp(dir.path / "traj.csv");
  CHECK(text.rfind("step,particle,x,y\n0,0,", 0) == 0);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1 + 5 + 5 + 3 + 7);

  Trajectory t = read_trajectory_csv(dir.path / "traj.csv");
  CHECK(t.steps == steps);
  REQUIRE(t.frames.size() == frames.size());
  int mismatches = 0;
  for (size_t f = 0; f < frames.size(); ++f) {
    REQUIRE(t.frames[f].cols() == frames[f].cols());
    for (int i = 0; i < frames[f].cols(); ++i)
      for (int d = 0; d < 2; ++d) mismatches += !same_bits(t.frames[f](d, i), frames[f](d, i));
  }
  CHECK(mismatches == 0);
}

TEST_CASE("malformed trajectories are refused with file and line") {
  TempDir dir;
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"step,particle,x,y\n0,0,1,2\n0,2,1,2\n", ":3: particle 2 out of order (expected 1)"},
      {"step,particle,x,y\n0,1,1,2\n", ":2: particle 1 out of order (expected 0)"},
      {"step,particle,x,y\n0,0,1,2\n5,1,1,2\n", ":3: step 5 inside the frame of step 0"},
      {"step,particle,x,y\n0.5,0,1,2\n", ":2: expected 'step,particle,x,y' (two integers, two numbers) (got '0.5,0,1,2')"},
      {"step,particle,x,y\n0,0,1\n", ":2: expected 'step,particle,x,y' (two integers, two numbers) (got '0,0,1')"},
      {"step,particle,x,y\n0,0,1,nan\n", ":2: y must be a finite number (got 'nan')"},
      {"x,y\n1,2\n", ":1: expected the header 'step,particle,x,y' (got 'x,y')"},
      {"step,particle,x,y\n", ": no rows after the header 'step,particle,x,y'"},
  };
  for (const Case& c : cases) {
    fs::path p = dir.write("traj.csv", c.text);
    CAPTURE(c.text);
    CHECK(error_of([&] { read_trajectory_csv(p); }) == p.string() + c.message);
  }
}

TEST_CASE("hostile points files are refused fast: /dev/zero, /dev/urandom, endless lines, binary headers") {
  TempDir dir;
  const auto start = std::chrono::steady_clock::now();
  CHECK(error_of([] { read_points_csv("/dev/zero"); }) == "cannot read /dev/zero: not a text file (a NUL byte at offset 0)");
  CHECK(error_of([] { read_points_csv("/dev/urandom"); }).rfind("cannot read /dev/urandom: not a text file", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  const fs::path endless = dir.write("endless.csv", "x,y\n1,2\n" + std::string(5000, '3') + "\n");
  CHECK(error_of([&] { read_points_csv(endless); }) ==
        endless.string() + ":3: line longer than 4096 bytes (the limit for a row; is it a CSV file?)");
  // Bytes that are not printable are shown as '?', so a message stays one readable line.
  const fs::path binary = dir.write("binary.csv", "\x01\x02\xff\x1b[31m,y\n1,2\n");
  const std::string err = error_of([&] { read_points_csv(binary); });
  CHECK(err == binary.string() + ":1: expected the header 'x,y' (got '????[31m,y')");
}

TEST_CASE("TrajectoryWriter streams the same file as write_trajectory_csv; abandoned, it leaves nothing") {
  TempDir dir;
  Points a(2, 2), b(2, 2);
  a << 1, 2, 3, 4;
  b << 0.5, -1, 1e-300, 7;
  write_trajectory_csv(dir.path / "whole.csv", {a, b}, {0, 5});
  {
    TrajectoryWriter w(dir.path / "streamed.csv");
    w.frame(0, a);
    w.frame(5, b);
    CHECK(!fs::exists(dir.path / "streamed.csv"));  // nothing under the name before commit
    w.commit();
  }
  CHECK(slurp(dir.path / "streamed.csv") == slurp(dir.path / "whole.csv"));
  {
    TrajectoryWriter w(dir.path / "abandoned.csv");
    w.frame(0, a);
    CHECK_THROWS_AS(w.frame(1, Points(2, 0)), InputError);
  }
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 2);
}
