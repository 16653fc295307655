#!/bin/bash
# query-scenarios.sh - `lyncc query -t asa|srx` answers what the generated
# configs do (issue 10 item 2): for every packet of a few scenarios'
# expect.txt, tests/scenarios/eval.py --query asks lyncc query and
# evaluates the same packet on the generated ASA and SRX text with its own
# readers (device semantics from the vendor documentation: ASA un-NAT then
# the ingress ACL, first match; SRX static NAT then the zone pair's
# policies).  Any disagreement fails.  The scenarios cover an internet
# host in no zone (198.18.0.7), public static-NAT addresses
# (edge-dns-nat), ACEs to any on a five-legged ASA (fw-five-legs) and
# flows with a source-port range (ex-edge-hlb, edge-dns-nat).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
out=$(SCEN_TARGETS=asa,srx timeout -k 5 80 python3 "$SRCDIR/tests/scenarios/eval.py" \
	--lyncc "$LYNCC" --dir "$SRCDIR/tests/scenarios" --query \
	edge-dns-nat fw-five-legs ex-edge-hlb 2>&1)
grep '^QUERY ' <<<"$out"
line=$(grep 'packets where lyncc query and the generated text disagree' <<<"$out")
echo "${line:-eval.py printed no query summary}"
case $line in
"0 packets where"*"(of 0 answers"*)
	echo "FAIL: no query answer was compared"; echo "$out" | tail -20; exit 1 ;;
"0 packets where"*)
	exit 0 ;;
*)
	echo "FAIL: lyncc query disagrees with the generated configs"; exit 1 ;;
esac
