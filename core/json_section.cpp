#include "core/json_section.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scorelab {

using nlohmann::json;

// The key path is the user's text (a typo'd key may be 1 MB long): clipped to one readable line.
void fail_at(const std::string& key_path, const std::string& problem) {
  throw InputError(clip_for_message(key_path, 120) + ": " + problem);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& s : names) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

void expect_json_type(bool ok, const json& v, const std::string& at, const char* what) {
  if (!ok) fail_at(at, std::string("expected ") + what + ", got " + v.type_name());
}

double json_number(const json& v, const std::string& at) {
  expect_json_type(v.is_number(), v, at, "a number");
  const double x = v.get<double>();
  if (!std::isfinite(x)) fail_at(at, "must be a finite number (got " + format_number(x) + ")");
  return x;
}

namespace {

// The value of an integral JSON number (integral floats such as 100.0 included), as a long double:
// it holds every int64 and uint64 exactly, and 1e20 too, for the range checks of the callers.
long double integral_value(const json& v, const std::string& at) {
  expect_json_type(v.is_number(), v, at, "an integer");
  const long double x = v.is_number_unsigned()  ? static_cast<long double>(v.get<uint64_t>())
                        : v.is_number_integer() ? static_cast<long double>(v.get<int64_t>())
                                                : static_cast<long double>(v.get<double>());
  if (!(std::isfinite(x) && x == std::floor(x))) fail_at(at, "expected an integer, got " + format_number(double(x)));
  return x;
}

// An integral value as a message shows it: every digit while there are few ("4294967296", where the
// stream form would round it to "4.29497e+09", inside the range it is refused for), else "1e+20".
std::string format_integral(long double x) {
  return std::abs(x) < 1e15L ? std::to_string(static_cast<long long>(x)) : format_number(double(x));
}

}  // namespace

long long json_integer(const json& v, const std::string& at, long long lo, long long hi) {
  const long double x = integral_value(v, at);
  if (x < lo || x > hi)
    fail_at(at, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " +
                    format_integral(x) + ")");
  return static_cast<long long>(x);
}

int json_int(const json& v, const std::string& at) {
  const long double x = integral_value(v, at);
  if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
    fail_at(at, "is out of range for an integer (got " + format_integral(x) + ")");
  return static_cast<int>(x);
}

std::string json_string(const json& v, const std::string& at) {
  expect_json_type(v.is_string(), v, at, "a string");
  return v.get<std::string>();
}

bool json_bool(const json& v, const std::string& at) {
  expect_json_type(v.is_boolean(), v, at, "true or false");
  return v.get<bool>();
}

JsonSection::JsonSection(const json& j, std::string path, std::vector<std::string> keys, const std::string& context)
    : j_(j), path_(std::move(path)) {
  expect_json_type(j.is_object(), j, path_, "an object");
  for (const auto& item : j.items())
    if (std::find(keys.begin(), keys.end(), item.key()) == keys.end())
      fail_at(at(item.key()), "unknown key" + context + " (expected one of: " + join_names(keys) + ")");
}

const json* JsonSection::find(std::string_view key) const {
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

const json& JsonSection::required(std::string_view key, const std::string& expected) const {
  const json* v = find(key);
  if (!v) fail_at(at(key), "missing (expected " + expected + ")");
  return *v;
}

double JsonSection::number(std::string_view key, double fallback) const {
  const json* v = find(key);
  return v ? json_number(*v, at(key)) : fallback;
}

std::optional<double> JsonSection::optional_number(std::string_view key) const {
  const json* v = find(key);
  return v ? std::optional<double>(json_number(*v, at(key))) : std::nullopt;
}

int JsonSection::integer(std::string_view key, int fallback) const {
  const json* v = find(key);
  return v ? json_int(*v, at(key)) : fallback;
}

uint32_t JsonSection::seed(std::string_view key, uint32_t fallback) const {
  const json* v = find(key);
  return v ? static_cast<uint32_t>(json_integer(*v, at(key), 0, std::numeric_limits<uint32_t>::max())) : fallback;
}

bool JsonSection::boolean(std::string_view key, bool fallback) const {
  const json* v = find(key);
  return v ? json_bool(*v, at(key)) : fallback;
}

std::string JsonSection::string(std::string_view key, const std::string& fallback) const {
  const json* v = find(key);
  return v ? json_string(*v, at(key)) : fallback;
}

}  // namespace scorelab
