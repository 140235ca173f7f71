#include "app/gl/objects.hpp"

#include <algorithm>

namespace scorelab::gl {

void delete_buffer(GLuint id) { glDeleteBuffers(1, &id); }
void delete_vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
void delete_texture(GLuint id) { glDeleteTextures(1, &id); }
void delete_framebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void delete_program(GLuint id) { glDeleteProgram(id); }
void delete_shader(GLuint id) { glDeleteShader(id); }

Buffer make_buffer() {
  GLuint id = 0;
  glGenBuffers(1, &id);
  return Buffer(id);
}

VertexArray make_vertex_array() {
  GLuint id = 0;
  glGenVertexArrays(1, &id);
  return VertexArray(id);
}

Texture make_texture() {
  GLuint id = 0;
  glGenTextures(1, &id);
  return Texture(id);
}

Framebuffer make_framebuffer() {
  GLuint id = 0;
  glGenFramebuffers(1, &id);
  return Framebuffer(id);
}

void upload_buffer(GLenum target, const Buffer& buffer, const void* data, GLsizeiptr bytes,
                   GLsizeiptr& capacity_bytes, GLenum usage) {
  glBindBuffer(target, buffer.id());
  if (bytes > capacity_bytes) {
    // Grow geometrically so a slowly growing particle count does not reallocate every frame.
    capacity_bytes = std::max<GLsizeiptr>(bytes, capacity_bytes + capacity_bytes / 2);
    glBufferData(target, capacity_bytes, nullptr, usage);
  }
  if (bytes > 0) glBufferSubData(target, 0, bytes, data);
}

}  // namespace scorelab::gl
