// The typed JSON section reader every config section goes through: key paths in every message,
// unknown keys refused naming the allowed ones, NaN/Inf and wrong types refused.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/json_section.hpp"

using namespace scorelab;
using nlohmann::json;

namespace {
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("json_section: absent keys give the fallback, present ones their value") {
  const json j = {{"x", 2.5}, {"n", 7}, {"f", 100.0}, {"b", true}, {"s", "hi"}, {"seed", 4294967295u}};
  const JsonSection s(j, "scene.a", {"x", "n", "f", "b", "s", "seed", "absent"});
  CHECK(s.number("x", 0) == 2.5);
  CHECK(s.number("absent", -1) == -1);
  CHECK(s.integer("n", 0) == 7);
  CHECK(s.integer("f", 0) == 100);  // an integral float is an integer
  CHECK(s.integer("absent", 3) == 3);
  CHECK(s.boolean("b", false));
  CHECK(s.string("s", "") == "hi");
  CHECK(s.seed("seed", 0) == 4294967295u);
  CHECK(s.optional_number("x") == 2.5);
  CHECK(!s.optional_number("absent"));
  CHECK(s.find("absent") == nullptr);
  CHECK(s.at("x") == "scene.a.x");
  CHECK(s.path() == "scene.a");
  CHECK(&s.required("x", "a number") == &j["x"]);
}

TEST_CASE("json_section: unknown keys are refused, naming the allowed ones in their order") {
  const json j = {{"stepz", 5}};
  CHECK(error_of([&] { JsonSection(j, "scene.sampler", {"kind", "steps"}); }) ==
        "scene.sampler.stepz: unknown key (expected one of: kind, steps)");
  CHECK(error_of([&] { JsonSection(j, "scene.data", {"kind"}, " for kind 'toy'"); }) ==
        "scene.data.stepz: unknown key for kind 'toy' (expected one of: kind)");
  CHECK(error_of([&] { JsonSection(json::array(), "scene.noise", {"kind"}); }) ==
        "scene.noise: expected an object, got array");
  CHECK(error_of([&] { JsonSection(json(), "scene.train", {}); }) == "scene.train: expected an object, got null");
}

TEST_CASE("json_section: wrong types name the key path and the type found") {
  const json j = {{"x", "1"}, {"n", 1.5}, {"b", 1}, {"s", 3}, {"m", nullptr}};
  const JsonSection s(j, "p", {"x", "n", "b", "s", "m"});
  CHECK(error_of([&] { s.number("x", 0); }) == "p.x: expected a number, got string");
  CHECK(error_of([&] { s.integer("x", 0); }) == "p.x: expected an integer, got string");
  CHECK(error_of([&] { s.integer("n", 0); }) == "p.n: expected an integer, got 1.5");
  CHECK(error_of([&] { s.seed("n", 0); }) == "p.n: expected an integer, got 1.5");
  CHECK(error_of([&] { s.boolean("b", false); }) == "p.b: expected true or false, got number");
  CHECK(error_of([&] { s.string("s", ""); }) == "p.s: expected a string, got number");
  CHECK(error_of([&] { s.optional_number("m"); }) == "p.m: expected a number, got null");
  CHECK(error_of([&] { s.required("absent", "a list"); }) == "p.absent: missing (expected a list)");
}

TEST_CASE("json_section: NaN and Inf are refused, and integers outside their type's range") {
  const double inf = std::numeric_limits<double>::infinity();
  const json j = {{"nan", std::nan("")}, {"inf", inf}, {"big", 1e20}, {"neg", -1}, {"over", 4294967296ll},
                  {"int_over", 3000000000ll}};
  const JsonSection s(j, "p", {"nan", "inf", "big", "neg", "over", "int_over"});
  CHECK(error_of([&] { s.number("nan", 0); }) == "p.nan: must be a finite number (got nan)");
  CHECK(error_of([&] { s.number("inf", 0); }) == "p.inf: must be a finite number (got inf)");
  CHECK(error_of([&] { s.integer("inf", 0); }) == "p.inf: expected an integer, got inf");
  CHECK(error_of([&] { s.integer("big", 0); }) == "p.big: is out of range for an integer (got 1e+20)");
  CHECK(error_of([&] { s.integer("int_over", 0); }) == "p.int_over: is out of range for an integer (got 3000000000)");
  CHECK(error_of([&] { s.seed("neg", 0); }) == "p.neg: must be an integer in [0, 4294967295] (got -1)");
  // All digits: the stream form "4.29497e+09" would look inside the range it is refused for.
  CHECK(error_of([&] { s.seed("over", 0); }) == "p.over: must be an integer in [0, 4294967295] (got 4294967296)");
}

TEST_CASE("json_section: single values read with their own key path") {
  CHECK(json_number(json(0.25), "p[0]") == 0.25);
  CHECK(json_integer(json(5), "p", 1, 10) == 5);
  CHECK(error_of([] { json_integer(json(11), "p.n", 1, 10); }) == "p.n: must be an integer in [1, 10] (got 11)");
  CHECK(json_int(json(-7), "p") == -7);
  CHECK(error_of([] { json_int(json("x"), "p.hidden[1]"); }) == "p.hidden[1]: expected an integer, got string");
  CHECK(json_string(json("a"), "p") == "a");
  CHECK(json_bool(json(false), "p") == false);
  CHECK(error_of([] { fail_at("a.b", "why"); }) == "a.b: why");
  CHECK(join_names({"x", "y", "z"}) == "x, y, z");
  CHECK(join_names({}) == "");
}

TEST_CASE("json_section: named values parse through their parser, its message behind the key path") {
  enum class Colour { red, blue };
  auto parse = [](std::string_view name) {
    if (name == "red") return Colour::red;
    if (name == "blue") return Colour::blue;
    throw InputError("unknown colour '" + std::string(name) + "' (expected red or blue)");
  };
  const json j = {{"a", "blue"}, {"b", "green"}, {"c", 3}};
  const JsonSection s(j, "p", {"a", "b", "c", "d"});
  CHECK(s.named("a", Colour::red, parse) == Colour::blue);
  CHECK(s.named("d", Colour::red, parse) == Colour::red);  // absent: the fallback, never parsed
  CHECK(error_of([&] { s.named("b", Colour::red, parse); }) == "p.b: unknown colour 'green' (expected red or blue)");
  CHECK(error_of([&] { s.named("c", Colour::red, parse); }) == "p.c: expected a string, got number");
}
