// An offscreen colour target (RGBA8 texture + framebuffer) that the plane view renders into; the
// GUI shows its texture, and export reads it back. Resizing reallocates only when the size changes.
#pragma once

#include <cstdint>
#include <vector>

#include "app/gl/objects.hpp"

namespace scorelab::gl {

class RenderTarget {
 public:
  // (Re)allocates for width x height pixels (each at least 1); a no-op when unchanged.
  void resize(int width, int height);
  // Binds the framebuffer and sets the viewport to the whole target.
  void bind() const;
  static void unbind();  // back to the window's framebuffer
  // The window's framebuffer on this thread: 0 (the default framebuffer) in a window; a target's
  // framebuffer where the window is drawn without one (the headless window bench, surfaceless EGL).
  // Per thread, as a framebuffer belongs to its context.
  static void set_window_framebuffer(GLuint framebuffer);
  static GLuint window_framebuffer();
  GLuint framebuffer() const { return framebuffer_.id(); }

  GLuint texture() const { return color_.id(); }
  int width() const { return width_; }
  int height() const { return height_; }

  // RGBA8 pixels, top row first (glReadPixels is bottom-up; this flips). width*height*4 bytes.
  std::vector<uint8_t> read_rgba() const;
  // RGBA8 pixels as GL stores them, BOTTOM row first, into `out` (resized; reuse it across frames):
  // the export pipes these to ffmpeg, which flips them itself (-vf vflip).
  void read_rgba_bottom_up(std::vector<uint8_t>& out) const;

 private:
  Texture color_;
  Framebuffer framebuffer_;
  int width_ = 0;
  int height_ = 0;
};

// Reads the currently bound read framebuffer's rectangle as RGBA8, top row first.
std::vector<uint8_t> read_pixels_top_down(int x, int y, int width, int height);

}  // namespace scorelab::gl
