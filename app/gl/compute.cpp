#include "app/gl/compute.hpp"

#include <algorithm>

#include "app/gl/shader.hpp"

namespace scorelab::gpu {
namespace {

// The defines go after the #version line (GLSL requires it first); "#line 2" keeps the driver's
// line numbers those of the file.
std::string with_defines(std::string source, std::string_view defines) {
  if (defines.empty()) return source;
  const size_t eol = source.find('\n');
  if (source.rfind("#version", 0) != 0 || eol == std::string::npos)
    throw gl::GlError("compute shader must start with a #version line");
  source.insert(eol + 1, std::string(defines) + "\n#line 2\n");
  return source;
}

}  // namespace

gl::Program build_compute(std::string_view name, std::string_view defines) {
  return gl::build_compute_source(name, with_defines(gl::shader_source(name), defines));
}

void dispatch_flat(GLuint n, GLuint local_size) {
  if (n == 0) return;
  constexpr GLuint kMaxRow = 65535;
  const GLuint groups = (n + local_size - 1) / local_size;
  const GLuint rows = (groups + kMaxRow - 1) / kMaxRow;
  glDispatchCompute(std::min(groups, kMaxRow), rows, 1);
}

void storage_barrier() {
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_UNIFORM_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT |
                  GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT | GL_TEXTURE_UPDATE_BARRIER_BIT);
}

gl::Buffer make_storage(GLsizeiptr bytes, const void* data, GLenum usage) {
  gl::Buffer buffer = gl::make_buffer();
  respecify(GL_SHADER_STORAGE_BUFFER, buffer, bytes, data, usage);
  return buffer;
}

void respecify(GLenum target, const gl::Buffer& buffer, GLsizeiptr bytes, const void* data, GLenum usage) {
  glBindBuffer(target, buffer.id());
  glBufferData(target, std::max<GLsizeiptr>(bytes, 16), nullptr, usage);
  if (data != nullptr && bytes > 0) glBufferSubData(target, 0, bytes, data);
  glBindBuffer(target, 0);
}

void read_storage(const gl::Buffer& buffer, GLintptr offset, GLsizeiptr bytes, void* out) {
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
  glBindBuffer(GL_COPY_READ_BUFFER, buffer.id());
  glGetBufferSubData(GL_COPY_READ_BUFFER, offset, bytes, out);
  glBindBuffer(GL_COPY_READ_BUFFER, 0);
}

void set_uniform(const gl::Program& p, const char* name, float v) {
  glProgramUniform1f(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, int v) {
  glProgramUniform1i(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, unsigned v) {
  glProgramUniform1ui(p.id(), glGetUniformLocation(p.id(), name), v);
}
void set_uniform(const gl::Program& p, const char* name, float x, float y) {
  glProgramUniform2f(p.id(), glGetUniformLocation(p.id(), name), x, y);
}

GLint get_integer(GLenum name) {
  GLint v = 0;
  glGetIntegerv(name, &v);
  return v;
}

GLint get_integer(GLenum name, GLuint index) {
  GLint v = 0;
  glGetIntegeri_v(name, index, &v);
  return v;
}

}  // namespace scorelab::gpu
