// libFuzzer target: the lecture deck loader (app/session/deck.hpp load_deck), as `scorelab --deck
// FILE` runs it. A hostile file must end in InputError; anything else is a finding (scripts/fuzz).
// The deck sits in decks/ beside a link to the repository's scenes, so "../scenes/x.json" (the seeds'
// slides) resolves and the fuzzer reaches the beats and patches behind the slide's scene.
#include <filesystem>

#include "app/session/deck.hpp"
#include "core/types.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

namespace {

scorelab::fuzz::InputFile& deck_file() {
  static scorelab::fuzz::InputFile file("deck.json", "decks");
  static const bool linked = [] {
    std::filesystem::create_directory_symlink(SCORELAB_SCENE_DIR, file.folder() / "scenes");
    return true;
  }();
  (void)linked;
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)scorelab::load_deck(deck_file().write(data, size));
  } catch (const scorelab::InputError&) {
  }
  return 0;
}
