// Shared value types of the core: 2D points in column-major batches.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

namespace scorelab {

using Vec2 = Eigen::Vector2d;
using Mat2 = Eigen::Matrix2d;
using Points = Eigen::Matrix<double, 2, Eigen::Dynamic>;  // (2, N) column-major: one particle per column
using Scalars = Eigen::VectorXd;                           // (N): one value per particle

// Thrown for any input the user can get wrong (scene files, CLI values, point files).
// The message names the offending key or value and the problem, in one line.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A double as a message shows it ("0.1", "1e+20", "nan"): the shortest default stream form.
inline std::string format_number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// User text as a one-line message echoes it: at most `max_chars` characters, anything that is not
// printable ASCII shown as '?', and "..." when cut, so a 1 MB key or the bytes of a binary file
// never flood the terminal (issue 17). UTF-8 letters are shown as '?' too: a message must stay one
// safe line, and the position of the problem is named separately.
inline std::string clip_for_message(const std::string& text, size_t max_chars = 80) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_chars; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  }
  if (text.size() > max_chars) out += "...";
  return out;
}

}  // namespace scorelab
