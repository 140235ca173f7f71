# Sourced by the end-to-end test scripts (not a test itself): a temporary folder removed on exit
# (made writable first: some tests take permissions away), check counting, the CLI contract's error
# check, and the verdict.
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
# The tests run xvfb-run with -f "$tmp/Xauthority": its own temporary folder, removed while Xvfb
# still runs, sometimes fails to go when several run at once, and xvfb-run then exits 5 instead of
# the program's status ("problem while cleaning up temporary directory"); this folder goes on exit.
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# The CLI contract for a failing command: exit != 0, one line on stderr, no output, no temporary file.
# expect_error <name> <stderr must contain> <output that must not exist> -- <args of $bin...>
expect_error() {
  local name=$1 needle=$2 out=$3 before=$failures
  shift 4
  "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  [[ $rc -ne 0 ]] || fail "$name: exit code 0"
  [[ $(wc -l <"$tmp/stderr") -eq 1 ]] || fail "$name: expected one line on stderr, got: $(cat "$tmp/stderr")"
  grep -qF -- "$needle" "$tmp/stderr" || fail "$name: stderr lacks '$needle': $(cat "$tmp/stderr")"
  [[ ! -e "$out" ]] || fail "$name: left $out behind"
  ls "$tmp" | grep -q '\.tmp-' && fail "$name: left a temporary file"
  [[ $failures -eq $before ]] && echo "ok: $name -> $(cat "$tmp/stderr")"
}

# Ends the script: exit 1 naming the count when a check failed, else prints $1.
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "$1"
}
