// Export throughput for `scorelab bench` (a figure, not a test): frames per second of a 1280×720
// MP4 of the default scene, everything included (sampler steps, layers, overlay, readback, x264).
#pragma once

#include <string>

namespace scorelab {

struct ExportBenchResult {
  bool available = false;  // false: no GL context or no ffmpeg (why says which)
  std::string why;
  double frames_per_second = 0.0;
  int frames = 0;
};

// Makes its own headless context; call it when no other GL context is current on this thread.
// Writes into a temporary folder that it removes.
ExportBenchResult measure_export_throughput(int frames = 60);

}  // namespace scorelab
