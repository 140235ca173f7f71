// Export options: the output kind from the path, sizes, validation, the files beside an export,
// and the frame plan that spreads a run over the frames (then holds the last picture).
#include <doctest/doctest.h>

#include "app/export/export_options.hpp"
#include "core/types.hpp"

using namespace scorelab;

TEST_CASE("the output path chooses the format; other extensions are refused naming them") {
  CHECK(export_format_of("anim.mp4") == ExportFormat::mp4);
  CHECK(export_format_of("out/Anim.MP4") == ExportFormat::mp4);
  CHECK(export_format_of("anim.gif") == ExportFormat::gif);
  CHECK(export_format_of("frames/") == ExportFormat::png_frames);
  CHECK(export_format_of("frames") == ExportFormat::png_frames);
  CHECK_THROWS_WITH_AS(export_format_of("anim.avi"), doctest::Contains("'.avi'"), InputError);
  CHECK_THROWS_AS(export_format_of(""), InputError);
}

TEST_CASE("sizes parse as WIDTHxHEIGHT and nothing else") {
  int w = 0, h = 0;
  parse_size("1280x720", w, h);
  CHECK((w == 1280 && h == 720));
  for (const char* bad : {"1280", "1280x", "x720", "12a0x720", "1280x720x3", "-5x10", ""})
    CHECK_THROWS_WITH_AS(parse_size(bad, w, h), doctest::Contains("--size"), InputError);
}

TEST_CASE("validation: MP4 needs even sides, GIF does not; fps and frame counts have ranges") {
  ExportOptions o;
  o.width = 321;
  o.height = 240;
  o.format = ExportFormat::mp4;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("even"), InputError);
  o.format = ExportFormat::gif;
  CHECK_NOTHROW(validate(o));
  o.fps = 0;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--fps"), InputError);
  o.fps = 30;
  o.frames = 0;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--frames"), InputError);
  o.frames = 10;
  o.width = kMinExportSide - 1;
  CHECK_THROWS_WITH_AS(validate(o), doctest::Contains("--size"), InputError);
}

TEST_CASE("the scene and trajectories go beside a video, inside a folder of frames") {
  ExportOptions o;
  o.out = "out/anim.mp4";
  o.format = ExportFormat::mp4;
  // Named after the whole file name: anim.mp4 and anim.gif keep a scene each.
  CHECK(scene_file_beside(o) == "out/anim.mp4.scene.json");
  CHECK(trajectories_file_beside(o) == "out/anim.mp4.trajectories.csv");
  o.out = "out/anim.gif";
  o.format = ExportFormat::gif;
  CHECK(scene_file_beside(o) == "out/anim.gif.scene.json");
  o.out = "out/frames";
  o.format = ExportFormat::png_frames;
  CHECK(scene_file_beside(o) == "out/frames/scene.json");
  CHECK(trajectories_file_beside(o) == "out/frames/trajectories.csv");
}

TEST_CASE("trajectories: on for PNG frames, off for videos, unless asked") {
  ExportOptions o;
  for (ExportFormat f : {ExportFormat::mp4, ExportFormat::gif}) {
    o.format = f;
    o.trajectories.reset();
    CHECK_FALSE(writes_trajectories(o));
    o.trajectories = true;
    CHECK(writes_trajectories(o));
  }
  o.format = ExportFormat::png_frames;
  o.trajectories.reset();
  CHECK(writes_trajectories(o));
  o.trajectories = false;
  CHECK_FALSE(writes_trajectories(o));
}

TEST_CASE("the frame plan: every frame counted, a tenth held, the run spread from step 0 to the end") {
  for (int frames : {1, 2, 9, 10, 30, 120, 1001}) {
    const FramePlan plan = plan_frames(frames);
    CAPTURE(frames);
    CHECK(plan.total() == frames);
    CHECK(plan.hold == (frames >= 10 ? frames / 10 : 0));
    for (int steps : {1, 7, 500, 1000}) {
      CAPTURE(steps);
      CHECK(frame_step(plan, plan.motion - 1, steps) == steps);
      if (plan.motion > 1) CHECK(frame_step(plan, 0, steps) == 0);
      int previous = 0;
      for (int i = 0; i < plan.total(); ++i) {
        const int k = frame_step(plan, i, steps);
        CHECK(k >= previous);
        CHECK(k <= steps);
        // Evenly spread: within half a step of the exact fraction of the run.
        CHECK(std::abs(k - frame_fraction(plan, i) * steps) <= 0.5);
        previous = k;
      }
      for (int i = plan.motion; i < plan.total(); ++i) CHECK(frame_step(plan, i, steps) == steps);
    }
  }
  // 11 motion frames over 500 steps: every 50th step.
  const FramePlan twelve = plan_frames(12);
  REQUIRE(twelve.motion == 11);
  for (int i = 0; i < 11; ++i) CHECK(frame_step(twelve, i, 500) == 50 * i);
}

TEST_CASE("the export size estimate: ~11 MB for a 4 s 720p GIF, MP4 smaller, growing with frames and size") {
  ExportOptions o;
  o.width = 1280;
  o.height = 720;
  o.fps = 30;
  o.frames = 120;
  o.format = ExportFormat::gif;
  const double gif = estimated_export_megabytes(o);
  CHECK(gif == doctest::Approx(11.0).epsilon(0.2));  // the measured 4 s GIF
  o.format = ExportFormat::mp4;
  const double mp4 = estimated_export_megabytes(o);
  CHECK(mp4 < gif / 2);
  o.frames = 240;
  CHECK(estimated_export_megabytes(o) == doctest::Approx(2 * mp4));
  o.width = 640;
  o.height = 360;
  CHECK(estimated_export_megabytes(o) == doctest::Approx(mp4));  // half the side, twice the frames
}
