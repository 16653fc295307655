#!/bin/bash
# nft-packets.sh - real packets through the compiled nftables rulesets
# (issue 16 item 2).  For each firewall of examples/edge-dns.lync, one
# network namespace for the firewall and one per zone (veth pairs, the
# site's addresses on the zone namespaces, tests/nft/packets.py), the
# `-t nft` ruleset loaded with nft -f, TCP/UDP listeners on the destination
# addresses, and every packet of tests/nft/edge-dns.expect (written by hand
# from JJ205394) sent for real: delivered or dropped as the seed says, and
# counted on the flow's rule (tests/nft/run_expect.py); the same for
# tests/nft/sites/nft-v6.lync (static NAT both ways, IPv6) with
# tests/nft/nft-v6.expect, and for tests/nft/sites/chain.lync, where the
# external flows cross two firewalls chained through a transit zone
# (tests/nft/chain.expect: delivered end to end, counted on both).  Then
# the proof
# that the test can fail: with the rule of one flow deleted from the
# ruleset, exactly that flow's two packets are reported.
# Needs root and network namespaces: SKIP (exit 0) with the reason
# otherwise.  Bounded (timeout 80 s); a trap removes every namespace it made.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/nft/netns-lib.sh"
netns_setup "lnft$$"
tmp=$netns_tmp
fail=0
run="timeout -k 5 80 python3 $SRCDIR/tests/nft/run_expect.py"

$run "$LYNCC" "$SRCDIR/examples/edge-dns.lync" "$SRCDIR/tests/nft/edge-dns.expect" || fail=1
# static NAT (DNAT in, SNAT out) and IPv6, on the backend's own test site
$run "$LYNCC" "$SRCDIR/tests/nft/sites/nft-v6.lync" "$SRCDIR/tests/nft/nft-v6.expect" || fail=1
# zones named like nft keywords, default interface names cut to 15
$run "$LYNCC" "$SRCDIR/tests/nft/sites/nft-names.lync" "$SRCDIR/tests/nft/nft-names.expect" || fail=1
# two firewalls in a path, chained through a transit zone's namespace
$run "$LYNCC" "$SRCDIR/tests/nft/sites/chain.lync" "$SRCDIR/tests/nft/chain.expect" || fail=1

# the test can fail: drop the rule of edge.ext.access-sip-tls-443
$run --drop 'accept comment "edge.ext.access-sip-tls-443:' "$LYNCC" \
    "$SRCDIR/examples/edge-dns.lync" "$SRCDIR/tests/nft/edge-dns.expect" >"$tmp/log" 2>&1
rc=$?
want="fw-edge-ext 192.0.2.50 -> 198.51.100.11 tcp/443: expected pass, nft deny
fw-edge-ext 192.0.2.50 -> 198.51.100.21 tcp/443: expected pass, nft deny"
got=$(grep -o '^  fw-edge-ext [^(]*' "$tmp/log" | sed 's/^  //; s/ *$//')
if [ "$rc" != 1 ] || [ "$got" != "$want" ]; then
	echo "FAIL: with the SIP/TLS 443 rule removed, expected exactly its two packets to fail:"
	cat "$tmp/log"
	fail=1
else
	echo "ok   self-check: without the edge.ext.access-sip-tls-443 rule its two packets are dropped"
fi
left=$(netns_left)
[ "$left" = 0 ] || { echo "FAIL: $left namespaces left behind"; fail=1; }
exit $fail
