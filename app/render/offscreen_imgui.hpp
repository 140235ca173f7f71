// Dear ImGui without a window: its own context, font atlas and OpenGL3 renderer, drawing into an
// offscreen target (the export's frames, the GUI's plane screenshot). No platform backend: the
// display size is the target's, and nothing reads input. Switches to its context only inside its
// calls and restores the caller's, so it also works while the GUI's own ImGui frame is open.
#pragma once

#include <functional>

#include "app/gl/render_target.hpp"
#include "app/render/plane_overlay.hpp"

struct ImGuiContext;

namespace scorelab {

class OffscreenImGui {
 public:
  // font_px: the regular font's pixel size; the heading is 1.3× and bold (the GUI's fonts,
  // font_files.hpp). Needs a current GL 3.3+ core context. Throws gl::GlError when ImGui's
  // OpenGL loader fails.
  explicit OffscreenImGui(float font_px);
  ~OffscreenImGui();
  OffscreenImGui(const OffscreenImGui&) = delete;
  OffscreenImGui& operator=(const OffscreenImGui&) = delete;

  const OverlayFonts& fonts() const { return fonts_; }

  // Draws what `draw` puts in the draw list over the target's current picture (alpha-blended, the
  // target's alpha kept at 1), in the target's pixels (y down).
  void render(const gl::RenderTarget& target, const std::function<void(ImDrawList&)>& draw);

 private:
  ImGuiContext* context_ = nullptr;
  ImVector<ImWchar> ranges_;
  OverlayFonts fonts_;
};

}  // namespace scorelab
