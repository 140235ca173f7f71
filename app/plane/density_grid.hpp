// The grid a density heatmap is computed on: shared by the GPU kernel's host (app/gpu/gpu_density)
// and the progressive CPU/GPU job (app/jobs/density_job). GL-free, header only.
#pragma once

#include "core/types.hpp"

namespace scorelab {

// Grid point (i, j), i < width, j < height, is origin + (i, j)·spacing (cell centres, row 0 at the
// bottom); its value is stored at [j·width + i].
struct DensityGrid {
  int width = 256;
  int height = 256;
  Vec2 origin{-8.0, -8.0};
  Vec2 spacing{16.0 / 255.0, 16.0 / 255.0};

  bool operator==(const DensityGrid&) const = default;
};

// The points of rows [row0, row1): (2, (row1 − row0)·width), row by row, i fastest.
inline Points density_grid_rows(const DensityGrid& grid, int row0, int row1) {
  Points x(2, static_cast<Eigen::Index>(row1 - row0) * grid.width);
  for (int j = row0; j < row1; ++j)
    for (int i = 0; i < grid.width; ++i)
      x.col(static_cast<Eigen::Index>(j - row0) * grid.width + i) =
          grid.origin + Vec2(i, j).cwiseProduct(grid.spacing);
  return x;
}

}  // namespace scorelab
