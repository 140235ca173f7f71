#include "app/gl/headless_context.hpp"

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <cstring>
#include <mutex>
#include <utility>

#include "app/gl/gl.hpp"

namespace scorelab::gl {
namespace {

// What a failure says first: the version the caller needs.
std::string prefix(GlNeed need) {
  return std::string("no OpenGL ") + (need == GlNeed::compute ? "4.3" : "3.3") + " context through EGL (surfaceless): ";
}

std::string egl_error_name(EGLint code) {
  switch (code) {
    case EGL_SUCCESS: return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
    default: return "EGL error " + std::to_string(code);
  }
}

[[noreturn]] void fail(const std::string& what, GlNeed need) {
  throw GlError(prefix(need) + what + " (" + egl_error_name(eglGetError()) + ")");
}

bool has_extension(const char* list, const char* name) {
  if (list == nullptr) return false;
  const size_t n = std::strlen(name);
  for (const char* p = std::strstr(list, name); p != nullptr; p = std::strstr(p + n, name)) {
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
  }
  return false;
}

// The surfaceless display is a process-wide singleton in Mesa: eglTerminate would kill every
// context on it, so it is terminated only when the last HeadlessContext goes.
std::mutex g_display_mutex;
int g_display_users = 0;

EGLDisplay open_surfaceless_display(GlNeed need) {
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!has_extension(client, "EGL_MESA_platform_surfaceless"))
    fail("the EGL client lacks EGL_MESA_platform_surfaceless", need);
  auto get_platform_display =
      reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (get_platform_display == nullptr) fail("eglGetPlatformDisplayEXT is missing", need);
  EGLDisplay display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) fail("eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA) failed", need);
  EGLint major = 0, minor = 0;
  if (!eglInitialize(display, &major, &minor)) fail("eglInitialize failed", need);
  return display;
}

// Tries 4.5 then 4.3 core, then for drawing 3.3 core (which gets 4.0–4.2 where the driver stops
// there); returns EGL_NO_CONTEXT when none is granted.
EGLContext create_core_context(EGLDisplay display, EGLConfig config, GlNeed need) {
  using Version = std::pair<EGLint, EGLint>;
  for (const auto& [major, minor] : {Version{4, 5}, Version{4, 3}, Version{3, 3}}) {
    if (major == 3 && need == GlNeed::compute) break;
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, major,
                                 EGL_CONTEXT_MINOR_VERSION, minor,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, attributes);
    if (context != EGL_NO_CONTEXT) return context;
  }
  return EGL_NO_CONTEXT;
}

}  // namespace

HeadlessContext::HeadlessContext(GlNeed need) {
  std::lock_guard lock(g_display_mutex);
  EGLDisplay display = open_surfaceless_display(need);
  ++g_display_users;
  display_ = display;
  try {
    const char* extensions = eglQueryString(display, EGL_EXTENSIONS);
    if (!has_extension(extensions, "EGL_KHR_surfaceless_context"))
      fail("the display lacks EGL_KHR_surfaceless_context", need);
    if (!eglBindAPI(EGL_OPENGL_API)) fail("eglBindAPI(EGL_OPENGL_API) failed", need);
    // No surface is ever made, so any config that renders OpenGL will do; without one, Mesa's
    // EGL_KHR_no_config_context takes EGL_NO_CONFIG_KHR.
    const EGLint wanted[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint count = 0;
    if (!eglChooseConfig(display, wanted, &config, 1, &count) || count < 1) {
      if (!has_extension(extensions, "EGL_KHR_no_config_context")) fail("no EGL config renders OpenGL", need);
      config = EGL_NO_CONFIG_KHR;
    }
    EGLContext context = create_core_context(display, config, need);
    if (context == EGL_NO_CONTEXT)
      fail(need == GlNeed::compute ? "eglCreateContext refused GL 4.5 and 4.3 core"
                                   : "eglCreateContext refused GL 4.5, 4.3 and 3.3 core",
           need);
    context_ = context;
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) fail("eglMakeCurrent failed", need);
    const int version = gladLoadGL(reinterpret_cast<GLADloadfunc>(eglGetProcAddress));
    major_ = GLAD_VERSION_MAJOR(version);
    minor_ = GLAD_VERSION_MINOR(version);
    if (major_ * 10 + minor_ < (need == GlNeed::compute ? 43 : 33))
      throw GlError(prefix(need) + "got GL " + std::to_string(major_) + "." + std::to_string(minor_));
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    renderer_ = renderer != nullptr ? renderer : "?";
  } catch (...) {
    if (context_ != nullptr) {
      eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
      eglDestroyContext(display, context_);
    }
    if (--g_display_users == 0) eglTerminate(display);
    throw;
  }
}

HeadlessContext::~HeadlessContext() {
  std::lock_guard lock(g_display_mutex);
  eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  eglDestroyContext(display_, context_);
  if (--g_display_users == 0) eglTerminate(display_);
}

std::unique_ptr<HeadlessContext> HeadlessContext::try_create(std::string* why, GlNeed need) {
  try {
    return std::make_unique<HeadlessContext>(need);
  } catch (const GlError& e) {
    if (why != nullptr) *why = e.what();
    return nullptr;
  }
}

bool HeadlessContext::is_software() const {
  for (const char* name : {"llvmpipe", "softpipe", "swrast"})
    if (renderer_.find(name) != std::string::npos) return true;
  return false;
}

void HeadlessContext::make_current() const {
  if (!eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_))
    throw GlError("eglMakeCurrent failed (" + egl_error_name(eglGetError()) + ")");
}

}  // namespace scorelab::gl
