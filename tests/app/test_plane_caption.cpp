// The plane's title follows its data (issue 18 item 4): drawn points are not "Eight Gaussians".
#include <doctest/doctest.h>

#include "app/export/plane_caption.hpp"

using namespace scorelab;

namespace {

LoadedScene eight_gaussians() {
  LoadedScene s;
  s.scene.title = "Eight Gaussians";
  s.scene.data.kind = DataKind::toy;
  s.scene.data.toy = "8gaussians";
  s.preset_data = s.scene.data;
  return s;
}

Points some_points(int n) {
  Points x(2, n);
  for (int j = 0; j < n; ++j) x.col(j) = Vec2(0.1 * j, -0.2 * j);
  return x;
}

}  // namespace

TEST_CASE("the plane's title is the scene's while the data is the scene's own") {
  LoadedScene s = eight_gaussians();
  CHECK(plane_title(s) == "Eight Gaussians");
  s.scene.title.clear();
  s.path = "/scenes/moons_ddpm.json";
  CHECK(plane_title(s) == "moons_ddpm");  // no title: the file's name
}

TEST_CASE("drawn points, another point file, or edited data replace the preset's title") {
  LoadedScene s = eight_gaussians();
  s.scene.data.kind = DataKind::points;
  s.scene.data.file = "drawn_points.csv";  // what the Data panel names drawn points
  s.scene.data.points = some_points(42);
  CHECK(plane_title(s) == "Drawn points (N = 42)");
  s.scene.data.file = "/data/moons.csv";
  s.scene.data.points = some_points(3);
  CHECK(plane_title(s) == "moons.csv (N = 3)");
  LoadedScene edited = eight_gaussians();
  edited.scene.data.count = 500;  // another training set size of the same toy set
  CHECK(plane_title(edited) == "Eight Gaussians · data edited");
}

TEST_CASE("a scene loaded with drawn points keeps its saved title") {
  LoadedScene s = eight_gaussians();
  s.scene.title = "My drawing";
  s.scene.data.kind = DataKind::points;
  s.scene.data.file = "drawn_points.csv";
  s.scene.data.points = some_points(5);
  s.preset_data = s.scene.data;  // as loaded
  CHECK(plane_title(s) == "My drawing");
}
