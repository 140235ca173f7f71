#include "app/gl/shader.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "app/gl/capabilities.hpp"
#include "app/gl/shader_include.hpp"

namespace scorelab::gl {
namespace {

struct EmbeddedShader {
  const char* name;
  const char* source;
};

constexpr EmbeddedShader kEmbedded[] = {
#include "embedded_shaders.inc"
    {nullptr, nullptr},  // sentinel: keeps the table valid when shaders/ is empty
};

// SCORELAB_SHADER_DIR when set; in debug builds the source tree's shaders/ otherwise, so a
// shader edit needs only a restart. The embedded copy is the fallback (and all a release uses).
const char* shader_override_dir() {
  const char* dir = std::getenv("SCORELAB_SHADER_DIR");
#if !defined(NDEBUG) && defined(SCORELAB_SHADER_DIR)
  if (dir == nullptr) dir = SCORELAB_SHADER_DIR;
#endif
  return dir;
}

std::optional<std::string> read_shader_file(std::string_view name) {
  const char* dir = shader_override_dir();
  if (dir != nullptr && *dir != '\0') {
    std::ifstream in(std::filesystem::path(dir) / std::string(name), std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }
  }
  for (const EmbeddedShader& shader : kEmbedded) {
    if (shader.name != nullptr && name == shader.name) return std::string(shader.source);
  }
  return std::nullopt;
}

// name: what messages call the shader; source: its full text (includes expanded, defines inserted).
Shader compile(GLenum stage, std::string_view name, const std::string& source) {
  Shader shader(glCreateShader(stage));
  const char* text = source.c_str();
  glShaderSource(shader.id(), 1, &text, nullptr);
  glCompileShader(shader.id());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE)
    throw GlError("shader " + std::string(name) + " does not compile:\n" + info_log(shader.id(), false));
  return shader;
}

Program link(std::initializer_list<const Shader*> shaders, std::string_view label) {
  Program program(glCreateProgram());
  for (const Shader* s : shaders) glAttachShader(program.id(), s->id());
  glLinkProgram(program.id());
  for (const Shader* s : shaders) glDetachShader(program.id(), s->id());
  GLint ok = GL_FALSE;
  glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE)
    throw GlError("program " + std::string(label) + " does not link:\n" + info_log(program.id(), true));
  return program;
}

// A drawing shader's source with its #version line replaced by the current context's (430, or
// 330 with SCORELAB_GL33 defined); "#line 2" keeps the driver's line numbers those of the file.
std::string for_this_context(std::string_view name, std::string source) {
  const size_t eol = source.find('\n');
  if (source.rfind("#version", 0) != 0 || eol == std::string::npos)
    throw GlError("shader " + std::string(name) + " must start with a #version line");
  return drawing_glsl_header() + "#line 2\n" + source.substr(eol + 1);
}

}  // namespace

std::string info_log(GLuint object, bool is_program) {
  GLint length = 0;
  if (is_program) glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
  else glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<size_t>(std::max(length, 1)), '\0');
  if (is_program) glGetProgramInfoLog(object, length, nullptr, log.data());
  else glGetShaderInfoLog(object, length, nullptr, log.data());
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

std::string shader_source(std::string_view name) {
  try {
    return expand_shader_includes(name, read_shader_file);
  } catch (const std::runtime_error& e) {
    throw GlError(e.what());
  }
}

Program build_program(std::string_view vertex_name, std::string_view fragment_name) {
  const Shader vertex = compile(GL_VERTEX_SHADER, vertex_name, for_this_context(vertex_name, shader_source(vertex_name)));
  const Shader fragment =
      compile(GL_FRAGMENT_SHADER, fragment_name, for_this_context(fragment_name, shader_source(fragment_name)));
  return link({&vertex, &fragment}, std::string(vertex_name) + " + " + std::string(fragment_name));
}

Program build_compute_program(std::string_view compute_name) {
  return build_compute_source(compute_name, shader_source(compute_name));
}

Program build_compute_source(std::string_view name, const std::string& source) {
  // Every kernel is built here first: below 4.3 this is where a GPU path learns it cannot run.
  if (const std::string off = compute_off_reason(); !off.empty()) throw GlError(off);
  const Shader compute = compile(GL_COMPUTE_SHADER, name, source);
  return link({&compute}, name);
}

GLint uniform_location(const Program& program, const char* name) {
  return glGetUniformLocation(program.id(), name);
}

}  // namespace scorelab::gl
