#!/usr/bin/env bash
# scorelab render --split (issue 15): two panes side by side in one frame. With B = A the two halves
# are pixel-identical below the captions (which name the panes A and B) and neither half is blank;
# with another sampler in B the halves differ there (so the check can fail); an MP4 has the whole
# frame's size; --split with --what other than sampler fails with one line. Exit 77 (skipped) only when
# no GL context can be made. Usage: test_render_split.sh <scorelab binary> <source dir>
set -uo pipefail
bin=$1
src=$2
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
scene=$src/assets/scenes/default.json  # 8 Gaussians, VP, predictor-corrector, exact score
small=(--exact --size 480x360 --particles 400 --frames 4)

if ! "$bin" render --scene "$scene" --exact --out "$tmp/probe/" --frames 1 --size 64x48 --particles 10 2>"$tmp/err"; then
  if grep -q "no OpenGL" "$tmp/err" && [[ "${SCORELAB_REQUIRE_GL:-0}" != 1 ]]; then
    echo "SKIPPED: $(cat "$tmp/err")"
    exit 77
  fi
  echo "FAIL: a one-frame render failed: $(cat "$tmp/err")"
  exit 1
fi

# B: the probability-flow ODE with 40 steps (A: predictor-corrector, 500 steps).
python3 - "$scene" "$tmp/ode.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["sampler"] = {"kind": "ode", "steps": 40, "particles": 10, "seed": 99}  # particles and seed: A's are used
json.dump(s, open(sys.argv[2], "w"))
PY

"$bin" render --scene "$scene" --split "$scene" "${small[@]}" --out "$tmp/same/" 2>"$tmp/err" ||
  fail "render --split (B = A): $(cat "$tmp/err")"
"$bin" render --scene "$scene" --split "$tmp/ode.json" "${small[@]}" --out "$tmp/ode/" 2>"$tmp/err" ||
  fail "render --split (B = ODE): $(cat "$tmp/err")"

# Compares the halves of the last frame: pixels that differ, and where; how much of each half is
# not background.
halves() {
  PYTHONPATH="$src/tests/cli" python3 - "$1" <<'PY'
import sys
from png_pixels import decode
w, h, rows = decode(sys.argv[1])
half = w // 2
# Columns 0 and half - 1 of each half hold the divider between the panes: compared without them.
diff = [(x, y) for y in range(h) for x in range(1, half - 1) if rows[y][x] != rows[y][x + half]]
below = [p for p in diff if p[1] >= int(0.3 * h)]  # below the caption's lines
def busy(x0):  # pixels of the lower 70 % unlike the most common colour there
    from collections import Counter
    c = Counter(rows[y][x] for y in range(int(0.3 * h), h) for x in range(x0, x0 + half))
    return sum(c.values()) - c.most_common(1)[0][1]
top = max((p[1] for p in diff), default=-1)
print(f"{w}x{h} differing={len(diff)} below_caption={len(below)} lowest_diff_row={top} busy_left={busy(0)} busy_right={busy(half)}")
PY
}
last() { ls "$1"/frame_*.png | tail -1; }
same=$(halves "$(last "$tmp/same")") || fail "reading the B = A frame"
echo "B = A:   $same"
num() { sed -n "s/.*$1=\([-0-9]*\).*/\1/p" <<<"$2"; }
[[ $(num below_caption "$same") == 0 ]] || fail "B = A: the halves differ below the captions: $same"
[[ $(num differing "$same") -gt 0 ]] || fail "B = A: no difference at all: the captions should name A and B: $same"
[[ $(num busy_left "$same") -gt 500 && $(num busy_right "$same") -gt 500 ]] || fail "B = A: a half is blank: $same"
ode=$(halves "$(last "$tmp/ode")") || fail "reading the B = ODE frame"
echo "B = ODE: $ode"
[[ $(num below_caption "$ode") -gt 200 ]] || fail "B = ODE: the halves should differ below the captions: $ode"
[[ $(num busy_left "$ode") -gt 500 && $(num busy_right "$ode") -gt 500 ]] || fail "B = ODE: a half is blank: $ode"

# One MP4 of the whole frame (when ffmpeg is there).
if command -v ffmpeg >/dev/null; then
  "$bin" render --scene "$scene" --split "$tmp/ode.json" "${small[@]}" --out "$tmp/x.mp4" 2>"$tmp/err" ||
    fail "render --split to MP4: $(cat "$tmp/err")"
  size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$tmp/x.mp4")
  [[ $size == 480,360 ]] && ok "split MP4 is 480x360" || fail "split MP4 size $size, expected 480,360"
fi
expect_error "--split with --what forward" "--what sampler" "$tmp/bad/" -- \
  render --scene "$scene" --split "$scene" --what forward "${small[@]}" --out "$tmp/bad/"
finish "render --split: both halves drawn, identical below the captions for B = A, different for another sampler"
