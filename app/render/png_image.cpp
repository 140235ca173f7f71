#include "app/render/png_image.hpp"

#include <stb_image_write.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "app/gl/render_target.hpp"
#include "core/types.hpp"

namespace scorelab {

void write_png(const std::filesystem::path& path, const std::vector<uint8_t>& rgba, int width, int height) {
  if (width <= 0 || height <= 0 || rgba.size() != static_cast<size_t>(width) * height * 4)
    throw std::runtime_error("PNG " + path.string() + ": no pixels to write");
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  errno = 0;
  if (stbi_write_png(tmp.c_str(), width, height, 4, rgba.data(), width * 4) == 0) {
    const int err = errno ? errno : EIO;  // stb reports no reason; fopen/fwrite leave theirs in errno
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw InputError("cannot write " + path.string() + ": " + std::strerror(err));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string reason = ec.message();
    std::filesystem::remove(tmp, ec);
    throw InputError("cannot write " + path.string() + ": " + reason);
  }
}

std::vector<uint8_t> capture_back_buffer(int width, int height) {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  std::vector<uint8_t> pixels = gl::read_pixels_top_down(0, 0, width, height);
  for (size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
  return pixels;
}

}  // namespace scorelab
