#!/bin/sh
# golden.sh LYNCC CASE.lync
#
# Runs lyncc on one golden case and compares what it printed (stdout, then
# stderr, then "[exit N]") with CASE.expected.  The arguments come from the
# case's first line if it reads "# args: ...", else "check CASE".  The word
# CASE in the arguments stands for the case file.  The case runs in its own
# directory, so diagnostics name it without a path.
#
# LYNCC_UPDATE_GOLDEN=1 rewrites CASE.expected instead of comparing.
set -u
lyncc=$1
case_file=$2
dir=$(dirname "$case_file")
base=$(basename "$case_file")
name=${base%.lync}
expected="$dir/$name.expected"
args=$(sed -n '1s/^# args: //p' "$case_file")
[ -n "$args" ] || args="check CASE"
args=$(printf '%s' "$args" | sed "s/CASE/$base/g")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 1
# shellcheck disable=SC2086
"$lyncc" $args >"$tmp/out" 2>"$tmp/err"
rc=$?
{ cat "$tmp/out" "$tmp/err"; echo "[exit $rc]"; } >"$tmp/actual"
if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$tmp/actual" "$expected"
	echo "updated $expected"
	exit 0
fi
if [ ! -f "$expected" ]; then
	echo "missing $expected (run with LYNCC_UPDATE_GOLDEN=1)"
	cat "$tmp/actual"
	exit 1
fi
if ! diff -u "$expected" "$tmp/actual"; then
	echo "golden mismatch: $case_file"
	exit 1
fi
