// `#include "file.glsl"` for GLSL (which has none): expands includes recursively from a lookup.
// Pure text processing, no GL: tested in tests/app/test_shader_include.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace scorelab {

using ShaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The text of `name` with every line `#include "other"` replaced by other's expanded text, and a
// `#line N` after each so that compiler messages keep the including file's line numbers.
// Throws std::runtime_error naming the file for a missing file, a malformed include or a cycle.
std::string expand_shader_includes(std::string_view name, const ShaderLookup& lookup);

}  // namespace scorelab
