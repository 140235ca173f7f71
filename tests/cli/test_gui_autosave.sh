#!/usr/bin/env bash
# GUI sessions end to end, under Xvfb: a run with SCORELAB_STATE_DIR autosaves the scene and the
# model on exit (files the CLI reads back), the next run without --scene restores them (and says
# so on stdout), --scene / --no-restore skip the restore, --frames runs without SCORELAB_STATE_DIR
# touch no state folder, a corrupt autosave is moved aside and reported, and a kill -9 in the middle
# of periodic autosaves (SCORELAB_AUTOSAVE_SECONDS=1) leaves a valid scene, point set and model, and
# SIGTERM ends a run gracefully, autosaving on the way out.
# Usage: test_gui_autosave.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_autosave.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_autosave.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "FAIL: xvfb-run is not installed, so the GUI cannot be tested (apt-get install xvfb xauth)" >&2
  exit 1
fi
# Runs the GUI under Xvfb with the given environment assignments and arguments: gui VAR=x ... -- ARGS.
gui() {
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" env "${envs[@]}" "$scorelab" "$@"
}
moons="$src/assets/scenes/moons_ddpm.json"
moons_title=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' "$moons")
state="$tmp/state"

# ---- --frames without SCORELAB_STATE_DIR: no state folder is read or written --------------------
gui HOME="$tmp/home" XDG_STATE_HOME="$tmp/xdg" -- --scene "$moons" --frames 3 >"$tmp/quiet.log" 2>&1 ||
  fail "quiet run: exit $?: $(tail -n 3 "$tmp/quiet.log")"
[ ! -e "$tmp/xdg/scorelab" ] && [ ! -e "$tmp/home/.local/state" ] && ok "--frames alone writes no autosave" ||
  fail "a --frames run without SCORELAB_STATE_DIR wrote a state folder"

# ---- a run autosaves scene and model on exit; the CLI reads both back -----------------------------
gui SCORELAB_STATE_DIR="$state" -- --scene "$moons" --frames 60 --train >"$tmp/save.log" 2>&1 ||
  fail "saving run: exit $?: $(tail -n 3 "$tmp/save.log")"
[ -s "$state/autosave.json" ] || fail "no autosave.json after the run"
[ -s "$state/autosave_model.json" ] || fail "no autosave_model.json after a run that trained"
/usr/bin/python3 - "$state/autosave.json" "$moons_title" <<'PY' || fail "autosave.json does not hold the scene"
import json, sys
scene = json.load(open(sys.argv[1]))
assert scene["title"] == sys.argv[2], scene.get("title")
assert scene["data"]["name"] == "moons" and scene["noise"]["kind"] == "vp", scene
PY
if "$scorelab" sample --scene "$state/autosave.json" --exact --particles 100 --out "$tmp/exact.csv" 2>"$tmp/err" &&
   [ "$(wc -l <"$tmp/exact.csv")" -eq 101 ]; then
  ok "autosave.json samples with --exact"
else
  fail "sample --scene autosave.json --exact: $(cat "$tmp/err")"
fi
if "$scorelab" sample --scene "$state/autosave.json" --model "$state/autosave_model.json" --particles 100 \
     --out "$tmp/model.csv" 2>"$tmp/err" && [ "$(wc -l <"$tmp/model.csv")" -eq 101 ]; then
  ok "autosave_model.json samples with --model"
else
  fail "sample --model autosave_model.json: $(cat "$tmp/err")"
fi

# ---- the next run without --scene restores it ---------------------------------------------------
gui SCORELAB_STATE_DIR="$state" -- --frames 3 >"$tmp/restore.log" 2>&1 || fail "restoring run: exit $?"
if grep -Eq "^scorelab: Restored your last session \(saved [0-9]{2}:[0-9]{2}\): $moons_title, with its model at step [1-9][0-9]*$" \
     "$tmp/restore.log"; then
  ok "restored: $(grep Restored "$tmp/restore.log")"
else
  fail "no restore line for the scene and model: $(cat "$tmp/restore.log")"
fi
gui SCORELAB_STATE_DIR="$state" -- --frames 3 --no-restore >"$tmp/norestore.log" 2>&1 || fail "--no-restore run: exit $?"
grep -q "Restored" "$tmp/norestore.log" && fail "--no-restore restored anyway" || ok "--no-restore starts fresh"
gui SCORELAB_STATE_DIR="$state" -- --frames 3 --scene "$src/assets/scenes/rings_subvp.json" >"$tmp/scene.log" 2>&1 ||
  fail "--scene run: exit $?"
grep -q "Restored" "$tmp/scene.log" && fail "--scene restored the session instead" || ok "--scene wins over the autosave"
grep -q '"rings"' "$state/autosave.json" || fail "the --scene run did not autosave its scene"

# ---- a corrupt autosave is moved aside and reported; the default scene is used --------------------
printf '{"version": 1, "data": ' >"$state/autosave.json"
gui SCORELAB_STATE_DIR="$state" -- --frames 3 >"$tmp/corrupt.log" 2>&1 || fail "corrupt autosave: exit $?"
grep -q "could not be restored" "$tmp/corrupt.log" && [ -f "$state/autosave.json.bad" ] &&
  ok "corrupt autosave moved aside: $(grep 'could not' "$tmp/corrupt.log" | cut -c1-110)..." ||
  fail "corrupt autosave: no report or no autosave.json.bad: $(cat "$tmp/corrupt.log")"
"$scorelab" sample --scene "$state/autosave.json" --exact --particles 10 --out "$tmp/after.csv" 2>"$tmp/err" &&
  grep -q '"8gaussians"' "$state/autosave.json" && ok "after a corrupt autosave, the default scene is saved" ||
  fail "no valid default-scene autosave after the corrupt one: $(cat "$tmp/err")"

# ---- kill -9 during periodic autosaves leaves valid files ---------------------------------------
# A drawn point set: the scene's points go to autosave_points.csv beside autosave.json.
/usr/bin/python3 -c '
import math, sys
print("x,y")
for i in range(300):
    a = 2 * math.pi * i / 300
    print(f"{3 * math.cos(a):.6f},{3 * math.sin(a) + 0.1 * (i % 7):.6f}")' >"$tmp/pts.csv"
cat >"$tmp/drawn.json" <<'JSON'
{"version": 1, "title": "Drawn ring", "data": {"kind": "points", "file": "pts.csv"},
 "noise": {"kind": "ve", "sigma_min": 0.01, "sigma_max": 10},
 "train": {"batch": 128, "steps": 1000000}, "model": {"hidden": [32, 32]},
 "sampler": {"kind": "em", "particles": 500, "steps": 100}}
JSON
killed="$tmp/killed"
# The program runs under a shell that writes its pid first, so that exactly it gets the kill.
(timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" env SCORELAB_STATE_DIR="$killed" SCORELAB_AUTOSAVE_SECONDS=1 \
   sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/pid" \
   "$scorelab" --scene "$tmp/drawn.json" --frames 1000000 --train >"$tmp/kill.log" 2>&1) &
runner=$!
# Wait (up to 2 minutes) for a periodic autosave with a model in it, then let a few more run.
for _ in $(seq 240); do
  [ -s "$killed/autosave_model.json" ] && [ -s "$killed/autosave.json" ] && break
  sleep 0.5
done
[ -s "$killed/autosave_model.json" ] || fail "no periodic autosave with a model within 2 minutes"
sleep 3
if [ -s "$tmp/pid" ]; then kill -9 "$(cat "$tmp/pid")" 2>/dev/null; fi
wait "$runner" 2>/dev/null
grep -q '"autosave_points.csv"' "$killed/autosave.json" || fail "the point set is not saved beside autosave.json"
if "$scorelab" sample --scene "$killed/autosave.json" --exact --particles 50 --out "$tmp/k1.csv" 2>"$tmp/err" &&
   "$scorelab" sample --scene "$killed/autosave.json" --model "$killed/autosave_model.json" --particles 50 \
     --out "$tmp/k2.csv" 2>>"$tmp/err"; then
  ok "after kill -9: autosave.json, autosave_points.csv and autosave_model.json are valid"
else
  fail "after kill -9 the autosave does not load: $(cat "$tmp/err")"
fi
cmp -s <(tail -n +2 "$tmp/pts.csv" | wc -l) <(tail -n +2 "$killed/autosave_points.csv" | wc -l) ||
  fail "autosave_points.csv does not hold the 300 points"

# ---- SIGTERM: the run restores, trains on, and autosaves the newer model on its way out -------------
step_of() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["step"])' "$1"; }
before=$(step_of "$killed/autosave_model.json")
rm -f "$tmp/pid"
(timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" env SCORELAB_STATE_DIR="$killed" SCORELAB_AUTOSAVE_SECONDS=100000 \
   sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/pid" "$scorelab" --frames 1000000 --train >"$tmp/term.log" 2>&1
 echo $? >"$tmp/term.rc") &
runner=$!
for _ in $(seq 240); do
  grep -q "Restored" "$tmp/term.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "Restored your last session (saved [0-9:]*): Drawn ring, with its model at step $before" "$tmp/term.log" ||
  fail "the killed session was not restored with its model: $(cat "$tmp/term.log")"
sleep 3  # training goes on from the restored step
if [ -s "$tmp/pid" ]; then kill -TERM "$(cat "$tmp/pid")"; fi
wait "$runner"
after=$(step_of "$killed/autosave_model.json")
if [ "$(cat "$tmp/term.rc")" = 0 ] && [ "$after" -gt "$before" ]; then
  ok "SIGTERM: exit 0, model autosaved at step $after (restored at $before)"
else
  fail "SIGTERM: exit $(cat "$tmp/term.rc"), autosaved model step $after (restored at $before): $(tail -n 3 "$tmp/term.log")"
fi

finish "GUI autosave test passed"
