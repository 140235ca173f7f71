#!/usr/bin/env bash
# Lecture mode end to end, under Xvfb with xdotool pressing the presenter's keys: --deck opens the
# deck full screen; → steps through the first slide's beats to the second slide; ← steps back to the
# start, and the document is then exactly the first slide's scene (scene JSON equal to a run where no
# key was pressed). What the window holds is read from the autosave SIGTERM writes. A bad deck is
# refused with one line and the window still runs.
# Usage: test_gui_lecture.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_lecture.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_lecture.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
deck=$src/assets/decks/lecture.json

for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "FAIL: $tool is not installed, so lecture mode cannot be tested (scripts/deps installs it)" >&2; exit 1; }
done

# Runs the deck under Xvfb, presses the keys given (one per 2 s, after the first frames), then ends
# the window with SIGTERM, which autosaves into $1.
cat >"$tmp/drive.sh" <<'SH'
#!/usr/bin/env bash
scorelab=$1 deck=$2 state=$3 log=$4
shift 4
SCORELAB_STATE_DIR="$state" "$scorelab" --deck "$deck" --no-restore --frames 100000000 >"$log" 2>&1 &
pid=$!
timeout 60 xdotool search --sync --name '^ScoreLab$' >/dev/null || { echo "no ScoreLab window" >>"$log"; kill -9 $pid; exit 1; }
sleep 4  # fonts, the first slide, its first frames
for key in "$@"; do
  xdotool key "$key"
  sleep 2
done
kill -TERM $pid
wait $pid
SH
chmod +x "$tmp/drive.sh"
run() {
  local state=$1
  shift
  mkdir -p "$state"
  timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" "$tmp/drive.sh" "$scorelab" "$deck" "$state" "$state.log" "$@" ||
    fail "the lecture run in $state failed: $(tail -n 3 "$state.log")"
}

title_of() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["title"])' "$1"; }

run "$tmp/start"
run "$tmp/forward" Right Right Right
run "$tmp/back" Right Right Right Left Left Left

first=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["slides"][0]["scene"])' "$deck")
expected_first=$(title_of "$(dirname "$deck")/$first")
[ -f "$tmp/start/autosave.json" ] || fail "no autosave after the lecture run"
[ "$(title_of "$tmp/start/autosave.json")" = "$expected_first" ] && ok "--deck opens the first slide: $expected_first" ||
  fail "the first slide is not on screen: $(title_of "$tmp/start/autosave.json")"
second=$(title_of "$src/assets/scenes/score_error_where_data.json")
[ "$(title_of "$tmp/forward/autosave.json")" = "$second" ] && ok "→ ×3 passes the two beats and reaches slide 2: $second" ||
  fail "after → ×3 the scene is '$(title_of "$tmp/forward/autosave.json")', expected '$second'"
if /usr/bin/python3 - "$tmp/start/autosave.json" "$tmp/back/autosave.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a != b:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    sys.exit(f"the scene differs in {keys}")
PY
then ok "→ ×3 then ← ×3 restores the first slide's scene exactly"
else fail "stepping forward and back did not restore the start"
fi

# A bad deck: one line naming the file and key; the window still opens on the scene.
printf '{"slides": [{"scene": "nowhere.json"}]}' >"$tmp/bad_deck.json"
timeout 120 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" "$scorelab" --deck "$tmp/bad_deck.json" --no-restore --frames 5 \
  >"$tmp/bad.log" 2>&1 || fail "a bad deck stopped the window: $(tail -n 3 "$tmp/bad.log")"
grep -q "bad_deck.json: deck.slides\[0\].scene: cannot read scene" "$tmp/bad.log" && ok "a bad deck is reported by file and key" ||
  fail "a bad deck was not reported: $(cat "$tmp/bad.log")"

finish "lecture mode test passed"
