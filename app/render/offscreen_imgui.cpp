#include "app/render/offscreen_imgui.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <cmath>

#include "app/render/font_files.hpp"

namespace scorelab {
namespace {

// Makes `context` current for a scope and restores the caller's (possibly mid-frame) context.
class ContextScope {
 public:
  explicit ContextScope(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) {
    ImGui::SetCurrentContext(context);
  }
  ~ContextScope() { ImGui::SetCurrentContext(previous_); }
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  ImGuiContext* previous_;
};

}  // namespace

OffscreenImGui::OffscreenImGui(float font_px) {
  // CreateContext makes the new context current only when there was none; either way the
  // caller's comes back at the end of this scope.
  ContextScope scope(ImGui::GetCurrentContext());
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  build_ui_glyph_ranges(ranges_);
  const float px = std::round(font_px);
  const float heading_px = std::round(font_px * 1.3f);
  const std::string regular = regular_font_file();
  const std::string bold = heading_font_file();
  ImFontConfig config;
  config.OversampleH = 2;
  if (!regular.empty()) {
    fonts_.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), px, &config, ranges_.Data);
    fonts_.heading = io.Fonts->AddFontFromFileTTF(bold.c_str(), heading_px, &config, ranges_.Data);
  }
  if (fonts_.regular == nullptr || fonts_.heading == nullptr) {
    io.Fonts->Clear();  // ImGui's built-in font: small and Latin-only, but the overlay still reads
    ImFontConfig fallback;
    fallback.SizePixels = px;
    fonts_.regular = fonts_.heading = io.Fonts->AddFontDefault(&fallback);
  }
  fonts_.regular_px = px;
  fonts_.heading_px = fonts_.heading == fonts_.regular ? px : heading_px;
  io.FontDefault = fonts_.regular;
  if (!ImGui_ImplOpenGL3_Init("#version 330 core")) {
    ImGui::DestroyContext(context_);
    context_ = nullptr;
    throw gl::GlError("Dear ImGui's OpenGL 3 renderer could not load the GL functions");
  }
}

OffscreenImGui::~OffscreenImGui() {
  if (context_ == nullptr) return;
  {
    ContextScope scope(context_);
    ImGui_ImplOpenGL3_Shutdown();
  }
  ImGui::DestroyContext(context_);
}

void OffscreenImGui::render(const gl::RenderTarget& target, const std::function<void(ImDrawList&)>& draw) {
  ContextScope scope(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(target.width()), static_cast<float>(target.height()));
  io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  io.DeltaTime = 1.0f / 60.0f;  // ImGui wants time to pass; nothing drawn here depends on it
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  draw(*ImGui::GetForegroundDrawList());
  ImGui::Render();
  target.bind();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  gl::RenderTarget::unbind();
}

}  // namespace scorelab
