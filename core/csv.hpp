// CSV files of points, per-point scalars and sampler trajectories (the CLI's file formats).
//
// Formats (a header row is always present):
//   points      x,y                one row per point
//   field       x,y,sx,sy          one row per point: a score (or any vector field) at the point
//   scalars     <header>           one value per row, e.g. nll
//   trajectory  step,particle,x,y  one row per particle per recorded frame, particles 0..N-1 in order
// Numbers are written in the shortest form that reads back to the same double (std::to_chars), so a
// write/read round trip is bit-exact. Non-finite values are written as nan/inf (a diverged run is
// shown as it is), but the readers refuse them.
// Every writer is atomic (core/file_io.hpp): nothing half-written is left under the output name.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace scorelab {

namespace csv_detail {
class RowWriter;  // buffered rows through an AtomicWriter (csv.cpp)
}

// Throws InputError naming the file and line, e.g. "pts.csv:7: expected two numbers 'x,y' (got '1.0')".
// Tolerates blank lines, spaces around fields, CRLF line ends and a UTF-8 byte-order mark.
// A file without any point is refused. Returns (2, N).
Points read_points_csv(const std::filesystem::path& path);
void write_points_csv(const std::filesystem::path& path, const Points& points);
// x and field: (2, N) each (else InputError).
void write_field_csv(const std::filesystem::path& path, const Points& x, const Points& field);

// header: the column name, e.g. "nll" (must be non-empty, without commas or line breaks).
void write_scalars_csv(const std::filesystem::path& path, const std::string& header, const Scalars& values);

struct Trajectory {
  std::vector<Points> frames;  // each (2, N_f)
  std::vector<int> steps;      // the sampler step at which each frame was recorded; same length
};

// frames.size() must equal steps.size() and no frame may be empty (else InputError).
void write_trajectory_csv(const std::filesystem::path& path, const std::vector<Points>& frames,
                          const std::vector<int>& steps);
// The same file written frame by frame as a sampler records them, so a run of millions of particles
// never holds its frames in memory (issue 17). Atomic like every writer: nothing appears under the
// name before commit(); destroyed without commit() (an error, a diverged run), it leaves nothing.
class TrajectoryWriter {
 public:
  explicit TrajectoryWriter(const std::filesystem::path& path);  // throws InputError "cannot write ..."
  ~TrajectoryWriter();
  TrajectoryWriter(const TrajectoryWriter&) = delete;
  TrajectoryWriter& operator=(const TrajectoryWriter&) = delete;
  void frame(int step, const Points& x);  // x: (2, N), N > 0
  void commit();

 private:
  std::filesystem::path path_;
  std::unique_ptr<csv_detail::RowWriter> rows_;
};

// A frame starts at each row with particle 0; within a frame, particles count up by one and the
// step stays the same.
Trajectory read_trajectory_csv(const std::filesystem::path& path);

}  // namespace scorelab
