#!/bin/bash
# A long firewall chain (tests/review/long-chain.lync: 20 firewalls, routes
# of 9 hops on average) permits the same packets on ASA, SRX and nft.  Past
# 8 hops a flow, asa and srx read each firewall's flow classes
# (compiler/expand.c attach_fwflows: a party's per-zone flows walked once),
# while nft reads every flow, so this compares the two paths.  Self-check
# first: the site really is past the 8 hops.
set -eu
: "${LYNCC:?}" "${SRCDIR:?}"
site="$SRCDIR/tests/review/long-chain.lync"
"$LYNCC" flows "$site" --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
hops = sum(len(r["path"].split()) for r in rows)
if hops <= 8 * len(rows):
    print("FAIL: long-chain.lync has %d hops for %d flows: not past 8 a flow" % (hops, len(rows)))
    sys.exit(1)
'
python3 "$SRCDIR/tests/review/vendor_diff.py" "$LYNCC" "$site"
