#!/usr/bin/env python3
"""Checks the schedule plots in a GUI screenshot: each plot's frame (as the app reported it with
SCORELAB_REPORT_PLOTS=1, lines "plot <overlay> x y w h") must be tall enough to read and hold a drawn
line across most of its width. The Noise panel's plots once drew as 4-pixel slivers (issue 18 #5).
Usage: check_plot_pixels.py <screenshot.png> <app stdout> <overlay>... ; exit 1 naming the problems.
Standard library only (no PIL here): an 8-bit RGB/RGBA, non-interlaced PNG decoder."""
import collections, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_pixels import decode  # noqa: E402

MIN_HEIGHT_PX = 24      # a plot of 3.5 font heights is ~50 px at 1x; a sliver is 4
MIN_COLUMN_SHARE = 0.6  # columns of the plot's inside that hold a line pixel


def reported_rects(log_path):
    """The last rectangle reported for each overlay text (the overlay may contain spaces)."""
    rects = {}
    for line in open(log_path, errors="replace"):
        parts = line.split()
        if len(parts) >= 6 and parts[0] == "plot":
            try:
                rects[" ".join(parts[1:-4])] = tuple(int(v) for v in parts[-4:])
            except ValueError:
                pass
    return rects


def check_plot(rows, width, height, name, rect):
    x, y, w, h = rect
    if h < MIN_HEIGHT_PX:
        return f"{name}: {h} px tall (< {MIN_HEIGHT_PX})"
    if x < 0 or y < 0 or x + w > width or y + h > height or w < 20:
        return f"{name}: frame {rect} is not inside the {width}x{height} window"
    inset = 3  # the frame's border and rounding
    inside = [row[x + inset:x + w - inset] for row in rows[y + inset:y + h - inset]]
    background = collections.Counter(px for row in inside for px in row).most_common(1)[0][0]
    def is_line(px):
        return sum(abs(a - b) for a, b in zip(px, background)) > 90
    columns = sum(1 for col in zip(*inside) if any(is_line(px) for px in col))
    share = columns / max(len(inside[0]), 1)
    print(f"{name}: frame {w}x{h} px at ({x}, {y}), line pixels in {share:.0%} of its columns")
    if share < MIN_COLUMN_SHARE:
        return f"{name}: a line in only {share:.0%} of the columns (< {MIN_COLUMN_SHARE:.0%})"
    return None


def main():
    png, log, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    width, height, rows = decode(png)
    rects = reported_rects(log)
    problems = []
    for name in names:
        if name not in rects:
            problems.append(f"{name}: not reported (the plot was not drawn)")
            continue
        problem = check_plot(rows, width, height, name, rects[name])
        if problem:
            problems.append(problem)
    if problems:
        print("; ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
