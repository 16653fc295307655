#!/bin/sh
# bench-smoke.sh - bench/run.sh works (every shape and target at N=1 and 10:
# each generated site compiles, or fails as its error shape must, and a row
# is printed for each run) and fails
# loudly when lyncc fails (a binary that segfaults makes it exit non-zero and
# say FAILED).  No time is asserted.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
if ! sh "$SRCDIR/bench/run.sh" -n "1 10" -T 60 -r 2 "$LYNCC" >"$tmp/out" 2>"$tmp/err"; then
	echo "FAIL: bench/run.sh -n '1 10' exited non-zero"; cat "$tmp/err"; fail=1
fi
cat "$tmp/out"
rows=$(grep -cE '^(edge|zones|clients|parties|chain|alloc|routers|rchain|legs|lbs|nodes|nat|includes|nopath|misspelt|longnames) +(1|10) +(check|asa|srx|f5) +[0-9.]+ ' "$tmp/out")
[ "$rows" -eq 128 ] || { echo "FAIL: $rows measured rows, want 128 (16 shapes x 2 sizes x 4 targets)"; fail=1; }
# the outputs grow with N: 10 edge pools write more ASA than 1
b1=$(awk '$1 == "edge" && $2 == 1 && $3 == "asa" { print $6 }' "$tmp/out")
b10=$(awk '$1 == "edge" && $2 == 10 && $3 == "asa" { print $6 }' "$tmp/out")
[ "${b10:-0}" -gt "${b1:-0}" ] && [ "${b1:-0}" -gt 0 ] ||
	{ echo "FAIL: edge asa bytes at N=1 ($b1) and N=10 ($b10)"; fail=1; }
# a lyncc that crashes: the benchmark must fail and say so
printf '#!/bin/sh\n[ "$1" = --version ] && exit 0\nkill -SEGV $$\n' >"$tmp/crash"
chmod +x "$tmp/crash"
if sh "$SRCDIR/bench/run.sh" -n 1 -s edge -t asa "$tmp/crash" >"$tmp/out2" 2>"$tmp/err2"; then
	echo "FAIL: bench/run.sh exited 0 with a crashing lyncc"; fail=1
fi
grep -q 'FAILED' "$tmp/err2" || { echo "FAIL: no FAILED message for a crashing lyncc"; cat "$tmp/err2"; fail=1; }
[ $fail -eq 0 ] && echo "bench-smoke: 128 runs measured; a crashing lyncc fails the benchmark"
exit $fail
