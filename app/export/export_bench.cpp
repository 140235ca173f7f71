#include "app/export/export_bench.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "app/export/exporter.hpp"
#include "app/gl/headless_context.hpp"

namespace scorelab {

ExportBenchResult measure_export_throughput(int frames) {
  ExportBenchResult result;
  std::unique_ptr<gl::HeadlessContext> context = gl::HeadlessContext::try_create(&result.why);
  if (!context) return result;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("scorelab-export-bench-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  try {
    ExportInput input;
    const std::filesystem::path scene = default_scene_path();
    input.scene = std::filesystem::is_regular_file(scene, ec) ? load_scene_for_view(scene) : builtin_scene();
    input.options.out = dir / "bench.mp4";
    input.options.frames = frames;
    const auto start = std::chrono::steady_clock::now();
    {
      ExportJob job(std::move(input));
      while (job.advance()) {
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.available = true;
    result.frames = frames;
    result.frames_per_second = frames / seconds;
  } catch (const std::exception& e) {
    result.why = e.what();
  }
  std::filesystem::remove_all(dir, ec);
  return result;
}

}  // namespace scorelab
