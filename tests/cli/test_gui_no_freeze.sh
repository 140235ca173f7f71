#!/usr/bin/env bash
# No frame waits for a kernel compile (issue 18): with Mesa's shader cache off, so every compile is
# cold, the default scene trains and samples with the learned score on the GPU path, and --stats'
# longest frame stays within a second (the issue's 250 ms target is printed as a figure; see below). Before, the first snapshot compiled the network kernels on the
# UI thread (minutes on llvmpipe); now they build on the GL worker while the particles step on the
# CPU, or on llvmpipe (per-context machine code at first dispatch) the network stays on the CPU.
# Usage: test_gui_no_freeze.sh <path to scorelab> <source dir>
set -u
scorelab=${1:?usage: test_gui_no_freeze.sh <scorelab binary> <source dir>}
src=${2:?usage: test_gui_no_freeze.sh <scorelab binary> <source dir>}
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "FAIL: xvfb-run is not installed, so the GUI cannot be tested (apt-get install xvfb xauth)" >&2
  exit 1
fi

# The issue's target is 250 ms, and an idle run here stays at 47–88 ms. The limit this test holds is
# 1 s: the freeze it guards against lasted 76 s to minutes, while one frame of a run that shares two
# cores with another process measured up to 282 ms. A time limit that a busy machine can cross would
# fail CI for the wrong reason; the measured figure is printed either way.
limit_ms=1000
# --stats leaves out the first 10 frames (start-up), and a compile that lands in them — as the
# first snapshot's did before — hides there; it still shows as the run's length: 300 frames take
# 10–20 s here, and took over 100 s when the UI thread compiled the network.
limit_s=60
start=$(date +%s)
MESA_SHADER_CACHE_DISABLE=true timeout 300 xvfb-run -a -f "$tmp/Xauthority" -s "-screen 0 1600x1000x24" "$scorelab" \
  --scene "$src/assets/scenes/default.json" --no-restore --train --score learned --backend gpu \
  --frames 300 --stats >"$tmp/run.log" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))
[ "$elapsed" -le "$limit_s" ] || fail "300 frames took $elapsed s (limit $limit_s s): a frame waited for something slow"
[ "$rc" -eq 0 ] || fail "exit $rc: $(tail -n 3 "$tmp/run.log")"
stats=$(grep "frame time median" "$tmp/run.log")
max=$(sed -n 's/.*, max \([0-9.]*\) ms.*/\1/p' <<<"$stats")
if [ -z "$max" ]; then
  fail "no frame statistics printed: $(tail -n 3 "$tmp/run.log")"
elif awk -v m="$max" -v l="$limit_ms" 'BEGIN { exit !(m > l) }'; then
  fail "the longest frame took $max ms (limit $limit_ms ms): $stats"
else
  ok "longest frame $max ms (limit $limit_ms ms): $stats"
fi
grep -Eq "training [a-z]+ \([1-9][0-9]* steps" <<<"$stats" || fail "the network did not train: $stats"

finish "no frame froze (300 frames in $elapsed s)"
