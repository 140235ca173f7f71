// Editing the training data by hand, GL-free (tested in tests/app/test_point_editing.cpp): the
// jitter brush that adds points, the eraser, picking a mixture mean on screen, the mixture table's
// weight/covariance arithmetic, and the bounded undo stack of DataConfig states. The Data panel and
// the plane view (data_panel.cpp, plane_view.cpp) turn mouse input into these calls.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "app/plane/view_transform.hpp"
#include "core/data_source.hpp"

namespace scorelab {

// Adds `count` points uniformly distributed in the disc of `radius` around `center` (world units),
// appended to points (2, N) -> (2, N + count). Point j uses the counters 2·counter, 2·counter + 1 of
// the brush's RNG stream under `seed`, and counter advances by count: the same (seed, counter) gives
// the same points, and successive strokes never repeat a draw.
void brush_add(Points& points, const Vec2& center, double radius, int count, uint32_t seed, uint32_t& counter);

// Removes every point with ‖x − center‖ ≤ radius (world units), keeping the others in order.
// Returns how many were removed.
int erase_within(Points& points, const Vec2& center, double radius);

// The index of the world point nearest (on screen) to `screen` (pixels, as ViewTransform's), when it
// is within tolerance_px pixels; nullopt otherwise.
std::optional<int> pick_nearest(const std::vector<Vec2>& world_points, const ViewTransform& view, const Vec2& screen,
                                double tolerance_px);

// ---- mixture components, as the Data panel edits them --------------------------------------------

// Σ from the standard deviations and the correlation: [[σx², ρσxσy], [ρσxσy, σy²]].
Mat2 covariance_from(double sigma_x, double sigma_y, double rho);
struct SigmaRho {
  double sigma_x, sigma_y, rho;
};
SigmaRho sigma_rho(const Mat2& cov);

// Sets πₖ = weight (clamped to [kMinWeight, 1 − kMinWeight·(K−1)]) and rescales the others so the
// weights still sum to 1, keeping their ratios. One component: its weight is 1.
inline constexpr double kMinWeight = 0.01;
void set_component_weight(std::vector<GaussianComponent>& components, int k, double weight);

// Appends N(mean, σ²I) with weight 1/(K+1), the others scaled by K/(K+1).
void add_component(std::vector<GaussianComponent>& components, const Vec2& mean, double sigma);
// Removes component k (never the last one) and renormalises the rest; false when nothing was removed.
bool remove_component(std::vector<GaussianComponent>& components, int k);

// ---- undo ----------------------------------------------------------------------------------------

// Field-by-field equality of two data configurations (points, components, name, count, seed).
bool same_data(const DataConfig& a, const DataConfig& b);

// The previous data states, newest on top, at most `capacity` of them (the oldest is dropped).
class DataUndoStack {
 public:
  explicit DataUndoStack(std::size_t capacity = 20) : capacity_(capacity) {}
  // Records a state to return to; a state equal to the newest one is not stored twice.
  void push(const DataConfig& state);
  std::optional<DataConfig> pop();  // the newest state, removed; nullopt when empty
  std::size_t size() const { return states_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return states_.empty(); }
  void clear() { states_.clear(); }

 private:
  std::deque<DataConfig> states_;
  std::size_t capacity_;
};

// ---- the Data panel's editing state (a field of App) ---------------------------------------------

enum class DrawTool { add, erase };

struct DataEditState {
  bool panel_open = false;     // the Data section is expanded: only then does the left button edit
  DrawTool tool = DrawTool::add;
  float brush_radius = 0.3f;   // world units
  float brush_rate = 150.0f;   // points per second while the left button is held (Add)
  double brush_carry = 0.0;    // fractional points owed to the next frame
  uint32_t brush_counter = 0;  // brush RNG counter (see brush_add)
  bool edit_on_plane = true;   // mixture: drag the means on the plane
  bool stroke_active = false;  // a brush stroke or a mean drag is under way: the lab waits for release
  int dragged_mean = -1;
  int hovered_mean = -1;
  std::string note;            // e.g. "draw at least 2 points", shown in the panel
  DataUndoStack undo{20};
  std::optional<DataConfig> pending;  // the state before the edit under way (pushed when it ends)
  std::optional<DataConfig> last_seen;  // the data as the Data panel last left it
};

}  // namespace scorelab
