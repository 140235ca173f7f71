// libFuzzer target: the scene loader (core/scene.hpp load_scene), as `scorelab --scene FILE` runs it.
// A hostile file must end in InputError (one line for the user); any other exception, a crash, a
// sanitizer report, a timeout or running out of memory is a finding (scripts/fuzz). The scene sits
// beside a link to the repository's points/ folder, so a seed's drawn point set loads too.
#include <filesystem>

#include "core/scene.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

namespace {

scorelab::fuzz::InputFile& scene_file() {
  static scorelab::fuzz::InputFile file("scene.json");
  static const bool linked = [] {
    std::filesystem::create_directory_symlink(SCORELAB_SCENE_DIR "/points", file.folder() / "points");
    return true;
  }();
  (void)linked;
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)scorelab::load_scene(scene_file().write(data, size));
  } catch (const scorelab::InputError&) {
  }
  return 0;
}
