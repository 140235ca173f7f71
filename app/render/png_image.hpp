// PNG image I/O (app/render): RGBA pixels written as PNG, and the window's back buffer read back for
// screenshots.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace scorelab {

// Writes RGBA8 pixels (top row first) as a PNG, atomically (a temporary file renamed into place,
// so a failure never leaves half an image under `path`). Throws InputError "cannot write <path>:
// <reason>" when the file cannot be written (std::runtime_error for a wrong pixel count).
void write_png(const std::filesystem::path& path, const std::vector<uint8_t>& rgba, int width, int height);

// The current frame of the window's default framebuffer (call before swapping buffers).
// Alpha is forced opaque: the window's alpha channel is not meaningful.
std::vector<uint8_t> capture_back_buffer(int width, int height);

}  // namespace scorelab
