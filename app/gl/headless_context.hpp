// An OpenGL context with no window and no X server: EGL on Mesa's surfaceless platform
// (EGL_PLATFORM_SURFACELESS_MESA). Used by the GPU parity tests, `scorelab sample --backend gpu`
// and headless rendering. Render into FBOs; there is no default framebuffer.
#pragma once

#include <memory>
#include <string>

namespace scorelab::gl {

// What the context is for: compute (GPU kernels, parity tests, the density worker) needs GL 4.3;
// drawing (`scorelab render`: the plane drawn headless, particles on the CPU) takes 3.3 core too.
enum class GlNeed { compute, drawing };

class HeadlessContext {
 public:
  // Makes a GL 4.5 core context current on this thread (4.3 when 4.5 is refused; for drawing 3.3
  // when both are) and loads the GL functions with glad. Throws GlError with one line saying what
  // failed, e.g. "no OpenGL 4.3 context through EGL (surfaceless): eglInitialize failed (EGL_NOT_INITIALIZED)".
  explicit HeadlessContext(GlNeed need = GlNeed::compute);
  ~HeadlessContext();
  HeadlessContext(const HeadlessContext&) = delete;
  HeadlessContext& operator=(const HeadlessContext&) = delete;

  // The same, returning null and the reason instead of throwing (tests skip on null).
  static std::unique_ptr<HeadlessContext> try_create(std::string* why = nullptr, GlNeed need = GlNeed::compute);

  int major() const { return major_; }
  int minor() const { return minor_; }
  const std::string& renderer() const { return renderer_; }  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
  bool is_software() const;                                   // llvmpipe / softpipe / swrast

  void make_current() const;  // binds the context to the calling thread (one thread at a time)

 private:
  void* display_ = nullptr;  // EGLDisplay
  void* context_ = nullptr;  // EGLContext
  int major_ = 0, minor_ = 0;
  std::string renderer_;
};

}  // namespace scorelab::gl
