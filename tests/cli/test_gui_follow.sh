#!/usr/bin/env bash
# Issue 15 in the window: following a particle (SCORELAB_FOLLOW=j, as a click or G would) draws its
# ring, its path and the terms of its last step (arrows and the formula box with colour swatches),
# and a condition (SCORELAB_CONDITION, class or observation, with SCORELAB_COMPARE) runs and exits
# cleanly. The drawing is checked against the same run without following: the ring's yellow and the
# terms' magenta and green must add pixels (the scene's own ellipses use such colours too).
# Usage: test_gui_follow.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_follow.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_follow.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "FAIL: xvfb-run is not installed, so the GUI cannot be tested (apt-get install xvfb xauth)" >&2
  exit 1
fi

run_gui() {  # run_gui <png> [env assignments...]
  local png=$1
  shift
  env "$@" SCORELAB_OPEN_PANELS=particles timeout 240 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" \
    "$scorelab" --scene "$src/assets/scenes/default.json" --no-restore --frames 90 --screenshot "$png" \
    >"$tmp/out" 2>"$tmp/err"
}

run_gui "$tmp/plain.png" SCORELAB_NOTHING=1 || fail "plain run: exit $? ($(tail -3 "$tmp/err"))"
run_gui "$tmp/follow.png" SCORELAB_FOLLOW=5 || fail "following: exit $? ($(tail -3 "$tmp/err"))"

# Pixels near each colour (±24 per channel), over the whole window.
count_colours() {
  /usr/bin/python3 - "$1" "$(dirname "${BASH_SOURCE[0]}")" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from png_pixels import decode
width, height, rows = decode(sys.argv[1])
targets = {"ring": (255, 217, 64), "magenta": (255, 89, 191), "green": (115, 242, 102)}
counts = dict.fromkeys(targets, 0)
for row in rows:
    for px in row:
        for name, t in targets.items():
            if all(abs(px[k] - t[k]) <= 24 for k in range(3)): counts[name] += 1
print(" ".join(f"{counts[n]}" for n in targets))
PY
}
if [ -s "$tmp/plain.png" ] && [ -s "$tmp/follow.png" ]; then
  read -r ring0 mag0 green0 <<<"$(count_colours "$tmp/plain.png")"
  read -r ring1 mag1 green1 <<<"$(count_colours "$tmp/follow.png")"
  echo "ring/path yellow $ring0 -> $ring1, magenta $mag0 -> $mag1, green $green0 -> $green1"
  [ $((ring1 - ring0)) -ge 60 ] || fail "no ring and path drawn for the followed particle"
  [ $((mag1 - mag0)) -ge 20 ] || fail "no magenta term (arrow or swatch) drawn"
  [ $((green1 - green0)) -ge 10 ] || fail "no green term (arrow or swatch) drawn"
else
  fail "a screenshot is missing"
fi

run_gui "$tmp/class.png" "SCORELAB_CONDITION=class=0,w=4" SCORELAB_COMPARE=1 ||
  fail "class guidance: exit $? ($(tail -3 "$tmp/err"))"
run_gui "$tmp/observe.png" "SCORELAB_CONDITION=observe:A=[1,0],y=1.5,sigma=0.2" SCORELAB_FOLLOW=3 ||
  fail "an observation while following: exit $? ($(tail -3 "$tmp/err"))"
[ -s "$tmp/class.png" ] && [ -s "$tmp/observe.png" ] || fail "a conditioned run wrote no screenshot"

finish "following a particle and conditioning run and draw"
