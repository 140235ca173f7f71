#!/usr/bin/env bash
# F12 in split view (issue 15) saves the comparison as the window shows it: every pane with its own
# caption, beside A, with the line between them. Checked in the PNG: the column where the window
# draws the line is one colour from top to bottom (the plane of a single pane never is: particles,
# tick labels and the axis cross its middle), and the two halves differ (B runs another sampler).
# Usage: test_gui_split_screenshot.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_split_screenshot.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_split_screenshot.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool is not installed (scripts/deps installs it)" >&2; exit 1; }
done

python3 - "$src/assets/scenes/default.json" >"$tmp/b.json" <<'PY'
import json, sys
scene = json.load(open(sys.argv[1]))
scene["sampler"]["kind"] = "ode"
scene["sampler"]["steps"] = 100
print(json.dumps(scene))
PY
mkdir -p "$tmp/shots"
cat >"$tmp/drive.sh" <<'SH'
#!/usr/bin/env bash
# Inside xvfb-run: the window with the split open, F12 once the panes have run, then a clean end.
scorelab=$1 src=$2 tmp=$3
cd "$tmp/shots"
SCORELAB_SPLIT="$tmp/b.json" "$scorelab" --scene "$src/assets/scenes/default.json" --no-restore --frames 1000000 \
  >"$tmp/gui.log" 2>&1 &
pid=$!
timeout 60 xdotool search --sync --name '^ScoreLab$' >/dev/null || { kill -9 $pid; exit 1; }
sleep 4
xdotool key F12
for _ in $(seq 50); do ls "$tmp/shots"/*.png >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1
kill -TERM $pid
wait $pid
SH
chmod +x "$tmp/drive.sh"
timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" "$tmp/drive.sh" "$scorelab" "$src" "$tmp" ||
  fail "the window: exit $? ($(tail -n 3 "$tmp/gui.log"))"
shots=("$tmp/shots"/scorelab-*.png)
[[ -f ${shots[0]} ]] || { fail "F12 wrote no scorelab-*.png ($(tail -n 3 "$tmp/gui.log"))"; finish ""; }
python3 - "${shots[0]}" "$(dirname "${BASH_SOURCE[0]}")" <<'PY' || fail "the split screenshot"
import sys
sys.path.insert(0, sys.argv[2])
from png_pixels import decode
w, h, rows = decode(sys.argv[1])
line = [rows[r][w // 2] for r in range(h)]  # the panes are of one width: the line is the middle column
if len(set(line)) != 1:
    sys.exit(f"{w}x{h}: the middle column has {len(set(line))} colours, not the line between two panes")
left = [px for row in rows for px in row[: w // 2 - 2]]
right = [px for row in rows for px in row[w // 2 + 2 :]]
same = sum(a == b for a, b in zip(left, right)) / len(left)
if same > 0.95:
    sys.exit(f"the two halves are {same:.0%} the same: B's pane is not in the picture")
print(f"ok: F12 in split view wrote {w}x{h}: two panes, the line {line[0]} between them, halves {same:.0%} alike")
PY
finish "split screenshot test passed"
