// RAII owners of GL object names: one move-only type per kind, freed with the matching glDelete*.
// They must be destroyed while their context is current (the App destroys them before the window).
#pragma once

#include <utility>

#include "app/gl/gl.hpp"

namespace scorelab::gl {

template <void (*Delete)(GLuint)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(GLuint id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  GLuint id() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  void reset() {
    if (id_ != 0) Delete(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

void delete_buffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_texture(GLuint id);
void delete_framebuffer(GLuint id);
void delete_program(GLuint id);
void delete_shader(GLuint id);

using Buffer = Handle<delete_buffer>;
using VertexArray = Handle<delete_vertex_array>;
using Texture = Handle<delete_texture>;
using Framebuffer = Handle<delete_framebuffer>;
using Program = Handle<delete_program>;
using Shader = Handle<delete_shader>;

Buffer make_buffer();
VertexArray make_vertex_array();
Texture make_texture();
Framebuffer make_framebuffer();

// Uploads `bytes` bytes to `buffer` bound at `target`, growing its storage only when needed
// (capacity_bytes tracks the allocated size), so per-frame updates do not reallocate.
void upload_buffer(GLenum target, const Buffer& buffer, const void* data, GLsizeiptr bytes,
                   GLsizeiptr& capacity_bytes, GLenum usage = GL_DYNAMIC_DRAW);

}  // namespace scorelab::gl
