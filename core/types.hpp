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

}  // namespace scorelab
