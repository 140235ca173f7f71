#include "app/gl/capabilities.hpp"

#include "app/gl/gl.hpp"

namespace scorelab::gl {

GlVersion current_gl_version() {
  GlVersion v;
  if (glad_glGetIntegerv == nullptr) return v;  // GL never loaded in this process
  // Without a current context Mesa's dispatch ignores the call and the zeros stay.
  glGetIntegerv(GL_MAJOR_VERSION, &v.major);
  glGetIntegerv(GL_MINOR_VERSION, &v.minor);
  if (v.major <= 0) return GlVersion{};
  return v;
}

bool compute_available() { return current_gl_version().number() >= 43; }

std::string compute_off_reason() {
  const GlVersion v = current_gl_version();
  if (v.major == 0 || v.number() >= 43) return {};
  return "OpenGL " + v.text() + " here; GPU compute needs 4.3: particles, arrows and densities run on the CPU";
}

std::string drawing_glsl_header() {
  return compute_available() ? "#version 430 core\n" : "#version 330 core\n#define SCORELAB_GL33 1\n";
}

bool has_extension(std::string_view name) {
  if (glad_glGetStringi == nullptr) return false;
  GLint count = 0;
  glGetIntegerv(GL_NUM_EXTENSIONS, &count);
  for (GLint i = 0; i < count; ++i) {
    const auto* ext = reinterpret_cast<const char*>(glGetStringi(GL_EXTENSIONS, GLuint(i)));
    if (ext != nullptr && name == ext) return true;
  }
  return false;
}

std::optional<MemoryReport> gpu_free_memory() {
  // The extensions' enums, which the generated loader does not carry (it loads core GL only).
  constexpr GLenum kNvxCurrentAvailableVidmem = 0x9049;  // GL_GPU_MEMORY_INFO_CURRENT_AVAILABLE_VIDMEM_NVX, KiB
  constexpr GLenum kAtiVboFreeMemory = 0x87FB;           // GL_VBO_FREE_MEMORY_ATI: {total free KiB, …}
  if (current_gl_version().major == 0) return std::nullopt;
  if (has_extension("GL_NVX_gpu_memory_info")) {
    GLint kib = 0;
    glGetIntegerv(kNvxCurrentAvailableVidmem, &kib);
    if (kib > 0) return MemoryReport{double(kib) * 1024.0, "GPU memory (GL_NVX_gpu_memory_info)"};
  }
  if (has_extension("GL_ATI_meminfo")) {
    GLint info[4] = {0, 0, 0, 0};
    glGetIntegerv(kAtiVboFreeMemory, info);
    if (info[0] > 0) return MemoryReport{double(info[0]) * 1024.0, "GPU memory (GL_ATI_meminfo)"};
  }
  return std::nullopt;
}

}  // namespace scorelab::gl
