#!/usr/bin/env bash
# Issue 18 #5: the Noise panel's three schedule plots (s(t), m(t), log10 SNR(t)) are drawn, tall
# enough to read, with a line across them: the app reports each plot's frame (SCORELAB_REPORT_PLOTS=1)
# and check_plot_pixels.py reads the screenshot's pixels inside it. A VP and a geometric scene (the
# two that were empty), in both themes. (At --font-scale 2 the window's 800 lines hold the plots only
# after scrolling the panel: the reported frames lie below the window.)
# Usage: test_gui_noise_plots.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_noise_plots.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_noise_plots.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
checker="$(dirname "${BASH_SOURCE[0]}")/check_plot_pixels.py"

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "FAIL: xvfb-run is not installed, so the GUI cannot be tested (apt-get install xvfb xauth)" >&2
  exit 1
fi

# The checker itself must fail on a sliver: a 4 px tall frame around a drawn area is rejected.
if out=$(/usr/bin/python3 - "$checker" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("c", sys.argv[1]); c = importlib.util.module_from_spec(spec)
spec.loader.exec_module(c)
rows = [[(30, 30, 30)] * 100 for _ in range(60)]
for x in range(100): rows[30][x] = (200, 200, 200)
print(c.check_plot(rows, 100, 60, "sliver", (0, 28, 100, 4)) or "accepted")
print(c.check_plot(rows, 100, 60, "tall", (0, 0, 100, 60)) or "accepted")
PY
); then
  [[ $(sed -n 1p <<<"$out") == *"4 px tall"* ]] || fail "the checker accepted a 4 px plot: $out"
  [[ $(tail -n 1 <<<"$out") == accepted ]] || fail "the checker rejected a drawn 60 px plot: $out"
else
  fail "the checker's self-test did not run: $out"
fi

run() {  # run <name> <scene> <extra args...>
  local name=$1 scene=$2
  shift 2
  SCORELAB_OPEN_PANELS=noise SCORELAB_REPORT_PLOTS=1 timeout 180 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1920x1080x24" \
    "$scorelab" --scene "$scene" --no-restore --frames 20 --screenshot "$tmp/$name.png" "$@" \
    >"$tmp/$name.log" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name: exit $rc: $(tail -n 3 "$tmp/$name.log")"
    return
  fi
  if report=$(/usr/bin/python3 "$checker" "$tmp/$name.png" "$tmp/$name.log" "s(t)" "m(t)" "log10 SNR(t)"); then
    ok "$name: $(tr '\n' ' ' <<<"$report")"
  else
    fail "$name: $report"
  fi
}

run vp_dark "$src/assets/scenes/default.json"
run geometric_light "$src/assets/scenes/dsm_noised_score.json" --theme light

finish "noise panel plots drawn"
