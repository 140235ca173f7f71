// The UI's fonts: DejaVu Sans from the app's assets or Debian's fonts-dejavu-core, and the glyph
// ranges the labels and formulas need. The GUI (style.cpp) and the export overlay load the same
// files, so text looks the same in a window and in an exported frame.
#pragma once

#include <imgui.h>

#include <initializer_list>
#include <string>

namespace scorelab {

// The first existing file among `names` in the asset and usual system font folders; "" when none.
std::string find_font_file(std::initializer_list<const char*> names);
std::string regular_font_file();  // DejaVuSans.ttf, or ""
std::string heading_font_file();  // DejaVuSans-Bold.ttf, else the regular one, or ""

// Latin-1, Greek, and the symbols of THEORY.md's formulas (∇, ², ₜ, …). Fills `ranges` once.
void build_ui_glyph_ranges(ImVector<ImWchar>& ranges);

}  // namespace scorelab
