#include "app/gl/render_target.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace scorelab::gl {

void RenderTarget::resize(int width, int height) {
  width = std::max(width, 1);
  height = std::max(height, 1);
  if (framebuffer_ && width == width_ && height == height_) return;
  color_ = make_texture();
  glBindTexture(GL_TEXTURE_2D, color_.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  // One texel per screen pixel: nearest keeps it crisp; clamp avoids wrapped edge texels.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);

  framebuffer_ = make_framebuffer();
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.id());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_.id(), 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    throw GlError("the plane view's framebuffer is incomplete (status " + std::to_string(status) + ")");
  width_ = width;
  height_ = height;
}

void RenderTarget::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.id());
  glViewport(0, 0, width_, height_);
}

namespace {
thread_local GLuint window_framebuffer_ = 0;
}  // namespace

void RenderTarget::set_window_framebuffer(GLuint framebuffer) { window_framebuffer_ = framebuffer; }
GLuint RenderTarget::window_framebuffer() { return window_framebuffer_; }

void RenderTarget::unbind() { glBindFramebuffer(GL_FRAMEBUFFER, window_framebuffer_); }

std::vector<uint8_t> RenderTarget::read_rgba() const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_.id());
  std::vector<uint8_t> pixels = read_pixels_top_down(0, 0, width_, height_);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  return pixels;
}

void RenderTarget::read_rgba_bottom_up(std::vector<uint8_t>& out) const {
  out.resize(static_cast<size_t>(width_) * height_ * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_.id());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
}

std::vector<uint8_t> read_pixels_top_down(int x, int y, int width, int height) {
  const size_t row = static_cast<size_t>(width) * 4;
  std::vector<uint8_t> pixels(row * static_cast<size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // GL's first row is the bottom one; images want the top one first.
  std::vector<uint8_t> tmp(row);
  for (int r = 0; r < height / 2; ++r) {
    uint8_t* a = pixels.data() + row * r;
    uint8_t* b = pixels.data() + row * (height - 1 - r);
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  return pixels;
}

}  // namespace scorelab::gl
