#!/bin/bash
# The f5, f5-as3 and haproxy outputs of every load balancer of the
# examples, tests/lb and scenario sites carry the same services, members,
# monitor, persistence and scheduling (tests/review/lb_diff.py).
# Self-check first: a HAProxy member moved to another port must be caught.
set -eu
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$SRCDIR/tests/scripts/lib/mutant.sh"
make_mutant "$tmp/mutant" haproxy '0,/^\tserver \([^ ]*\) \([0-9.]*\):443 /s//\tserver \1 \2:4444 /'
if python3 "$SRCDIR/tests/review/lb_diff.py" "$tmp/mutant" "$SRCDIR/examples/internal-hlb.lync" >"$tmp/self.out"; then
    echo "FAIL: lb_diff.py did not notice a HAProxy member moved from 443 to 4444"; cat "$tmp/self.out"; exit 1
fi
grep -q "^DIFF .*'443').*haproxy" "$tmp/self.out" || { echo "FAIL: self-check: no 443 difference"; cat "$tmp/self.out"; exit 1; }
python3 "$SRCDIR/tests/review/lb_diff.py" "$LYNCC" "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/lb/*.lync "$SRCDIR"/tests/scenarios/*/site.lync
