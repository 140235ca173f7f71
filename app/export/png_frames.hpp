// A folder of PNG frames (frame_00000.png, frame_00001.png, …) written with stb. Everything goes to
// a staging folder beside the target (<dir>.tmp-<pid>), which commit() renames into place, so a
// failed or cancelled export leaves nothing under the target name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace scorelab {

// "frame_00042.png"
std::string png_frame_name(int index);

class PngFrameFolder {
 public:
  // Throws InputError when the parent folder is missing or unwritable, or when `dir` exists and
  // holds anything but an earlier export's files (frames, scene.json, trajectories.csv).
  explicit PngFrameFolder(std::filesystem::path dir);
  ~PngFrameFolder();  // abort() unless committed
  PngFrameFolder(const PngFrameFolder&) = delete;
  PngFrameFolder& operator=(const PngFrameFolder&) = delete;

  // rgba: width*height*4 bytes, top row first. Throws InputError on a write error.
  void write_frame(const std::vector<uint8_t>& rgba, int width, int height);
  // Where files that belong inside the folder (scene.json, trajectories.csv) are written before commit().
  const std::filesystem::path& staging() const { return staging_; }
  // Replaces `dir` (an earlier export in it included) with the staging folder.
  void commit();
  void abort();  // removes the staging folder

  const std::filesystem::path& dir() const { return dir_; }
  int count() const { return count_; }

 private:
  std::filesystem::path dir_, staging_;
  int count_ = 0;
  bool open_ = true;
};

}  // namespace scorelab
