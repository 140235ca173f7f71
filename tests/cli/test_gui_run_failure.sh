#!/usr/bin/env bash
# The GUI says when a run failed (issue 17, class 6): a diverged sampler puts a banner on the plane
# (its dark red plate is in the screenshot without any panel open) and a --frames run prints the
# banner's text on stderr and exits 3; a run that does not diverge exits 0 with no banner; a particle
# count past the path's budget gets the banner naming the limit, and one past the scene's ceiling is
# refused with one line before any window opens.
# Usage: test_gui_run_failure.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_run_failure.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_run_failure.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
command -v xvfb-run >/dev/null 2>&1 || { echo "FAIL: xvfb-run is not installed (apt-get install xvfb xauth)" >&2; exit 1; }

# Plain Langevin at ε = 10 on the eight Gaussians: |1 − ε/(2σ²)| > 1, so the particles overflow to
# ±∞ and NaN after about 150 steps (20 a frame here). The same scene at ε = 1e-3 stays finite.
scene_with_eps() {
  python3 - "$src/assets/scenes/default.json" "$1" <<'PY'
import json, sys
scene = json.load(open(sys.argv[1]))
scene["sampler"] = {"kind": "langevin", "eps": float(sys.argv[2]), "steps": 400, "particles": 500, "seed": 0,
                    "init": {"kind": "prior"}}
scene["show"] = {"steps_per_frame": 20}
print(json.dumps(scene))
PY
}
scene_with_eps 10 >"$tmp/diverges.json"
scene_with_eps 0.001 >"$tmp/stable.json"

gui() {  # <scene> <screenshot> [extra args]: runs 60 frames on the CPU path, stderr to $tmp/stderr
  local scene=$1 shot=$2
  shift 2
  timeout 120 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1280x800x24" "$scorelab" --scene "$scene" --no-restore --backend cpu \
    --frames 60 --screenshot "$shot" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
}
# Pixels of the banner's plate (failure_banner.cpp: 0.55, 0.07, 0.07 → 140, 18, 18), ±2 for rounding.
plate_pixels() {
  python3 - "$1" <<PY
import sys
sys.path.insert(0, "$(dirname "${BASH_SOURCE[0]}")")
import png_pixels
w, h, rows = png_pixels.decode(sys.argv[1])
print(sum(1 for row in rows for (r, g, b) in row if abs(r - 140) <= 2 and abs(g - 18) <= 2 and abs(b - 18) <= 2))
PY
}

for theme in dark light; do
  gui "$tmp/diverges.json" "$tmp/diverged_$theme.png" --theme "$theme"
  rc=$?
  [[ $rc -eq 3 ]] || fail "diverging sampler ($theme): exit $rc, expected 3: $(tail -n 2 "$tmp/stderr")"
  grep -q "The sampler diverged: [0-9]* of 500 particles are NaN or infinite. Try a smaller step (sampler.eps)" "$tmp/stderr" ||
    fail "diverging sampler ($theme): stderr lacks the banner's text: $(tail -n 2 "$tmp/stderr")"
  n=$(plate_pixels "$tmp/diverged_$theme.png")
  [[ $n -gt 2000 ]] || fail "diverging sampler ($theme): $n banner pixels in the screenshot, expected a plate (> 2000)"
  [[ $failures -eq 0 ]] && echo "ok: diverging sampler ($theme) -> exit 3, $n banner pixels, $(grep diverged "$tmp/stderr")"
done

gui "$tmp/stable.json" "$tmp/stable.png"
rc=$?
[[ $rc -eq 0 ]] || fail "stable sampler: exit $rc, expected 0: $(tail -n 2 "$tmp/stderr")"
n=$(plate_pixels "$tmp/stable.png")
[[ $n -lt 50 ]] || fail "stable sampler: $n banner-coloured pixels, expected no banner"
[[ $failures -eq 0 ]] && echo "ok: stable sampler -> exit 0, no banner ($n plate-coloured pixels)"

# Past the path's budget (issue 16: sized by the device; the CPU path steps at most 4·10⁶ at an
# interactive rate): the banner names the limit and what sets it, exit 3, nothing allocated for them.
gui "$tmp/stable.json" "$tmp/too_many.png" --particles 4000001
rc=$?
[[ $rc -eq 3 ]] && grep -q "4000001 particles are more than this run holds: at most 4000000" "$tmp/stderr" ||
  fail "--particles 4000001 on the CPU path: exit $rc, expected 3 and the limit: $(tail -n 2 "$tmp/stderr")"
n=$(plate_pixels "$tmp/too_many.png")
[[ $n -gt 2000 ]] || fail "--particles 4000001 on the CPU path: $n banner pixels, expected a plate (> 2000)"
[[ $failures -eq 0 ]] && echo "ok: --particles 4000001 on the CPU path -> exit 3, banner, $(grep -o 'at most [^)]*)' "$tmp/stderr" | head -n 1)"

# Past the scene's ceiling (10⁸, what the largest card holds): refused before the window with one
# line naming it, exit 2 (no X needed).
"$scorelab" --scene "$tmp/stable.json" --no-restore --frames 5 --particles 100000001 >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[[ $rc -ne 0 && $(wc -l <"$tmp/stderr") -eq 1 ]] && grep -q "100000000" "$tmp/stderr" ||
  fail "--particles 100000001: exit $rc, stderr: $(cat "$tmp/stderr")"
[[ $rc -ne 0 ]] && echo "ok: --particles 100000001 -> exit $rc, $(cat "$tmp/stderr")"

finish "GUI run-failure test passed"
