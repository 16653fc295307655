#!/bin/bash
# cli-goldens.sh - the command-line cases of tests/cli/*.lync: each runs
# lyncc with the arguments of its "# args:" line and compares stdout, stderr
# and the exit status with CASE.expected (tests/golden.sh; the expected
# usage errors, help texts, query JSON and diagnostics were read, not
# accepted unread).  They live outside tests/golden/ so the fuzzer does not
# mutate twenty copies of one site.  LYNCC_UPDATE_GOLDEN=1 rewrites them.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
for c in "$SRCDIR"/tests/cli/*.lync; do
	n=$((n + 1))
	sh "$SRCDIR/tests/golden.sh" "$LYNCC" "$c" >"$out" 2>&1 ||
	    { cat "$out"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $n command-line cases"
exit $fail
