// libFuzzer target: the model loader (core/nn/model_io.hpp load_model), as `scorelab sample --model
// FILE` runs it. A hostile file must end in InputError; anything else is a finding (scripts/fuzz).
#include "core/nn/model_io.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static scorelab::fuzz::InputFile file("model.json");
  try {
    (void)scorelab::load_model(file.write(data, size));
  } catch (const scorelab::InputError&) {
  }
  return 0;
}
