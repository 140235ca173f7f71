#!/usr/bin/env bash
# `scorelab bench --frames` (the headless frame bench, app/gui/window_bench.hpp) draws the whole
# window (menus, the sidebar's panels, the plane) for the default scene with training on, offscreen
# at 1920x1080, and prints the median and p95 frame time: both present, positive, and the median ≤
# p95; its --screenshot shows the sidebar (the panels' background on the left, not the plane's) beside the
# plane. `--plane-only` (app/export/frame_bench.hpp) prints its figure too. 20 frames each: seconds.
# Exit 77 (ctest: skipped) only when no GL context exists and SCORELAB_REQUIRE_GL is not 1.
# Usage: test_gpu_frame_bench.sh path/to/scorelab path/to/source
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
"$bin" bench --frames --frames-count 20 --screenshot "$tmp/window.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
if [[ $rc == 77 && "${SCORELAB_REQUIRE_GL:-0}" != 1 ]]; then
  echo "SKIPPED: $(cat "$tmp/err")"
  exit 77
fi
[[ $rc == 0 ]] || { echo "bench --frames exited $rc:" >&2; cat "$tmp/err" >&2; exit 1; }
cat "$tmp/out"
python3 - "$tmp/out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"frame time median ([0-9.]+) ms, p95 ([0-9.]+) ms \(20 frames, 1920x1080, ", text)
if not m:
    sys.exit("no 'median … ms, p95 … ms (20 frames, 1920x1080, …' line in: " + text)
median, p95 = float(m.group(1)), float(m.group(2))
if not (0 < median <= p95):
    sys.exit(f"expected 0 < median ≤ p95, got median {median}, p95 {p95}")
if "training" not in text:
    sys.exit("the frame bench does not say it trains")
PY
grep -q "panels included" "$tmp/out" || { echo "the frame bench does not say it draws the panels" >&2; exit 1; }
python3 - "$tmp/window.png" "$(dirname "${BASH_SOURCE[0]}")/../cli" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import png_pixels
w, h, rows = png_pixels.decode(sys.argv[1])
if (w, h) != (1920, 1080):
    sys.exit(f"the window bench's screenshot is {w}x{h}, expected 1920x1080")
from collections import Counter
# The most common colour on the left (the sidebar's background) is not the plane's (its background,
# right of the sidebar): without the panels both would be the plane's.
left = Counter(px for row in rows[40:1000] for px in row[10:400]).most_common(1)[0]
right = Counter(px for row in rows[100:300] for px in row[1500:1900]).most_common(1)[0]
if left[0] == right[0]:
    sys.exit(f"the left of the window bench's frame is the plane's background {right[0]}: no panels drawn")
print(f"ok: the window bench's last frame shows the sidebar (background {left[0]} beside the plane's {right[0]})")
PY
"$bin" bench --frames --plane-only --frames-count 20 >"$tmp/plane" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
grep -q "frame time median [0-9.]* ms, p95 [0-9.]* ms (20 frames, 1920x1080, the plane only" "$tmp/plane" ||
  { echo "bench --frames --plane-only: $(cat "$tmp/plane")" >&2; exit 1; }
cat "$tmp/plane"
