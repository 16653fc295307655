#!/bin/sh
# perf-legs.sh - a firewall with more legs than a vector's first capacity
# (the legs array grows while `between` is read): every leg keeps its zone.
# Expected by hand: zones z1..z10 are internal and the firewall joins them
# to z1, where the pool is, so the party "internal" covers each of them
# (ir.h, ir_party) and each gets flows to fe01 through fw; nothing is
# reported (no W001 "filters no flow", no W002 "holds no pool and no flow").
# The lyncc before the fix lost the zones of the first legs (W001 and W002).
set -u
: "${LYNCC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
{
	echo 'site t; domain t.example;'
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "zone z$i internal;"; done
	echo 'frontend pool fe01 < nodes 2; lb hlb; zone z1; addresses from 10.10.1.0/28; >'
	echo 'loadbalancer lb1 < serves fe01; >'
	echo 'firewall fw < between z1 z2 z3 z4 z5 z6 z7 z8 z9 z10; >'
} >"$tmp/legs.lync"
"$LYNCC" check "$tmp/legs.lync" >"$tmp/out" 2>&1 || { echo "FAIL: check exited non-zero"; fail=1; }
if grep -q 'LYNC-W00[12]' "$tmp/out"; then
	echo "FAIL: a leg lost its zone:"; cat "$tmp/out"; fail=1
fi
# each of z2..z10 reaches fe01 through fw (the flow listing names them)
"$LYNCC" flows "$tmp/legs.lync" >"$tmp/flows" 2>&1 || { echo "FAIL: flows exited non-zero"; fail=1; }
for i in 2 3 4 5 6 7 8 9 10; do
	grep -q "internal (z$i)" "$tmp/flows" ||
		{ echo "FAIL: no flow from internal (z$i)"; fail=1; }
done
[ $fail -eq 0 ] && echo "perf-legs: a 10-leg firewall keeps every zone"
exit $fail
