// GLSL #include expansion: nested files, #line bookkeeping, and clear errors.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "app/gl/shader_include.hpp"

using namespace scorelab;

namespace {
ShaderLookup lookup_in(const std::map<std::string, std::string>& files) {
  return [files](std::string_view name) -> std::optional<std::string> {
    const auto it = files.find(std::string(name));
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(std::string_view name, const std::map<std::string, std::string>& files) {
  try {
    expand_shader_includes(name, lookup_in(files));
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("includes expand recursively, with #line restoring the includer's numbering") {
  const std::map<std::string, std::string> files = {
      {"main.comp", "#version 430\n#include \"rng.glsl\"\nvoid main() {}\n"},
      {"rng.glsl", "  #include \"hash.glsl\"\nfloat uniform01();\n"},
      {"hash.glsl", "uint hash(uint x);\n"}};
  const std::string out = expand_shader_includes("main.comp", lookup_in(files));
  CHECK(out ==
        "#version 430\n"
        "uint hash(uint x);\n"
        "#line 2\n"
        "float uniform01();\n"
        "#line 3\n"
        "void main() {}\n");
}

TEST_CASE("missing files, malformed includes and cycles are reported by name") {
  CHECK(error_of("a.vert", {{"a.vert", "#include \"gone.glsl\"\n"}}).find("gone.glsl") != std::string::npos);
  CHECK(error_of("a.vert", {{"a.vert", "#include \"gone.glsl\"\n"}}).find("a.vert") != std::string::npos);
  CHECK(error_of("nope.frag", {}).find("nope.frag") != std::string::npos);
  CHECK(error_of("a.vert", {{"a.vert", "x\n#include <sys.glsl>\n"}}).find("a.vert:2") != std::string::npos);
  const std::map<std::string, std::string> cycle = {{"a.glsl", "#include \"b.glsl\"\n"},
                                                    {"b.glsl", "#include \"a.glsl\"\n"}};
  CHECK(error_of("a.glsl", cycle).find("cycle") != std::string::npos);
}

TEST_CASE("text without includes passes through unchanged") {
  // A comment that mentions #include is not an include: only lines that start with it are.
  const std::string text = "#version 430 core\n// see #include \"x.glsl\" in main\nvoid f();\n";
  CHECK(expand_shader_includes("x", lookup_in({{"x", text}})) == text);
}
