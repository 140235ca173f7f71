#include "core/csv.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "core/file_io.hpp"

namespace scorelab {

namespace {

// ---- reading ------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Walks the non-blank lines of a file's text, keeping 1-based physical line numbers for messages.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // spreadsheet exports add a BOM
  }
  bool next(std::string_view& line) {
    while (pos_ < text_.size()) {
      size_t end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      line = trim(text_.substr(pos_, end - pos_));
      pos_ = end + 1;
      ++number_;
      if (!line.empty()) return true;
    }
    return false;
  }
  int number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int number_ = 0;
};

// Splits on commas and trims each field; returns false when the count is not `n`.
bool split_fields(std::string_view line, std::string_view* fields, int n) {
  int count = 0;
  while (true) {
    size_t comma = line.find(',');
    if (count == n) return false;
    fields[count++] = trim(line.substr(0, comma));
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return count == n;
}

enum class Parsed { ok, not_a_number, not_finite };

Parsed parse_number(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return Parsed::not_a_number;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (end != s.data() + s.size()) return Parsed::not_a_number;
  if (ec == std::errc::result_out_of_range) return Parsed::not_finite;  // e.g. 1e400
  if (ec != std::errc()) return Parsed::not_a_number;
  return std::isfinite(out) ? Parsed::ok : Parsed::not_finite;  // from_chars accepts nan and inf
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// The offending line as shown in a message: one line, at most ~60 printable characters (the bytes of
// a binary file are shown as '?').
std::string shown(std::string_view line) { return clip_for_message(std::string(line), 57); }

struct CsvFile {
  std::string name, text;
  // Bounded reads (issue 17): /dev/zero and /dev/urandom are refused at their first NUL byte, a huge
  // file by its size, a line without end by its length.
  explicit CsvFile(const std::filesystem::path& path)
      : name(path.string()), text(read_text_file(path, path.string(), ReadLimits{kMaxCsvBytes, true})) {
    check_line_lengths();
  }
  void check_line_lengths() const {
    size_t start = 0;
    for (int line = 1; start < text.size(); ++line) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end - start > kMaxCsvLineBytes)
        fail(line, "line longer than " + std::to_string(kMaxCsvLineBytes) + " bytes (the limit for a row; is it a CSV file?)");
      start = end + 1;
    }
  }
  [[noreturn]] void fail(int line, const std::string& problem) const {
    throw InputError(name + ":" + std::to_string(line) + ": " + problem);
  }
  // "expected <expected> (got '<row>')": the message for a row of the wrong shape.
  [[noreturn]] void bad_row(int line, const char* expected, std::string_view row) const {
    fail(line, std::string("expected ") + expected + " (got '" + shown(row) + "')");
  }
  // Parses the numeric field `what` of a row; a non-finite value gets its own message.
  double number(std::string_view field, const char* what, int line, const char* expected,
                std::string_view row) const {
    double v = 0;
    Parsed p = parse_number(field, v);
    if (p == Parsed::not_finite)
      fail(line, std::string(what) + " must be a finite number (got '" + shown(field) + "')");
    if (p != Parsed::ok) bad_row(line, expected, row);
    return v;
  }
  // Reads the header row and checks it names exactly `columns` (e.g. {"x","y"}).
  void expect_header(LineReader& lines, const std::vector<std::string_view>& columns) const {
    std::string want;
    for (auto c : columns) {
      if (!want.empty()) want += ',';
      want += c;
    }
    std::string_view line;
    if (!lines.next(line)) throw InputError(name + ": empty file (expected the header '" + want + "')");
    std::vector<std::string_view> got(columns.size());
    bool ok = split_fields(line, got.data(), int(columns.size()));
    for (size_t i = 0; ok && i < columns.size(); ++i) ok = got[i] == columns[i];
    if (!ok) fail(lines.number(), "expected the header '" + want + "' (got '" + shown(line) + "')");
  }
};

}  // namespace

namespace csv_detail {

// ---- writing ------------------------------------------------------------------------------

// Buffers formatted rows and hands them to the atomic writer in large blocks.
class RowWriter {
 public:
  explicit RowWriter(const std::filesystem::path& path) : out_(path) { buffer_.reserve(kBlock + 256); }
  void text(std::string_view s) { buffer_ += s; }
  void number(double v) {
    char tmp[32];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);  // shortest round-trip form
    buffer_.append(tmp, ec == std::errc() ? end : tmp);
  }
  void integer(long long v) {
    char tmp[24];
    auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
    buffer_.append(tmp, ec == std::errc() ? end : tmp);
  }
  void end_row() {
    buffer_ += '\n';
    if (buffer_.size() >= kBlock) flush();
  }
  void commit() {
    flush();
    out_.commit();
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  void flush() {
    out_.write(buffer_);
    buffer_.clear();
  }
  AtomicWriter out_;
  std::string buffer_;
};

}  // namespace csv_detail

using csv_detail::RowWriter;

Points read_points_csv(const std::filesystem::path& path) {
  CsvFile file(path);
  LineReader lines(file.text);
  file.expect_header(lines, {"x", "y"});
  std::vector<double> values;
  std::string_view line, fields[2];
  while (lines.next(line)) {
    const char* expected = "two numbers 'x,y'";
    if (!split_fields(line, fields, 2)) file.bad_row(lines.number(), expected, line);
    values.push_back(file.number(fields[0], "x", lines.number(), expected, line));
    values.push_back(file.number(fields[1], "y", lines.number(), expected, line));
  }
  if (values.empty()) throw InputError(file.name + ": no points after the header 'x,y'");
  return Eigen::Map<const Points>(values.data(), 2, Eigen::Index(values.size() / 2));
}

void write_points_csv(const std::filesystem::path& path, const Points& points) {
  RowWriter out(path);
  out.text("x,y\n");
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    out.number(points(0, i));
    out.text(",");
    out.number(points(1, i));
    out.end_row();
  }
  out.commit();
}

void write_field_csv(const std::filesystem::path& path, const Points& x, const Points& field) {
  if (field.cols() != x.cols())
    throw InputError("cannot write " + path.string() + ": " + std::to_string(x.cols()) + " points but " +
                     std::to_string(field.cols()) + " field vectors");
  RowWriter out(path);
  out.text("x,y,sx,sy\n");
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    for (double v : {x(0, i), x(1, i), field(0, i)}) {
      out.number(v);
      out.text(",");
    }
    out.number(field(1, i));
    out.end_row();
  }
  out.commit();
}

void write_scalars_csv(const std::filesystem::path& path, const std::string& header, const Scalars& values) {
  if (header.empty() || header.find_first_of(",\r\n") != std::string::npos)
    throw InputError("cannot write " + path.string() + ": bad column name '" + header + "'");
  RowWriter out(path);
  out.text(header);
  out.end_row();
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    out.number(values[i]);
    out.end_row();
  }
  out.commit();
}

TrajectoryWriter::TrajectoryWriter(const std::filesystem::path& path)
    : path_(path), rows_(std::make_unique<RowWriter>(path)) {
  rows_->text("step,particle,x,y\n");
}

TrajectoryWriter::~TrajectoryWriter() = default;

void TrajectoryWriter::frame(int step, const Points& x) {
  if (x.cols() == 0) throw InputError("cannot write " + path_.string() + ": a trajectory frame is empty");
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    rows_->integer(step);
    rows_->text(",");
    rows_->integer(i);
    rows_->text(",");
    rows_->number(x(0, i));
    rows_->text(",");
    rows_->number(x(1, i));
    rows_->end_row();
  }
}

void TrajectoryWriter::commit() { rows_->commit(); }

void write_trajectory_csv(const std::filesystem::path& path, const std::vector<Points>& frames,
                          const std::vector<int>& steps) {
  if (frames.size() != steps.size())
    throw InputError("cannot write " + path.string() + ": " + std::to_string(frames.size()) +
                     " frames but " + std::to_string(steps.size()) + " step numbers");
  for (const Points& f : frames)
    if (f.cols() == 0) throw InputError("cannot write " + path.string() + ": a trajectory frame is empty");
  TrajectoryWriter out(path);
  for (size_t f = 0; f < frames.size(); ++f) out.frame(steps[f], frames[f]);
  out.commit();
}

Trajectory read_trajectory_csv(const std::filesystem::path& path) {
  CsvFile file(path);
  LineReader lines(file.text);
  file.expect_header(lines, {"step", "particle", "x", "y"});
  Trajectory traj;
  std::vector<std::vector<double>> frames;  // per frame: x0, y0, x1, y1, ...
  std::string_view line, fields[4];
  while (lines.next(line)) {
    const char* expected = "'step,particle,x,y' (two integers, two numbers)";
    int step, particle;
    if (!split_fields(line, fields, 4) || !parse_int(fields[0], step) || !parse_int(fields[1], particle))
      file.bad_row(lines.number(), expected, line);
    double x = file.number(fields[2], "x", lines.number(), expected, line);
    double y = file.number(fields[3], "y", lines.number(), expected, line);
    if (particle == 0) {
      frames.emplace_back();
      traj.steps.push_back(step);
    } else {
      int expected = frames.empty() ? 0 : int(frames.back().size() / 2);
      if (particle != expected)
        file.fail(lines.number(), "particle " + std::to_string(particle) + " out of order (expected " +
                                      std::to_string(expected) + ")");
      if (step != traj.steps.back())
        file.fail(lines.number(), "step " + std::to_string(step) + " inside the frame of step " +
                                      std::to_string(traj.steps.back()));
    }
    frames.back().push_back(x);
    frames.back().push_back(y);
  }
  if (frames.empty()) throw InputError(file.name + ": no rows after the header 'step,particle,x,y'");
  for (const auto& f : frames)
    traj.frames.push_back(Eigen::Map<const Points>(f.data(), 2, Eigen::Index(f.size() / 2)));
  return traj;
}

}  // namespace scorelab
