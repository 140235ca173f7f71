#include "app/render/font_files.hpp"

#include <filesystem>
#include <system_error>

namespace scorelab {

std::string find_font_file(std::initializer_list<const char*> names) {
  const std::filesystem::path dirs[] = {std::filesystem::path(SCORELAB_ASSET_DIR) / "fonts",
                                        "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF",
                                        "/usr/share/fonts/dejavu"};
  for (const auto& dir : dirs) {
    for (const char* name : names) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(dir / name, ec)) return (dir / name).string();
    }
  }
  return "";
}

std::string regular_font_file() { return find_font_file({"DejaVuSans.ttf"}); }
std::string heading_font_file() { return find_font_file({"DejaVuSans-Bold.ttf", "DejaVuSans.ttf"}); }

void build_ui_glyph_ranges(ImVector<ImWchar>& ranges) {
  if (!ranges.empty()) return;
  ImFontAtlas atlas;  // only for its static default range table; needs no ImGui context
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(atlas.GetGlyphRangesDefault());  // Latin-1
  static const ImWchar kGreek[] = {0x0370, 0x03FF, 0};
  builder.AddRanges(kGreek);
  // The symbols the tooltips' formulas use (THEORY.md): sub/superscripts, arrows, operators.
  builder.AddText("∇∂∑∫√∞≈≠≤≥±×·−→←↔‖⁻⁰¹²³⁴ⁱⁿ₀₁₂₃ₖᵢₜₙₘ∈ℝ…•–");
  builder.BuildRanges(&ranges);
}

}  // namespace scorelab
