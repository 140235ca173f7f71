#include "app/render/heatmap_layer.hpp"

#include "app/gl/shader.hpp"
#include "app/render/layers.hpp"

namespace scorelab {

HeatmapLayer::HeatmapLayer()
    : program_(gl::build_program("heatmap.vert", "heatmap.frag")),
      vao_(gl::make_vertex_array()),
      texture_(gl::make_texture()) {
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
}

void HeatmapLayer::set_image(const std::vector<uint8_t>& rgba, int width, int height, const Bounds2& world) {
  if (width <= 0 || height <= 0 || rgba.size() < static_cast<size_t>(width) * height * 4) {
    has_image_ = false;
    return;
  }
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glBindTexture(GL_TEXTURE_2D, 0);
  world_ = world;
  has_image_ = true;
}

void HeatmapLayer::draw(const ViewTransform& view, float opacity) const {
  if (!has_image_) return;
  glUseProgram(program_.id());
  set_view_uniforms(program_, view);
  glUniform2f(gl::uniform_location(program_, "u_world_min"), static_cast<float>(world_.min.x()),
              static_cast<float>(world_.min.y()));
  glUniform2f(gl::uniform_location(program_, "u_world_max"), static_cast<float>(world_.max.x()),
              static_cast<float>(world_.max.y()));
  glUniform1f(gl::uniform_location(program_, "u_opacity"), opacity);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, texture_.id());
  glUniform1i(gl::uniform_location(program_, "u_texture"), 0);
  glBindVertexArray(vao_.id());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_2D, 0);
}

}  // namespace scorelab
