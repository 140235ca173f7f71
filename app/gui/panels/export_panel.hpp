// The Export section of the control panel and the one-key screenshot.
#pragma once

namespace scorelab {

struct App;

// The "Export" section (its own collapsing header): format, size, fps, duration and what to
// record; runs the export job a few frames per UI frame with its own offscreen renderer, so the UI
// stays live, and keeps running while the section is collapsed (the header shows the percentage).
// Call once per frame inside the control panel's window, after advance_export().
void draw_export_panel(App& app);

// Runs the export job (if any) for a few frames' worth of work. Call once per frame, whether the
// sidebar is shown or hidden: an export keeps running while nobody looks at its section.
void advance_export(App& app);

// Writes the plane as it is now (layers, labels, caption) at its on-screen size to
// scorelab-YYYYMMDD-HHMMSS.png in the current directory and says where in the status line.
// Call with the window's GL context current (a key handler or any point of a frame).
void take_screenshot(App& app);

}  // namespace scorelab
