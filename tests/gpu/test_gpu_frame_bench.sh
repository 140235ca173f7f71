#!/usr/bin/env bash
# `scorelab bench --frames` (the headless frame bench, app/export/frame_bench.hpp) runs the default
# scene's lab with training on, offscreen at 1920x1080, and prints the median and p95 frame time:
# both present, positive, and the median ≤ p95. A short run (20 frames) keeps it to a few seconds.
# Exit 77 (ctest: skipped) only when no GL context exists and SCORELAB_REQUIRE_GL is not 1.
# Usage: test_gpu_frame_bench.sh path/to/scorelab path/to/source
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
"$bin" bench --frames --frames-count 20 >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
if [[ $rc == 77 && "${SCORELAB_REQUIRE_GL:-0}" != 1 ]]; then
  echo "SKIPPED: $(cat "$tmp/err")"
  exit 77
fi
[[ $rc == 0 ]] || { echo "bench --frames exited $rc:" >&2; cat "$tmp/err" >&2; exit 1; }
cat "$tmp/out"
python3 - "$tmp/out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"frame time median ([0-9.]+) ms, p95 ([0-9.]+) ms \(20 frames, 1920x1080, ", text)
if not m:
    sys.exit("no 'median … ms, p95 … ms (20 frames, 1920x1080, …' line in: " + text)
median, p95 = float(m.group(1)), float(m.group(2))
if not (0 < median <= p95):
    sys.exit(f"expected 0 < median ≤ p95, got median {median}, p95 {p95}")
if "training" not in text:
    sys.exit("the frame bench does not say it trains")
PY
