#!/bin/sh
# perf-local-flows.sh - the flows inside one zone (they cross no device) are
# listed by `flows`, `ir` and `query`, and nothing else needs them: device
# output is built without them, so N front-end pools in one zone no longer
# give N^2 flows to compile (issue 14, the bench `alloc` shape).
# Expected by hand, from the site below and the seeds:
# - fe1, fe2 and fe3 are front-end pools in zone corp.  Gg398833 t1 (FE
#   port 444, "between the focus and the individual servers"), encoded as
#   fe.https-444 `from frontend; to frontend`, gives one flow per ordered
#   pair of different pools: 3 x 2 = 6, none inside one pool; each lists
#   an empty path (same zone).
# - the Director dir1 is in corp too: JJ204648 "single director" row 3,
#   dir.fe-https-444, Director -> each FE pool: 3 flows, same zone.
# - `query` 10.1.0.1 (fe1 node 1) -> 10.1.0.17 (fe2 node 1) tcp 444 is
#   permitted by fe.https-444, "(same zone)".
# - fw sits between corp and dmz-int: no 444 flow crosses it, so its ASA
#   config has no fe.https-444 and no dir.fe-https-444 (they are in corp),
#   and it does hold the edge's SIP 5061 to the front end (JJ204648 prose
#   1, fe.edge-sip-mtls-5061: the edge internal side in dmz-int -> the
#   pools in corp).
# - `check` reports nothing: zone corp is used (pools sit in it).
set -u
: "${LYNCC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cat >"$tmp/local.lync" <<'EOF'
site t; domain t.example;
zone internet external;
zone dmz-ext perimeter;
zone dmz-int perimeter;
zone corp internal;
edge pool edge1 < nodes 1; external < zone dmz-ext; addresses from 192.0.2.0/28; > internal < zone dmz-int; node 1 172.16.0.10; > >
frontend pool fe1 < nodes 1; zone corp; node 1 10.1.0.1; >
frontend pool fe2 < nodes 1; zone corp; node 1 10.1.0.17; >
frontend pool fe3 < nodes 1; zone corp; node 1 10.1.0.33; >
director pool dir1 < nodes 1; zone corp; node 1 10.1.0.50; >
firewall fw < between dmz-int corp; >
firewall fwx < between internet dmz-ext; >
EOF
"$LYNCC" check "$tmp/local.lync" >"$tmp/check" 2>&1 ||
	{ echo "FAIL: check exited non-zero:"; cat "$tmp/check"; fail=1; }
[ -s "$tmp/check" ] && { echo "FAIL: check reported:"; cat "$tmp/check"; fail=1; }

"$LYNCC" flows "$tmp/local.lync" --format csv >"$tmp/flows" 2>&1 ||
	{ echo "FAIL: flows exited non-zero"; fail=1; }
# id,proto,ports,from,to,from_addresses,to_addresses,path,...
cut -d, -f1,4,5,8 "$tmp/flows" | grep '^fe\.https-444,' | LC_ALL=C sort >"$tmp/got444"
cat >"$tmp/want444" <<'EOF'
fe.https-444,fe1,fe2,
fe.https-444,fe1,fe3,
fe.https-444,fe2,fe1,
fe.https-444,fe2,fe3,
fe.https-444,fe3,fe1,
fe.https-444,fe3,fe2,
EOF
diff "$tmp/want444" "$tmp/got444" >/dev/null ||
	{ echo "FAIL: fe.https-444 flows (want, got):"; cat "$tmp/want444" "$tmp/got444"; fail=1; }
cut -d, -f1,4,5,8 "$tmp/flows" | grep '^dir\.fe-https-444,' | LC_ALL=C sort >"$tmp/gotdir"
printf 'dir.fe-https-444,dir1,fe1,\ndir.fe-https-444,dir1,fe2,\ndir.fe-https-444,dir1,fe3,\n' >"$tmp/wantdir"
diff "$tmp/wantdir" "$tmp/gotdir" >/dev/null ||
	{ echo "FAIL: dir.fe-https-444 flows (want, got):"; cat "$tmp/wantdir" "$tmp/gotdir"; fail=1; }

# `ir` lists them too (one JSON object per flow, "id" first)
"$LYNCC" ir "$tmp/local.lync" >"$tmp/ir" 2>&1 || { echo "FAIL: ir exited non-zero"; fail=1; }
n=$(grep -o '"id": *"fe\.https-444"' "$tmp/ir" | wc -l)
[ "$n" -eq 6 ] || { echo "FAIL: ir lists $n fe.https-444 flows, want 6"; fail=1; }

"$LYNCC" query "$tmp/local.lync" --from 10.1.0.1 --to 10.1.0.17 --proto tcp --port 444 \
    >"$tmp/q" 2>&1 || { echo "FAIL: query fe1 -> fe2 444 not permitted:"; cat "$tmp/q"; fail=1; }
grep -q 'flow fe.https-444' "$tmp/q" || { echo "FAIL: query does not name fe.https-444"; fail=1; }
grep -q '(same zone)' "$tmp/q" || { echo "FAIL: query does not say (same zone)"; fail=1; }

"$LYNCC" "$tmp/local.lync" -t asa --device fw -o "$tmp/fw.cfg" 2>"$tmp/err" ||
	{ echo "FAIL: -t asa exited non-zero:"; cat "$tmp/err"; fail=1; }
grep -Eq 'https-444([^0-9]|$)' "$tmp/fw.cfg" && { echo "FAIL: fw holds a 444 flow inside corp"; fail=1; }
grep -q '^! fe.edge-sip-mtls-5061: edge1.internal -> frontend$' "$tmp/fw.cfg" ||
	{ echo "FAIL: fw lacks fe.edge-sip-mtls-5061"; fail=1; }

# 1,415 one-node front-end pools in corp: fe.https-444 alone gives
# 1415 x 1414 = 2,000,810 flows inside corp, over the listings' 2,000,000
# (docs/language.md "Limits"): `flows` stops with one error naming the
# site and writes nothing; `check` and device output leave those flows
# out and work (no error).
awk 'BEGIN {
	print "site big; domain t.example;"
	print "zone internet external;"
	print "zone dmz-ext perimeter;"
	print "zone dmz-int perimeter;"
	print "zone corp internal;"
	print "edge pool edge1 < nodes 1; external < zone dmz-ext; addresses from 192.0.2.0/28; > internal < zone dmz-int; node 1 172.16.0.10; > >"
	for (i = 1; i <= 1415; i++)
		printf "frontend pool fe%d < nodes 1; zone corp; node 1 10.2.%d.%d; >\n", i, int(i / 250), i % 250 + 1
	print "firewall fw < between dmz-int corp; >"
	print "firewall fwx < between internet dmz-ext; >"
}' >"$tmp/big.lync"
"$LYNCC" flows "$tmp/big.lync" >"$tmp/bigflows" 2>"$tmp/bigerr"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: flows on 2,000,810 local flows exited $rc, want 1"; fail=1; }
[ -s "$tmp/bigflows" ] && { echo "FAIL: flows wrote output after its error"; fail=1; }
grep -q "^$tmp/big.lync:1:6: error: site 'big' has more than 2000000 flows inside single zones" "$tmp/bigerr" ||
	{ echo "FAIL: no limit error:"; head -5 "$tmp/bigerr"; fail=1; }
[ "$(grep -c 'error:' "$tmp/bigerr")" -eq 1 ] || { echo "FAIL: not one error:"; cat "$tmp/bigerr"; fail=1; }
"$LYNCC" check "$tmp/big.lync" >"$tmp/bigcheck" 2>&1 ||
	{ echo "FAIL: check on the big site failed:"; head -5 "$tmp/bigcheck"; fail=1; }
grep -q 'error' "$tmp/bigcheck" && { echo "FAIL: check reported an error:"; head -5 "$tmp/bigcheck"; fail=1; }
[ $fail -eq 0 ] && echo "perf-local-flows: flows inside one zone are listed, and left out of device output"
exit $fail
