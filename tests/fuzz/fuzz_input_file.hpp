// The fuzz targets feed the loaders through a real file, as a user's hostile file would come: the
// size and line limits, the text checks and the parsers all run as in `scorelab --scene X`. One
// file per process in a folder of its own (on tmpfs when there is one: /dev/shm), rewritten for each
// input and removed at exit.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace scorelab::fuzz {

class InputFile {
 public:
  // The file is <folder>/<subfolder>/<name>; a subfolder leaves room beside it (the deck's scenes).
  explicit InputFile(const char* name, const char* subfolder = "") {
    const char* shm = "/dev/shm";
    std::string dir = (access(shm, W_OK) == 0 ? std::string(shm) : std::filesystem::temp_directory_path().string()) +
                      "/scorelab-fuzz-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) std::abort();
    folder_ = dir;
    path_ = folder_ / subfolder / name;
    std::filesystem::create_directories(path_.parent_path());
  }
  const std::filesystem::path& folder() const { return folder_; }
  ~InputFile() {
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Writes the input to the file and returns its path.
  const std::filesystem::path& write(const uint8_t* data, size_t size) {
    FILE* f = std::fopen(path_.c_str(), "wb");
    if (f == nullptr) std::abort();
    if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path_;
  }

 private:
  std::filesystem::path folder_, path_;
};

}  // namespace scorelab::fuzz
