# lib.sh - sourced by the LB test scripts (tests/scripts/lb-*.sh): checks
# that ctest gave LYNCC and SRCDIR, makes $tmp (removed on exit) and
# defines bad() (print FAIL: ..., remember the failure in $fail).
: "${LYNCC:?LYNCC not set}" "${SRCDIR:?SRCDIR not set}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
