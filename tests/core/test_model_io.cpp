// Model files (save/load round trip, atomic writes, every kind of corrupt file refused with one
// line) and the std140 packing the GLSL side reads (offsets as documented in packing.hpp).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/nn/model_io.hpp"
#include "core/nn/packing.hpp"
#include "core/nn/score_network.hpp"
#include "core/rng.hpp"

using namespace scorelab;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Mlp<float> sample_net(ModelConfig config = {}) {
  Mlp<float> net(config);
  net.init(17);
  net.set_data_rms(3.25);
  RngStream rng(3, 3);
  for (int l = 0; l < net.layers(); ++l)
    for (Eigen::Index i = 0; i < net.bias(l).size(); ++i) net.bias(l)[i] = float(0.1 * rng.normal());
  return net;
}

fs::path temp_dir() {
  fs::path dir = fs::temp_directory_path() / ("scorelab_test_model_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// The message of the InputError that loading `text` raises ("" if none).
std::string load_error(const fs::path& p, const std::string& text) {
  write(p, text);
  try {
    load_model(p);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("save/load round-trips architecture, weights (bit for bit), step and scene") {
  const fs::path dir = temp_dir();
  ModelConfig config;
  config.hidden = {16, 8};
  config.activation = Activation::tanh;
  config.fourier = 3;
  const Mlp<float> net = sample_net(config);
  const json scene = {{"version", 1}, {"noise", {{"kind", "vp"}}}};
  save_model(dir / "m.json", net, 1234, scene);
  for (const auto& entry : fs::directory_iterator(dir))  // atomic write: no temporary left behind
    CHECK(entry.path().filename() == "m.json");
  const SavedModel back = load_model(dir / "m.json");
  CHECK(back.step == 1234);
  CHECK(back.scene == scene);
  CHECK(back.net.config().hidden == config.hidden);
  CHECK(back.net.config().activation == Activation::tanh);
  CHECK(back.net.config().fourier == 3);
  CHECK(back.net.params() == net.params());
  CHECK(back.net.fourier_freqs() == net.fourier_freqs());
  CHECK(back.net.data_rms() == net.data_rms());
  fs::remove_all(dir);
}

TEST_CASE("corrupt or mismatched model files are refused with one line naming the problem") {
  const fs::path dir = temp_dir();
  const fs::path p = dir / "bad.json";
  ModelConfig config;
  config.hidden = {4};
  const json good = model_to_json(sample_net(config), 10);
  const std::string label = p.string() + ": ";

  auto with = [&](auto edit) {
    json j = good;
    edit(j);
    return load_error(p, j.dump());
  };
  CHECK(load_error(p, good.dump()) == "");
  CHECK(load_error(p, good.dump().substr(0, good.dump().size() / 2)).rfind(label + "not valid JSON (syntax error near byte", 0) == 0);
  CHECK(load_error(p, "") == label + "not valid JSON (empty file)");
  CHECK(with([](json& j) { j["format"] = "scorelab-scene"; }) ==
        label + "not a ScoreLab model (format is \"scorelab-scene\", expected \"scorelab-model\")");
  CHECK(with([](json& j) { j["version"] = 2; }) == label + "unsupported model version 2 (this build reads version 1)");
  CHECK(with([](json& j) { j.erase("weights"); }) == label + "missing key 'weights'");
  CHECK(with([](json& j) { j["model"]["hidden"] = json::array({4, 4}); }) ==
        label + "weights: expected 3 layers for the model's architecture, got 2");
  CHECK(with([](json& j) { j["weights"][0]["w"].erase(0); }) ==
        label + "weights[0].w: expected 4 rows of 3 numbers, got 3 rows");
  CHECK(with([](json& j) { j["weights"][1]["w"][0].erase(0); }) ==
        label + "weights[1].w[0]: expected 4 numbers, got 3 entries");
  CHECK(with([](json& j) { j["weights"][1]["b"][1] = nullptr; }) ==
        label + "weights[1].b[1]: expected a number, got null");  // how JSON writers spell NaN
  CHECK(with([](json& j) { j["weights"][0]["b"][0] = 1e300; }) ==
        label + "weights[0].b[0]: must be a finite float (got 1e+300)");
  CHECK(with([](json& j) { j["model"]["activation"] = "relu"; }) ==
        label + "model.activation: unknown activation 'relu' (expected silu, softplus or tanh)");
  CHECK(with([](json& j) { j["step"] = -1; }) == label + "step: expected an integer >= 0, got -1");
  // NaN written as a bare token is not JSON at all.
  std::string text = good.dump();
  text.replace(text.find("\"step\":10"), 9, "\"step\":NaN");
  CHECK(load_error(p, text).rfind(label + "not valid JSON", 0) == 0);
  // Every message is one line.
  CHECK(with([](json& j) { j["weights"][0]["w"][2][1] = "x"; }).find('\n') == std::string::npos);
  CHECK_THROWS_WITH_AS(load_model(dir / "missing.json"), ("cannot read " + (dir / "missing.json").string() +
                                                          ": No such file or directory").c_str(), InputError);
  fs::remove_all(dir);
}

TEST_CASE("hostile model files are refused fast: deep nesting, binary bytes (issue 17)") {
  const fs::path dir = temp_dir();
  const fs::path p = dir / "deep.json";
  const auto start = std::chrono::steady_clock::now();
  const std::string err = load_error(p, std::string(100000, '[') + std::string(100000, ']'));
  CHECK(err == p.string() + ": nesting deeper than 64 levels (the limit)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  CHECK_THROWS_WITH_AS(load_model("/dev/zero"), "cannot read /dev/zero: not a text file (a NUL byte at offset 0)", InputError);
  fs::remove_all(dir);
}

TEST_CASE("a number too large for a double is refused with one clipped line (found by tests/fuzz/fuzz_model)") {
  const fs::path dir = temp_dir();
  const fs::path p = dir / "overflow.json";
  // The fuzzer's input, byte for byte: 591 eights (a number ~1e590) and two stray bytes. It ended in
  // an uncaught nlohmann out_of_range ("scorelab sample: internal error: ..." echoing all 591 digits).
  std::string found = " ";
  found.append(591, '8').append("&\xed").append(23, '8').append("&\xed");
  REQUIRE(found.size() == 619);
  const std::string err = load_error(p, found);
  CHECK(err.rfind(p.string() + ": invalid JSON: number overflow parsing '8888", 0) == 0);
  CHECK(err.size() < p.string().size() + 160);  // the literal is clipped, not echoed whole
  CHECK(err.find('\n') == std::string::npos);
  // The same inside a model's structure, where a real file would carry it.
  const std::string nested = load_error(p, "{\"format\": \"scorelab-model\", \"step\": 1e400}");
  CHECK(nested.rfind(p.string() + ": invalid JSON: number overflow parsing '1e400'", 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("saving refuses non-finite weights and unwritable paths, leaving nothing behind") {
  const fs::path dir = temp_dir();
  Mlp<float> net = sample_net();
  net.params()[5] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH_AS(save_model(dir / "m.json", net, 0), "cannot save a model whose weights are not finite",
                       InputError);
  CHECK_THROWS_AS(save_model(dir / "no_such_dir" / "m.json", sample_net(), 0), InputError);
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST_CASE("std140 layout of the reference network, offsets by hand") {
  const Mlp<float> net = sample_net();
  const Std140Layout lay = std140_layout(net);
  // header 8 floats; dims d_0..d_4 = (3, 128, 128, 128, 2) padded to 8 → freqs at 16 (F = 0, empty);
  // biases: 16 (+128), 144 (+128), 272 (+128), 400 (+pad4(2) = 4) → 404; weights aligned to 64:
  // W0 at 448, rows of pad4(3) = 4 → 448 + 512 = 960; W1 at 960 (15·64) → 960 + 16384 = 17344;
  // W2 at 17344 (271·64) → 33728; W3 at 33728 (527·64), rows of 128 → 33984 = 531·64 = total.
  CHECK(lay.dims == 8);
  CHECK(lay.freqs == 16);
  CHECK(lay.biases == std::vector<int>{16, 144, 272, 400});
  CHECK(lay.weights == std::vector<int>{448, 960, 17344, 33728});
  CHECK(lay.row_stride == std::vector<int>{4, 128, 128, 128});
  CHECK(lay.total == 33984);
  // One 128 × 128 weight block is exactly 64 KiB: bindable alone as a uniform block.
  CHECK((lay.weights[2] - lay.weights[1]) * 4 == 65536);

  const std::vector<float> packed = pack_weights_std140(net);
  REQUIRE(int(packed.size()) == lay.total);
  CHECK(packed[0] == 4.0f);  // L
  CHECK(packed[1] == 0.0f);  // F
  CHECK(packed[2] == 0.0f);  // silu
  CHECK(packed[3] == 0.0f);  // not energy
  CHECK(packed[4] == 3.25f);  // data_rms
  CHECK(packed[5] == float(kMinNoiseScale));
  CHECK(packed[8] == 3.0f);
  CHECK(packed[12] == 2.0f);
  CHECK(packed[lay.biases[1] + 5] == net.bias(1)[5]);
  CHECK(packed[lay.biases[3] + 1] == net.bias(3)[1]);
  CHECK(packed[lay.biases[3] + 2] == 0.0f);  // padding
  CHECK(packed[lay.weights[0] + 7 * 4 + 2] == net.weight(0)(7, 2));
  CHECK(packed[lay.weights[0] + 7 * 4 + 3] == 0.0f);  // the 4th lane of a 3-input row
  CHECK(packed[lay.weights[2] + 100 * 128 + 31] == net.weight(2)(100, 31));
  CHECK(packed[lay.weights[3] + 1 * 128 + 127] == net.weight(3)(1, 127));
}

TEST_CASE("packing round-trips, with Fourier features and an energy head; mismatches are refused") {
  ModelConfig config;
  config.hidden = {5, 7};
  config.fourier = 3;
  config.energy = true;
  config.activation = Activation::softplus;
  const Mlp<float> net = sample_net(config);
  const std::vector<float> packed = pack_weights_std140(net);
  const Std140Layout lay = std140_layout(net);
  CHECK(lay.total % 64 == 0);
  CHECK(packed[1] == 3.0f);
  CHECK(packed[2] == 1.0f);
  CHECK(packed[3] == 1.0f);
  CHECK(packed[lay.freqs + 2] == net.fourier_freqs()[2]);
  const Mlp<float> back = unpack_weights_std140(packed, config);
  CHECK(back.params() == net.params());
  CHECK(back.fourier_freqs() == net.fourier_freqs());
  CHECK(back.data_rms() == 3.25);
  ModelConfig other = config;
  other.hidden = {5, 8};
  CHECK_THROWS_AS(unpack_weights_std140(packed, other), InputError);
}

TEST_CASE("a model is used only under the noise schedule it was trained with") {
  const json vp = {{"kind", "vp"}, {"beta_min", 0.1}, {"beta_max", 20}};
  const json ve = {{"kind", "ve"}, {"sigma_min", 0.01}, {"sigma_max", 50}};
  const SavedModel trained_vp{sample_net(), 10, {{"version", 1}, {"noise", vp}}};
  CHECK_NOTHROW(check_trained_noise(trained_vp, vp, "m.json"));
  json vp_longer = vp;
  vp_longer["beta_max"] = 25;
  CHECK_THROWS_WITH_AS(check_trained_noise(trained_vp, vp_longer, "m.json"),
                       "m.json was trained with noise {beta_max: 20} but the scene uses {beta_max: 25}", InputError);
  try {
    check_trained_noise(trained_vp, ve, "m.json");
    FAIL("a model trained under VP was accepted for a VE scene");
  } catch (const InputError& e) {
    const std::string what = e.what();
    // Only the keys that differ, each side's value named.
    CHECK(what == "m.json was trained with noise {kind: vp, beta_max: 20, beta_min: 0.1, sigma_max: (none), "
                  "sigma_min: (none)} but the scene uses {kind: ve, beta_max: (none), beta_min: (none), "
                  "sigma_max: 50, sigma_min: 0.01}");
  }
  // Without a recorded scene there is nothing to compare against.
  CHECK_NOTHROW(check_trained_noise(SavedModel{sample_net(), 0, nullptr}, ve, "m.json"));
}
