#!/bin/bash
# nft-scenarios.sh - the scenario expectations (tests/scenarios/*/expect.txt,
# by hand from the seed pages) answered by real packets through the -t nft
# ruleset of each firewall, in network namespaces (tests/nft/scen_packets.py
# on tests/nft/packets.py), next to the ASA and SRX readers of
# tests/scenarios/eval.py.  Fails on a difference from the expectation that
# tests/nft/KNOWN-FAILURES does not list, on a listed one that is fixed,
# when nft disagrees with both readers where they agree, or when the flow
# rules' counters do not hold exactly the delivered packets.
# Needs root and network namespaces: SKIP (exit 0) with the reason
# otherwise.  Bounded (timeout 85 s); a trap removes every namespace made.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/nft/netns-lib.sh"
netns_setup "lnsc$$"
tmp=$netns_tmp
timeout -k 5 85 python3 "$SRCDIR/tests/nft/scen_packets.py" --lyncc "$LYNCC" \
    --dir "$SRCDIR/tests/scenarios" --known "$SRCDIR/tests/nft/KNOWN-FAILURES"
rc=$?
left=$(netns_left)
[ "$left" = 0 ] || { echo "FAIL: $left namespaces left behind"; rc=1; }
exit $rc
