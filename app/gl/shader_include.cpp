#include "app/gl/shader_include.hpp"

#include <sstream>
#include <stdexcept>
#include <vector>

namespace scorelab {
namespace {

// The quoted name of an include line, "" when the line is not an include.
std::string include_target(const std::string& line, std::string_view file, int line_no) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos || line.compare(start, 8, "#include") != 0) return "";
  const size_t open = line.find('"', start + 8);
  const size_t close = open == std::string::npos ? open : line.find('"', open + 1);
  if (close == std::string::npos || close == open + 1)
    throw std::runtime_error(std::string(file) + ":" + std::to_string(line_no) +
                             ": malformed #include (expected #include \"file\")");
  return line.substr(open + 1, close - open - 1);
}

void expand(std::string_view name, const ShaderLookup& lookup, std::vector<std::string>& stack,
            std::string& out) {
  for (const std::string& open : stack) {
    if (open == name) throw std::runtime_error("shader include cycle through '" + std::string(name) + "'");
  }
  const std::optional<std::string> text = lookup(name);
  if (!text) {
    const std::string from = stack.empty() ? "" : " (included from " + stack.back() + ")";
    throw std::runtime_error("shader '" + std::string(name) + "' not found" + from);
  }
  stack.emplace_back(name);
  std::istringstream in(*text);
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    const std::string target = include_target(line, name, line_no);
    if (target.empty()) {
      out += line;
      out += '\n';
      continue;
    }
    expand(target, lookup, stack, out);
    out += "#line " + std::to_string(line_no + 1) + "\n";
  }
  stack.pop_back();
}

}  // namespace

std::string expand_shader_includes(std::string_view name, const ShaderLookup& lookup) {
  std::vector<std::string> stack;
  std::string out;
  expand(name, lookup, stack, out);
  return out;
}

}  // namespace scorelab
