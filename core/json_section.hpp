// The one typed reader of JSON configuration sections: the scene's own sections (core/scene.cpp),
// "train" (core/training/train_config.cpp) and "model" (core/nn/model_config.cpp) all read through it,
// so a value of the wrong type, a typo in a key or a NaN gives the same one-line message everywhere:
//   "<key path>: <problem>", e.g. "scene.sampler.stepz: unknown key (expected one of: kind, eps, …)",
//   "scene.train.lr: expected a number, got string", "scene.model.hidden[1]: expected an integer, got string".
// Ranges that mean something are not checked here but by each config's validate(), so that the GUI
// (which fills the structs directly) and files get the same message.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace scorelab {

// Throws InputError "<key_path>: <problem>".
[[noreturn]] void fail_at(const std::string& key_path, const std::string& problem);
// "a, b, c": how messages list the allowed names.
std::string join_names(const std::vector<std::string>& names);

// ---- typed reads of one JSON value; `at` is its key path, used in every message ----------------

// Throws "<at>: expected <what>, got <JSON type>" unless ok.
void expect_json_type(bool ok, const nlohmann::json& v, const std::string& at, const char* what);
// A finite number: JSON text cannot hold NaN/Inf, but 1e400 parses to Inf and a json built in code
// (the GUI, tests) can hold NaN.
double json_number(const nlohmann::json& v, const std::string& at);
// An integer in [lo, hi]: integral floats (100.0) are accepted, 1.5 is not.
// Out of range: "<at>: must be an integer in [lo, hi] (got x)".
long long json_integer(const nlohmann::json& v, const std::string& at, long long lo, long long hi);
// Any int; out of int's range: "<at>: is out of range for an integer (got x)". The range that means
// something is the config's validate()'s to check.
int json_int(const nlohmann::json& v, const std::string& at);
std::string json_string(const nlohmann::json& v, const std::string& at);
bool json_bool(const nlohmann::json& v, const std::string& at);

// A JSON object whose keys must come from a fixed list (a typo must not silently fall back to a
// default). Reads take the key and a fallback for when it is absent. The section refers to j: j must
// outlive it.
class JsonSection {
 public:
  // path: the object's key path ("scene.noise"). keys: the allowed keys, listed in this order in the
  // unknown-key message. context: added after "unknown key" (" for kind 'mixture'").
  JsonSection(const nlohmann::json& j, std::string path, std::vector<std::string> keys,
              const std::string& context = "");

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return path_ + "." + std::string(key); }
  const nlohmann::json* find(std::string_view key) const;
  // Throws "<path>.<key>: missing (expected <expected>)" when absent.
  const nlohmann::json& required(std::string_view key, const std::string& expected) const;

  double number(std::string_view key, double fallback) const;
  std::optional<double> optional_number(std::string_view key) const;  // absent: nullopt
  int integer(std::string_view key, int fallback) const;               // see json_int
  uint32_t seed(std::string_view key, uint32_t fallback) const;        // [0, 2³² − 1]
  bool boolean(std::string_view key, bool fallback) const;
  std::string string(std::string_view key, const std::string& fallback) const;

  // A name turned into a value by parse (parse_noise_kind, parse_objective, …), whose InputError
  // ("unknown objective 'sm' (expected …)") gets the key path in front.
  template <typename T, typename Parse>
  T named(std::string_view key, T fallback, Parse&& parse) const {
    const nlohmann::json* v = find(key);
    if (!v) return fallback;
    const std::string name = json_string(*v, at(key));
    try {
      return parse(name);
    } catch (const InputError& e) {
      fail_at(at(key), e.what());
    }
  }

 private:
  const nlohmann::json& j_;
  std::string path_;
};

}  // namespace scorelab
