# Sourced by the end-to-end test scripts (not a test itself): a temporary folder removed on exit
# (made writable first: some tests take permissions away), check counting, and the verdict.
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# Ends the script: exit 1 naming the count when a check failed, else prints $1.
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "$1"
}
