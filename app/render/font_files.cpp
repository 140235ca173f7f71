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
  // The symbols of the formulas in tooltips and lecture captions (THEORY.md): whole blocks, so a
  // preset's new formula never shows "?": combining marks (x̃, w̄), punctuation, super/subscripts,
  // letterlike symbols, arrows, mathematical operators, phonetic modifiers (ᵢ, ᵀ).
  static const ImWchar kMath[] = {0x0300, 0x036F, 0x1D00, 0x1DBF, 0x2000, 0x214F, 0x2190, 0x22FF, 0x2C7C, 0x2C7C, 0};
  builder.AddRanges(kMath);
  builder.BuildRanges(&ranges);
}

}  // namespace scorelab
