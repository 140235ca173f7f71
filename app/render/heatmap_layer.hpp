// A heatmap over the plane: an RGBA8 texture (computed on the CPU, see color_map.hpp) drawn over a
// world-space rectangle with linear filtering, under the grid and the data.
#pragma once

#include <cstdint>
#include <vector>

#include "app/gl/objects.hpp"
#include "app/plane/view_transform.hpp"

namespace scorelab {

class HeatmapLayer {
 public:
  HeatmapLayer();
  // rgba: 4·width·height bytes, row 0 at the bottom; world: the rectangle the image covers (cell
  // edges, not centres).
  void set_image(const std::vector<uint8_t>& rgba, int width, int height, const Bounds2& world);
  void clear() { has_image_ = false; }
  bool has_image() const { return has_image_; }
  void draw(const ViewTransform& view, float opacity) const;

 private:
  gl::Program program_;
  gl::VertexArray vao_;  // empty: core GL needs a bound VAO to draw
  gl::Texture texture_;
  Bounds2 world_;
  bool has_image_ = false;
};

}  // namespace scorelab
