// libFuzzer target: the CSV points loader (core/csv.hpp read_points_csv), as `scorelab nll --points
// FILE` and a scene's drawn points run it. A hostile file must end in InputError; anything else is a
// finding (scripts/fuzz).
#include "core/csv.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static scorelab::fuzz::InputFile file("points.csv");
  try {
    (void)scorelab::read_points_csv(file.write(data, size));
  } catch (const scorelab::InputError&) {
  }
  return 0;
}
