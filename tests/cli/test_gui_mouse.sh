#!/usr/bin/env bash
# The plane's mouse editing and keys end to end, under Xvfb with xdotool driving the pointer: with the Data
# panel open, a left-drag over a drawn point set sprays points along the stroke, Ctrl+Z takes back
# the last stroke, and a left-drag from a mixture mean moves that mean. What the window did is read
# from the autosave written when SIGTERM ends the run (the points CSV and the scene JSON).
#
# Screen geometry: the window is 1280×800 and the plane fills it right of the control panel and
# below the menu bar. The brush strokes start near the plane's centre, about (840, 412), which the
# view fitted to the point set puts near (0, 0); their checks allow for dozens of pixels of layout
# difference. A mean's handle must be hit within ~12 px, so that stroke starts where the handle is
# seen on screen (Xvfb's framebuffer file). A stroke of 120 px is about 1.5 world units.
# Usage: test_gui_mouse.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_mouse.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "FAIL: $tool is not installed, so the plane's mouse editing cannot be tested (scripts/deps installs it)" >&2; exit 1; }
done

# The centroid of the screen pixels near colour (r, g, b) (within an L1 tolerance, default 60) right of x = 450 (the plane), read from
# Xvfb's framebuffer file (XWD, 32 bits per pixel, BGRX): where a mean's handle and ring are drawn. A sixth
# argument "left" looks left of x = 400 instead (where the sidebar is, unless H hid it).
cat >"$tmp/locate.py" <<'PY'
import struct, sys
path, r, g, b = sys.argv[1], *map(int, sys.argv[2:5])
tolerance = int(sys.argv[5]) if len(sys.argv) > 5 else 60  # |Δr| + |Δg| + |Δb|
left = len(sys.argv) > 6 and sys.argv[6] == "left"
data = open(path, "rb").read()
header = struct.unpack(">25I", data[:100])
header_size, width, height, bpl, ncolors = header[0], header[4], header[5], header[12], header[19]
assert header[11] == 32, f"expected 32 bits per pixel, got {header[11]}"
start = header_size + 12 * ncolors
sx = sy = n = 0
for y in range(height):
    row = data[start + y * bpl: start + y * bpl + 4 * width]
    for x in (range(0, 400) if left else range(450, width)):
        pb, pg, pr = row[4 * x], row[4 * x + 1], row[4 * x + 2]
        if abs(pr - r) + abs(pg - g) + abs(pb - b) < tolerance:
            sx, sy, n = sx + x, sy + y, n + 1
if n < 20:
    sys.exit(f"colour ({r}, {g}, {b}) not found on the plane ({n} pixels)")
print(round(sx / n), round(sy / n))
PY

# Runs the GUI on a scene under Xvfb, plays the action script $3 against it, then ends it with
# SIGTERM (which autosaves into $2). Action lines: xdotool commands, "sleep S", or "move_to_colour
# R G B" (the pointer to the centroid of that colour on the plane).
drive() {
  local scene=$1 state=$2 actions=$3
  mkdir -p "$tmp/fb"
  cat >"$tmp/drive.sh" <<'SH'
#!/usr/bin/env bash
scorelab=$1 scene=$2 state=$3 actions=$4 log=$5 fb=$6 locate=$7
SCORELAB_STATE_DIR="$state" SCORELAB_OPEN_PANELS=data "$scorelab" --scene "$scene" --frames 100000000 >"$log" 2>&1 &
pid=$!
timeout 60 xdotool search --sync --name '^ScoreLab$' >/dev/null || { echo "no ScoreLab window" >>"$log"; kill -9 $pid; exit 1; }
# Polls the framebuffer (up to 30 s: a loaded machine draws the first frames slowly) for a colour.
find_colour() {
  local at
  for _ in $(seq 60); do
    at=$(/usr/bin/python3 "$locate" "$fb/Xvfb_screen0" "$@" 2>&1) && { echo "$at"; return 0; }
    sleep 0.5
  done
  echo "$at"
  return 1
}
# The first frames (fonts, the scene, the view fitted to it): wait for the plane's background colour
# (plane_palette(dark).background; Xvfb starts black, 63 away).
find_colour 18 20 25 12 >/dev/null || { echo "the plane was never drawn" >>"$log"; kill -9 $pid; exit 1; }
sleep 1
while read -r cmd; do
  case "$cmd" in
    sleep*) sleep "${cmd#sleep }" ;;
    expect_colour*)  # the colour must be on screen: "expect_colour R G B TOLERANCE left"
      find_colour ${cmd#expect_colour } >/dev/null || { echo "expected colour not seen: $cmd" >>"$log"; kill -9 $pid; exit 1; } ;;
    move_to_colour*)
      at=$(find_colour ${cmd#move_to_colour }) || { echo "$at" >>"$log"; kill -9 $pid; exit 1; }
      xdotool mousemove $at ;;
    "") ;;
    *) xdotool $cmd ;;
  esac
done <"$actions"
sleep 0.5
kill -TERM $pid
wait $pid
SH
  chmod +x "$tmp/drive.sh"
  timeout 120 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24 -fbdir $tmp/fb" "$tmp/drive.sh" "$scorelab" "$scene" "$state" \
    "$actions" "$tmp/gui.log" "$tmp/fb" "$tmp/locate.py"
}

# A left-drag of n moves of (dx, dy) pixels from (x, y), 50 ms apart ("x y" may be "move_to_colour R G B").
stroke() {
  local at=$1 dx=$2 dy=$3 n=$4
  case "$at" in move_to_colour*) echo "$at" ;; *) echo "mousemove $at" ;; esac
  echo "sleep 0.3"
  echo "mousedown 1"
  for _ in $(seq "$n"); do echo "mousemove_relative -- $dx $dy"; echo "sleep 0.05"; done
  echo "mouseup 1"
  echo "sleep 0.5"
}

# ---- brush strokes on a drawn point set, and Ctrl+Z ------------------------------------------------
/usr/bin/python3 - "$tmp/pts.csv" <<'PY'
import random, sys
r = random.Random(1)
with open(sys.argv[1], "w") as f:
    f.write("x,y\n")
    for c in (-3, 3):  # two tight clusters at (-3, -3) and (3, 3): the view is centred on (0, 0)
        for _ in range(15):
            f.write(f"{c + r.uniform(-0.2, 0.2):.4f},{c + r.uniform(-0.2, 0.2):.4f}\n")
PY
cat >"$tmp/drawn.json" <<'JSON'
{"version": 1, "title": "Two clusters", "data": {"kind": "points", "file": "pts.csv"},
 "noise": {"kind": "ve", "sigma_min": 0.01, "sigma_max": 10},
 "sampler": {"kind": "em", "particles": 200, "steps": 100}}
JSON
{
  stroke "840 412" 6 0 20    # A: rightwards through the centre, kept
  stroke "760 330" 0 -6 20   # B: upwards, left of and above the centre, then taken back
  echo "key ctrl+z"
  echo "sleep 0.5"
} >"$tmp/brush.actions"
drive "$tmp/drawn.json" "$tmp/brush" "$tmp/brush.actions" || fail "brush run: exit $?: $(tail -n 3 "$tmp/gui.log")"
if [ -s "$tmp/brush/autosave_points.csv" ]; then
  if report=$(/usr/bin/python3 - "$tmp/pts.csv" "$tmp/brush/autosave_points.csv" <<'PY' 2>&1
import csv, sys
def read(path):
    return [(float(r["x"]), float(r["y"])) for r in csv.DictReader(open(path))]
before, after = read(sys.argv[1]), read(sys.argv[2])
assert after[:len(before)] == before, "the drawn points changed the original ones"
new = after[len(before):]
# Stroke A held ~1 s at 150 points/s; anything under a third of that means the brush did not run.
assert len(new) >= 50, f"only {len(new)} points were added by a 1 s stroke"
xs, ys = [p[0] for p in new], [p[1] for p in new]
# A horizontal stroke: wide in x, as thin as the brush (radius 0.3) in y, and near y = 0.
assert max(xs) - min(xs) > 0.8, f"the new points span only {max(xs) - min(xs):.2f} in x"
assert max(ys) - min(ys) < 0.8, f"the new points span {max(ys) - min(ys):.2f} in y: stroke B survived the undo?"
assert all(abs(y) < 1.0 for y in ys), "new points far from stroke A's row"
print(f"{len(new)} points along x ∈ [{min(xs):.2f}, {max(xs):.2f}], y ∈ [{min(ys):.2f}, {max(ys):.2f}]")
PY
  ); then
    ok "brush stroke then Ctrl+Z: $report"
  else
    fail "brush stroke then Ctrl+Z: $report"
  fi
else
  fail "no autosave_points.csv after the brush run: $(tail -n 3 "$tmp/gui.log")"
fi

# ---- dragging a mixture mean on the plane ------------------------------------------------------------
cat >"$tmp/mixture.json" <<'JSON'
{"version": 1, "title": "Three blobs",
 "data": {"kind": "mixture", "weights": [0.4, 0.3, 0.3], "means": [[0, 0], [-3, -3], [3, 3]],
          "covs": [[[0.3, 0], [0, 0.3]], [[0.3, 0], [0, 0.3]], [[0.3, 0], [0, 0.3]]]},
 "noise": {"kind": "ve", "sigma_min": 0.01, "sigma_max": 10},
 "sampler": {"kind": "em", "particles": 200, "steps": 100}}
JSON
# From the first component's handle (found by its colour: component_color(0), dark theme), 120 px right.
stroke "move_to_colour 89 168 255" 6 0 20 >"$tmp/mean.actions"
drive "$tmp/mixture.json" "$tmp/mean" "$tmp/mean.actions" || fail "mean run: exit $?: $(tail -n 3 "$tmp/gui.log")"
if report=$(/usr/bin/python3 - "$tmp/mean/autosave.json" <<'PY' 2>&1
import json, sys
means = json.load(open(sys.argv[1]))["data"]["means"]
(x, y), others = means[0], means[1:]
assert others == [[-3, -3], [3, 3]], f"the other means moved: {others}"
assert x > 0.7 and abs(y) < 0.5, f"the dragged mean is at ({x:.2f}, {y:.2f}), not ~1.5 to the right of (0, 0)"
print(f"mean 0 moved from (0, 0) to ({x:.2f}, {y:.2f}); the others stayed")
PY
); then
  ok "mean drag: $report"
else
  fail "mean drag: $report"
fi

# ---- shortcuts in either case: Shift+T and Caps Lock + T start training --------------------------------
for variant in "shift+t" "Caps_Lock t Caps_Lock"; do
  state="$tmp/keys_${variant%% *}"
  state=${state//+/_}
  printf 'key %s\nsleep 3\n' "$variant" >"$tmp/keys.actions"
  drive "$tmp/mixture.json" "$state" "$tmp/keys.actions" || fail "keys run ($variant): exit $?: $(tail -n 3 "$tmp/gui.log")"
  if report=$(/usr/bin/python3 - "$state/autosave_model.json" <<'PY' 2>&1
import json, sys
step = json.load(open(sys.argv[1]))["step"]
assert step > 0, f"the model is at step {step}: training never started"
print(f"training reached step {step}")
PY
  ); then
    ok "key $variant: $report"
  else
    fail "key $variant starts training: $report"
  fi
done

# ---- H hides the sidebar: the plane's background (plane_palette(dark)) then fills the left edge ----------
printf 'key h\nsleep 1\nexpect_colour 18 20 25 6 left\n' >"$tmp/sidebar.actions"
drive "$tmp/mixture.json" "$tmp/sidebar" "$tmp/sidebar.actions" && ok "key h: the plane takes the sidebar's place" ||
  fail "key h did not hide the sidebar: $(tail -n 3 "$tmp/gui.log")"

finish "all plane mouse checks passed"
