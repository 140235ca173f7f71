#!/usr/bin/env bash
# scorelab render (headless, EGL): MP4 and GIF have the frame count, size and codec asked for
# (ffprobe); PNG frames are byte-identical for the same scene and seed and differ for another seed;
# the trajectories written beside an export are the sampler's own (checked against `scorelab
# sample`); the other recordings write their frames; bad outputs fail with one line and leave
# nothing; without ffmpeg, MP4 fails naming the package while PNG frames still work; an export
# stopped midway leaves nothing. Exit 77 (skipped) only when no GL 4.3 context can be made.
# Usage: test_render.sh <scorelab binary> <source dir>
set -uo pipefail
bin=$1
src=$2
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
scene=$src/assets/scenes/default.json  # 8 Gaussians, VP, predictor-corrector (500 steps), exact score
small=(--size 320x240 --particles 300)

if ! "$bin" render --scene "$scene" --exact --out "$tmp/probe/" --frames 1 --size 64x48 --particles 10 2>"$tmp/err"; then
  if grep -q "no OpenGL" "$tmp/err" && [[ "${SCORELAB_REQUIRE_GL:-0}" != 1 ]]; then  # scripts/test: required
    echo "SKIPPED: $(cat "$tmp/err")"
    exit 77
  fi
  echo "FAIL: a one-frame render failed: $(cat "$tmp/err")"
  exit 1
fi

# --- MP4 and GIF: ffprobe sees what was asked for ------------------------------------------------
probe() {
  ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=codec_name,width,height,nb_read_frames,pix_fmt -of default=noprint_wrappers=1 "$1"
}
field() { grep "^$1=" <<<"$2" | cut -d= -f2; }
for fmt in mp4 gif; do
  "$bin" render --scene "$scene" --exact --frames 30 --fps 15 --out "$tmp/anim.$fmt" "${small[@]}" --trajectories on \
    2>"$tmp/err" || fail "render $fmt: $(cat "$tmp/err")"
  p=$(probe "$tmp/anim.$fmt")
  echo "ffprobe $fmt: $(tr '\n' ' ' <<<"$p")"
  codec=$([[ $fmt == mp4 ]] && echo h264 || echo gif)
  [[ $(field codec_name "$p") == "$codec" ]] || fail "$fmt: codec $(field codec_name "$p"), expected $codec"
  [[ $(field width "$p") == 320 && $(field height "$p") == 240 ]] || fail "$fmt: size $(field width "$p")x$(field height "$p")"
  [[ $(field nb_read_frames "$p") == 30 ]] || fail "$fmt: $(field nb_read_frames "$p") frames, expected 30"
  [[ -s "$tmp/anim.$fmt.scene.json" ]] || fail "$fmt: no anim.$fmt.scene.json beside the export"
  [[ $(head -1 "$tmp/anim.$fmt.trajectories.csv") == "step,particle,x,y" ]] || fail "$fmt: no trajectories beside the export"
done
# The MP4's and the GIF's side files are their own (a later GIF used to overwrite the MP4's scene).
[[ -s "$tmp/anim.mp4.scene.json" && -s "$tmp/anim.gif.scene.json" ]] || fail "the mp4 and gif do not keep a scene each"
# Without --trajectories a video gets its scene but no (large) trajectories CSV.
"$bin" render --scene "$scene" --exact --frames 12 --out "$tmp/plain.mp4" "${small[@]}" 2>"$tmp/err" ||
  fail "render plain mp4: $(cat "$tmp/err")"
[[ -s "$tmp/plain.mp4.scene.json" && ! -e "$tmp/plain.mp4.trajectories.csv" ]] ||
  fail "a video without --trajectories: expected its scene and no trajectories, got: $(ls "$tmp" | grep plain | tr '\n' ' ')"
p=$(probe "$tmp/anim.mp4")
[[ $(field pix_fmt "$p") == yuv420p ]] || fail "mp4: pix_fmt $(field pix_fmt "$p"), expected yuv420p"
# faststart: the index (moov) comes before the media data (mdat).
moov=$(grep -boa moov "$tmp/anim.mp4" | head -1 | cut -d: -f1)
mdat=$(grep -boa mdat "$tmp/anim.mp4" | head -1 | cut -d: -f1)
[[ -n $moov && -n $mdat && $moov -lt $mdat ]] || fail "mp4: moov ($moov) is not before mdat ($mdat): no faststart"
grep -q '"seed": 0' "$tmp/anim.mp4.scene.json" || fail "scene.json beside the export lacks the sampler seed"

# --- PNG frames: the same seed twice gives the same bytes, another seed other frames ----------------
render_png() { "$bin" render --scene "$scene" --exact --frames 12 "${small[@]}" --seed "$1" --out "$2" 2>"$tmp/err" ||
  fail "render PNG frames (seed $1): $(cat "$tmp/err")"; }
render_png 3 "$tmp/a/"
render_png 3 "$tmp/b/"
render_png 4 "$tmp/c/"
[[ $(ls "$tmp/a" | grep -c '^frame_[0-9]\{5\}\.png$') == 12 ]] || fail "expected 12 PNG frames, got: $(ls "$tmp/a" | tr '\n' ' ')"
diff -r "$tmp/a" "$tmp/b" >/dev/null && echo "ok: seed 3 twice: $(ls "$tmp/a" | wc -l) files identical" ||
  fail "the same scene and seed gave different files: $(diff -rq "$tmp/a" "$tmp/b" | head -3)"
same=0
for f in "$tmp"/a/frame_*.png; do cmp -s "$f" "$tmp/c/$(basename "$f")" && same=$((same + 1)); done
[[ $same -eq 0 ]] && echo "ok: seed 4: every frame differs from seed 3's" || fail "seed 4 gave $same frames identical to seed 3's"

# --- the trajectories are the sampler's: every exported (step, particle) row is the one `scorelab
# sample` records for the same scene and seed, and the last frame is its final sample --------------
"$bin" sample --scene "$scene" --exact --particles 300 --seed 3 --out "$tmp/final.csv" \
  --trajectory "$tmp/all.csv" --record-every 1 2>/dev/null || fail "sample exited non-zero"
awk -F, 'FNR == 1 { next } NR == FNR { xy[$1 "," $2] = $3 "," $4; last = $1; next }
         { n++; if (xy[$1 "," $2] != $3 "," $4) bad++; if ($1 == last) at_end++; steps[$1] = 1 }
         END { k = 0; for (s in steps) k++;
               printf "exported rows %d, frames %d, rows at the final step %d, mismatches %d\n", n, k, at_end, bad;
               exit !(n > 0 && bad == 0 && k >= 2 && (0 in steps) && at_end == 300) }' \
  "$tmp/all.csv" "$tmp/a/trajectories.csv" || fail "exported trajectories differ from the sampler's"
diff <(awk -F, -v last="$(tail -1 "$tmp/a/trajectories.csv" | cut -d, -f1)" 'NR > 1 && $1 == last { print $3 "," $4 }' \
  "$tmp/a/trajectories.csv") <(tail -n +2 "$tmp/final.csv") >/dev/null || fail "the last exported frame is not the final sample"

# --- the other recordings ------------------------------------------------------------------------
cat >"$tmp/train.json" <<'EOF'
{"version": 1, "title": "two Gaussians",
 "data": {"kind": "mixture", "weights": [0.5, 0.5], "means": [[-2, 0], [2, 0]], "covs": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]], "count": 500},
 "noise": {"kind": "vp"},
 "sampler": {"kind": "em", "steps": 40, "particles": 100},
 "train": {"steps": 40, "batch": 64}, "model": {"hidden": [16, 16]}}
EOF
for what in forward sigma_sweep training; do
  "$bin" render --scene "$tmp/train.json" --what $what --frames 6 --size 160x120 --out "$tmp/$what/" 2>"$tmp/err" ||
    fail "--what $what: $(cat "$tmp/err")"
  [[ $(ls "$tmp/$what" | grep -c '^frame_') == 6 ]] || fail "--what $what: expected 6 frames"
done
[[ -s "$tmp/forward/trajectories.csv" ]] || fail "--what forward wrote no trajectories"
# Forward frame 0 is the data itself: the first 100 training points, unnoised.
[[ $(awk -F, '$1 == 0' "$tmp/forward/trajectories.csv" | wc -l) == 100 ]] || fail "--what forward: frame 0 should hold 100 points"
# A scene with a train section trains first when no score is given (progress on stderr).
"$bin" render --scene "$tmp/train.json" --frames 3 --size 160x120 --out "$tmp/trained/" 2>"$tmp/err" ||
  fail "render with training first: $(cat "$tmp/err")"
grep -q "40/40 steps" "$tmp/err" || fail "render did not report its training: $(cat "$tmp/err")"

# --- errors: exit != 0, one line on stderr, nothing left --------------------------------------------
expect_error() {  # <name> <stderr must contain> <path that must not exist> -- <render args...>
  local name=$1 needle=$2 out=$3 before=$failures
  shift 4
  "${run_prefix[@]}" "$bin" render "$@" >/dev/null 2>"$tmp/stderr"
  local rc=$?
  [[ $rc -ne 0 ]] || fail "$name: exit code 0"
  [[ $(wc -l <"$tmp/stderr") -eq 1 ]] || fail "$name: expected one line on stderr, got: $(cat "$tmp/stderr")"
  grep -qF -- "$needle" "$tmp/stderr" || fail "$name: stderr lacks '$needle': $(cat "$tmp/stderr")"
  [[ ! -e "$out" ]] || fail "$name: left $out behind"
  find "$tmp" -name '*.tmp-*' | grep -q . && fail "$name: left a temporary file: $(find "$tmp" -name '*.tmp-*')"
  [[ $failures -eq $before ]] && echo "ok: $name -> $(cat "$tmp/stderr")"
}
run_prefix=()
base=(--scene "$scene" --exact --frames 3 --particles 50)
args=("${base[@]}" --size 160x120)
expect_error "unknown extension" "unknown extension" "$tmp/anim.avi" -- "${args[@]}" --out "$tmp/anim.avi"
expect_error "missing folder" "does not exist" "$tmp/nope/anim.mp4" -- "${args[@]}" --out "$tmp/nope/anim.mp4"
touch "$tmp/plain"
expect_error "folder is a file" "not a folder" "$tmp/plain/anim.mp4" -- "${args[@]}" --out "$tmp/plain/anim.mp4"
expect_error "frames under a file" "not a folder" "$tmp/plain/frames" -- "${args[@]}" --out "$tmp/plain/frames/"
expect_error "odd MP4 size" "even" "$tmp/odd.mp4" -- "${base[@]}" --size 161x120 --out "$tmp/odd.mp4"
expect_error "bad size" "--size" "$tmp/bad.mp4" -- "${base[@]}" --size 160by120 --out "$tmp/bad.mp4"
expect_error "training with --exact" "--what training" "$tmp/t.mp4" -- "${args[@]}" --what training --out "$tmp/t.mp4"
mkdir -p "$tmp/other" && touch "$tmp/other/notes.txt"
expect_error "folder with other files" "other files" "$tmp/other/frame_00000.png" -- "${args[@]}" --out "$tmp/other/"
# A poster into a folder is refused before any frame, and an earlier good export keeps its files (issue 17).
"$bin" render "${args[@]}" --out "$tmp/keep/" --poster "$tmp/keep.png" 2>/dev/null || fail "render --poster exited non-zero"
ls "$tmp/keep" >"$tmp/keep.before"
mkdir "$tmp/poster_dir.png"
expect_error "poster is a folder" "--poster: cannot write $tmp/poster_dir.png: it is a directory" "$tmp/poster_dir.png/frame_00000.png" -- \
  "${args[@]}" --out "$tmp/keep/" --poster "$tmp/poster_dir.png"
expect_error "empty poster" "empty path" "$tmp/ep/frame_00000.png" -- "${args[@]}" --out "$tmp/ep/" --poster ""
ls "$tmp/keep" | cmp -s - "$tmp/keep.before" && [[ -f "$tmp/keep.png" && -d "$tmp/poster_dir.png" ]] ||
  fail "a refused poster changed the earlier export: $(ls "$tmp/keep")"
if [[ $(id -u) -ne 0 ]]; then  # root writes anywhere: the "under a file" cases above stand in for it
  mkdir "$tmp/readonly" && chmod 555 "$tmp/readonly"
  expect_error "unwritable folder" "Permission denied" "$tmp/readonly/anim.mp4" -- "${args[@]}" --out "$tmp/readonly/anim.mp4"
  expect_error "unwritable folder (PNG)" "Permission denied" "$tmp/readonly/f" -- "${args[@]}" --out "$tmp/readonly/f/"
fi

# --- no ffmpeg on PATH: MP4 names the package, PNG frames still work ---------------------------------
mkdir "$tmp/no-ffmpeg"  # the binary runs no other tool, so an empty PATH directory is enough
run_prefix=(env PATH="$tmp/no-ffmpeg")
expect_error "no ffmpeg" "apt install ffmpeg" "$tmp/noff.mp4" -- "${args[@]}" --out "$tmp/noff.mp4"
env PATH="$tmp/no-ffmpeg" "$bin" render "${args[@]}" --out "$tmp/noff/" 2>"$tmp/err" ||
  fail "PNG frames without ffmpeg: $(cat "$tmp/err")"
[[ -f "$tmp/noff/frame_00002.png" ]] || fail "PNG frames without ffmpeg: no frames written"

# --- stopped midway (SIGTERM): nothing is left -----------------------------------------------------
"$bin" render --scene "$scene" --exact --frames 2000 --size 320x240 --particles 300 --out "$tmp/stopped.mp4" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do ls "$tmp" | grep -q 'stopped.mp4.tmp-' && break; sleep 0.1; done
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
[[ $rc -ne 0 ]] || fail "stopped render: exit code 0"
grep -q "cancelled" "$tmp/err" || fail "stopped render: stderr does not say cancelled: $(cat "$tmp/err")"
[[ ! -e "$tmp/stopped.mp4" && ! -e "$tmp/stopped.mp4.scene.json" ]] || fail "stopped render: left its output"
ls "$tmp" | grep -q 'stopped.*tmp-' && fail "stopped render: left a temporary file"
[[ $failures -eq 0 ]] && echo "ok: stopped render -> $(tail -1 "$tmp/err")"

# --- ffmpeg dies midway: a clear error, nothing is left ---------------------------------------------
"$bin" render --scene "$scene" --exact --frames 2000 --size 320x240 --particles 300 --out "$tmp/broken.mp4" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do ls "$tmp" | grep -q 'broken.mp4.tmp-' && break; sleep 0.1; done
sleep 0.5
child=$(ps --ppid $pid -o pid= | head -1)
[[ -n $child ]] && kill -KILL $child
wait $pid
rc=$?
[[ $rc -ne 0 ]] || fail "ffmpeg killed: exit code 0"
[[ $(wc -l <"$tmp/err" | tr -d ' ') -ge 1 ]] && grep -q "ffmpeg" "$tmp/err" || fail "ffmpeg killed: stderr does not say so: $(cat "$tmp/err")"
[[ ! -e "$tmp/broken.mp4" && ! -e "$tmp/broken.mp4.scene.json" ]] || fail "ffmpeg killed: left its output"
ls "$tmp" | grep -q 'broken.*tmp-' && fail "ffmpeg killed: left a temporary file"
[[ $failures -eq 0 ]] && echo "ok: ffmpeg killed -> $(tail -1 "$tmp/err")"

# --- every preset renders headless: its whole sampler run (hundreds of steps) in 2 frames, exact score ---
cat >"$tmp/not_blank.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from png_pixels import decode
rows = decode(sys.argv[1])[2]
pixels = [px for row in rows for px in row]
lum = [0.299 * r + 0.587 * g + 0.114 * b for r, g, b in pixels]
mean = sum(lum) / len(lum)
std = (sum((v - mean) ** 2 for v in lum) / len(lum)) ** 0.5
colours = len(set(pixels))
if colours < 32 or std < 8:
    sys.exit(f"blank: {colours} colours, luminance std {std:.1f}")
PY
presets=0
mkdir -p "$tmp/presets"
for preset in "$src"/assets/scenes/*.json; do
  name=$(basename "$preset" .json)
  if ! "$bin" render --scene "$preset" --exact --particles 400 --frames 2 --size 160x120 --out "$tmp/presets/$name/" \
      2>"$tmp/err"; then
    fail "render $name: $(tail -n 1 "$tmp/err")"
    continue
  fi
  why=$(/usr/bin/python3 "$tmp/not_blank.py" "$tmp/presets/$name/frame_00001.png" "$(dirname "${BASH_SOURCE[0]}")" 2>&1) ||
    fail "render $name: the last frame is $why"
  presets=$((presets + 1))
done
[[ $presets -ge 18 ]] && ok "all $presets presets render their whole run headless, the last frame not blank" ||
  fail "only $presets presets rendered"

# --- render --deck: the lecture as one video, each slide and beat for its frames ------------------
scenes=$(cd "$src/assets/scenes" && pwd)
run_prefix=()
cat >"$tmp/talk.json" <<JSON
{"title": "two slides", "slides": [
  {"scene": "$scenes/score_field.json", "frames": 6,
   "beats": [{"caption": "Streamlines.", "patch": {"show": {"layers": "field=streamlines"}}, "frames": 4}]},
  {"scene": "$scenes/ncsn_pitfall_langevin.json", "frames": 5}]}
JSON
"$bin" render --deck "$tmp/talk.json" --out "$tmp/talk.mp4" --size 320x180 2>"$tmp/err" || fail "render --deck: $(cat "$tmp/err")"
p=$(probe "$tmp/talk.mp4")
[[ $(field nb_read_frames "$p") == 15 ]] && ok "render --deck: 6 + 4 + 5 frames in one MP4" ||
  fail "render --deck: $(field nb_read_frames "$p") frames, expected 15"
[[ ! -e "$tmp/talk.mp4.scene.json" ]] || fail "render --deck wrote a scene beside the video (a deck has many)"
expect_error "deck to PNG frames" "--deck renders one video" "$tmp/talk_frames" -- --deck "$tmp/talk.json" --out "$tmp/talk_frames/"
printf '{"slides": [{"scene": "nowhere.json"}]}' >"$tmp/bad_talk.json"
expect_error "a bad deck" "bad_talk.json: deck.slides[0].scene: cannot read scene" "$tmp/bad_talk.mp4" -- --deck "$tmp/bad_talk.json" --out "$tmp/bad_talk.mp4"
expect_error "deck and scene together" "--deck" "$tmp/both.mp4" -- --deck "$tmp/talk.json" --scene "$scene" --out "$tmp/both.mp4"

finish "render test passed"
