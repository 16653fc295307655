#!/bin/bash
# The ASA, SRX and nft outputs of every firewall of every example and
# scenario site permit the same packets (tests/review/vendor_diff.py).
# Self-check first: an nft text with one port changed must be caught.
set -eu
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$SRCDIR/tests/scripts/lib/mutant.sh"
make_mutant "$tmp/mutant" nft 's/tcp dport 5061 /tcp dport 5062 /'
if python3 "$SRCDIR/tests/review/vendor_diff.py" "$tmp/mutant" "$SRCDIR/examples/edge-hlb.lync" >"$tmp/self.out"; then
    echo "FAIL: vendor_diff.py did not notice an nft rule moved from 5061 to 5062"; exit 1
fi
grep -q 'DIFF .* tcp 5061 .*nft=deny' "$tmp/self.out" || { echo "FAIL: self-check: no 5061 difference"; cat "$tmp/self.out"; exit 1; }
python3 "$SRCDIR/tests/review/vendor_diff.py" "$LYNCC" "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/scenarios/*/site.lync
