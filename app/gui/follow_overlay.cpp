#include "app/gui/follow_overlay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace scorelab {
namespace {

ImU32 u32(const Rgba& c, float alpha = 1.0f) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a * alpha));
}

// The terms' colours: apart from each other, from the followed path's yellow, the particles' white
// and the data's orange (a step has at most five terms: PC's corrector and predictor).
// On the light theme the same hues, darker (light yellow and cyan vanish on white).
Rgba themed(Rgba c, bool light) {
  if (light) c = Rgba{0.62f * c.r, 0.62f * c.g, 0.62f * c.b, c.a};
  return c;
}
Rgba term_color(size_t i, bool light) {
  static const Rgba colors[] = {{0.35f, 0.80f, 1.00f, 1.0f}, {1.00f, 0.35f, 0.75f, 1.0f}, {0.45f, 0.95f, 0.40f, 1.0f},
                                {0.70f, 0.55f, 1.00f, 1.0f}, {1.00f, 0.30f, 0.30f, 1.0f}};
  return themed(colors[i % 5], light);
}
Rgba followed_color(bool light) { return themed(Rgba{1.0f, 0.85f, 0.25f, 1.0f}, light); }  // the ring and the path

std::vector<Vec2> columns(const Points& x) {
  std::vector<Vec2> out(static_cast<size_t>(x.cols()));
  for (Eigen::Index j = 0; j < x.cols(); ++j) out[static_cast<size_t>(j)] = x.col(j);
  return out;
}

// The particle nearest `mouse` (overlay pixels) within tolerance_px (framebuffer pixels).
std::optional<int> particle_near(const App& app, const OverlayFrame& f, const ImVec2& mouse, double tolerance_px) {
  const Vec2 px((mouse.x - f.origin.x) * f.fb_scale, (mouse.y - f.origin.y) * f.fb_scale);
  return pick_nearest(columns(app.lab.shown_particles()), app.view, px, tolerance_px);
}

// SCORELAB_FOLLOW=j follows particle j from the start (screenshots and demos, like SCORELAB_OPEN_PANELS).
void follow_from_environment(App& app) {
  static bool done = false;
  if (done || !app.lab.run().started()) return;
  done = true;
  if (const char* env = std::getenv("SCORELAB_FOLLOW")) app.lab.follow_particle(std::atoi(env));
}

void handle_follow_input(App& app, const OverlayFrame& f, bool hovered) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  Lab& lab = app.lab;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) && lab.followed_particle() &&
      !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    lab.follow_particle(std::nullopt);
    return;
  }
  if (!hovered) return;
  // G ('G' is GLFW_KEY_G, the index ImGui's GLFW backend reports): the particle nearest the mouse.
  if (ImGui::IsKeyPressed('G', false) && !io.KeyCtrl) {
    if (lab.followed_particle()) lab.follow_particle(std::nullopt);
    else lab.follow_particle(particle_near(app, f, io.MousePos, std::numeric_limits<double>::infinity()));
    return;
  }
  // A click (not the end of a pan) on a particle; not while the Data panel edits the data.
  const bool click = ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 9.0f;
  if (click && !app.data_edit.panel_open) {
    const double tolerance = 0.6 * ImGui::GetFontSize() * f.fb_scale;
    if (std::optional<int> hit = particle_near(app, f, io.MousePos, tolerance)) lab.follow_particle(hit);
  }
}

void arrow(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 color, float width, float head) {
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 0.5f) return;
  const float ux = dx / len, uy = dy / len, h = std::min(head, 0.5f * len);
  const ImVec2 base(b.x - ux * h, b.y - uy * h);
  draw->AddLine(a, base, color, width);
  draw->AddTriangleFilled(b, ImVec2(base.x - uy * 0.5f * h, base.y + ux * 0.5f * h),
                          ImVec2(base.x + uy * 0.5f * h, base.y - ux * 0.5f * h), color);
}

std::string vec_text(const Vec2& v) {
  char text[64];
  std::snprintf(text, sizeof text, "(%+.3g, %+.3g)", v.x(), v.y());
  return text;
}

// The terms tip to tail from the particle, scaled up so the longest is ~5 em (a step is small on
// screen); returns the scale used (the box says it).
double draw_terms(ImDrawList* draw, const App& app, const OverlayFrame& f, const StepTrace& trace, const Vec2& at) {
  const float em = ImGui::GetFontSize();
  double longest = 0.0;
  for (const StepTerm& t : trace.terms) longest = std::max(longest, t.value.norm() * app.view.pixels_per_unit / f.fb_scale);
  const double scale = longest > 0.0 ? std::max(1.0, 5.0 * em / longest) : 1.0;
  Vec2 tail = at;
  for (size_t i = 0; i < trace.terms.size(); ++i) {
    const Vec2 tip = tail + scale * trace.terms[i].value;
    arrow(draw, f.to_overlay(app.view.world_to_screen(tail)), f.to_overlay(app.view.world_to_screen(tip)),
          u32(term_color(i, app.settings.theme == Theme::light)), 2.5f, 0.7f * em);
    tail = tip;
  }
  return scale;
}

// The formula, the position before and after, and each term's value with its colour.
void draw_formula_box(ImDrawList* draw, const OverlayFrame& f, ImVec2 anchor, const StepTrace& trace, double scale,
                      int particle, bool light) {
  const float em = ImGui::GetFontSize();
  Vec2 after = trace.before;
  for (const StepTerm& t : trace.terms) after += t.value;
  std::vector<std::string> lines;
  lines.push_back("particle " + std::to_string(particle) + ", step " + std::to_string(trace.step));
  lines.push_back(trace.formula);
  lines.push_back("x = " + vec_text(trace.before) + "  →  " + vec_text(after));
  for (const StepTerm& t : trace.terms) lines.push_back(t.symbol + " = " + vec_text(t.value));
  char note[96];
  std::snprintf(note, sizeof note, "arrows ×%.3g, tip to tail from the particle", scale);
  lines.push_back(note);
  float width = 0.0f;
  for (const std::string& l : lines) width = std::max(width, ImGui::CalcTextSize(l.c_str()).x);
  const float pad = 0.4f * em, line_h = ImGui::GetTextLineHeightWithSpacing(), swatch = 1.1f * em;
  const ImVec2 size(width + 2 * pad + swatch, lines.size() * line_h + 2 * pad);
  // Away from the plane's centre (where the cloud is): right of a particle in the left half, above one
  // in the lower half, and so on.
  const bool right = anchor.x < f.origin.x + 0.5f * f.size.x, above = anchor.y > f.origin.y + 0.5f * f.size.y;
  ImVec2 p(right ? anchor.x + 1.5f * em : anchor.x - size.x - 1.5f * em,
           above ? anchor.y - size.y - 1.5f * em : anchor.y + 1.5f * em);
  p.x = std::clamp(p.x, f.origin.x + pad, std::max(f.origin.x + pad, f.origin.x + f.size.x - size.x - pad));
  p.y = std::clamp(p.y, f.origin.y + pad, std::max(f.origin.y + pad, f.origin.y + f.size.y - size.y - pad));
  // Opaque: the caption or the cloud underneath would make the numbers unreadable.
  ImVec4 plate = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  plate.w = 1.0f;
  draw->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), ImGui::ColorConvertFloat4ToU32(plate), 0.3f * em);
  draw->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), u32(followed_color(light), 0.8f), 0.3f * em);
  for (size_t i = 0; i < lines.size(); ++i) {
    const ImVec2 at(p.x + pad + swatch, p.y + pad + i * line_h);
    const size_t term = i - 3;  // lines 3 … 3 + terms − 1 are the terms
    if (i >= 3 && term < trace.terms.size()) {
      const float y = at.y + 0.5f * ImGui::GetTextLineHeight();
      draw->AddLine(ImVec2(p.x + pad, y), ImVec2(p.x + pad + 0.8f * em, y), u32(term_color(term, light)), 3.0f);
    }
    draw->AddText(at, ImGui::GetColorU32(ImGuiCol_Text), lines[i].c_str());
  }
}

}  // namespace

void draw_follow_overlay(App& app, const OverlayFrame& f, bool hovered, const PlanePalette& palette) {
  draw_condition_overlay(app, f);
  follow_from_environment(app);
  handle_follow_input(app, f, hovered);
  const std::optional<int> followed = app.lab.followed_particle();
  const std::optional<Vec2> at = app.lab.followed_position();
  if (!followed || !at) return;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(f.origin, ImVec2(f.origin.x + f.size.x, f.origin.y + f.size.y), true);
  const float em = ImGui::GetFontSize();
  const bool light = app.settings.theme == Theme::light;
  // Its whole path (the trails layer keeps a few segments; this one is kept since following began).
  const std::vector<Vec2>& path = app.lab.followed_path();
  for (size_t i = 1; i < path.size(); ++i)
    draw->AddLine(f.to_overlay(app.view.world_to_screen(path[i - 1])), f.to_overlay(app.view.world_to_screen(path[i])),
                  u32(followed_color(light), 0.55f), 1.2f);
  const ImVec2 p = f.to_overlay(app.view.world_to_screen(*at));
  draw->AddCircle(p, 0.7f * em, u32(followed_color(light)), 32, 2.5f);
  // The terms belong to the last step run: shown live only (a scrubbed frame is another step).
  const StepTrace* trace = app.lab.followed_step();
  const bool live = app.lab.scrub_frame() < 0;
  if (trace && live && !trace->terms.empty()) {
    const double scale = draw_terms(draw, app, f, *trace, *at);
    draw_formula_box(draw, f, p, *trace, scale, *followed, light);
  } else {
    const char* text = live ? "followed: its terms appear after the next step" : "followed (scrubbed: no step to explain)";
    draw->AddText(ImVec2(p.x + 1.0f * em, p.y - 1.6f * em), u32(palette.label), text);
  }
  draw->PopClipRect();
}

}  // namespace scorelab
