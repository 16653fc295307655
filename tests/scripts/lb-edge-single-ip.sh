#!/bin/bash
# lb-edge-single-ip.sh - one public address for the three edge services
# (`port access 5061; port webconf 444; port av 443;`), on every target:
#
#   tests/lb/edge-single-ip-hlb.lync (HLB, VIP 203.0.113.10 shared, nodes
#   .11 and .12 each shared):
#     F5 tmsh, F5 AS3: one virtual per VIP port, written by hand from seed
#       000 t3 (Gg398739 external interface VIP r3-r8) with the site's
#       ports: TCP 5061 (Access: client SIP t3 r3 moved onto 5061, which
#       federation t3 r4-5 has anyway: one virtual), TCP 444 (Web
#       Conferencing, t3 r6), TCP 443 (A/V, t3 r8), UDP 3478 (A/V, t3 r7,
#       health monitor on the A/V port 443); no virtual on TCP 443 for Access
#       or Web Conferencing; distinct names; the AS3 schema and
#       tests/lb/as3_check.py; the F5 reader (tests/lb/f5_reader.py);
#     HAProxy (its TCP services; UDP 3478 is LYNC-W008): binds on .10:5061,
#       :444, :443, haproxy -c, tests/lb/haproxy_reader.py;
#     nft, SRX, ASA for the firewalls: nft -c, yanglint, and the moved
#       ports in the rules (5061, 444 to the VIP; no 443 to Access);
#   tests/scenarios/edge-single-ip/site.lync (DNS LB): nft -c and yanglint
#     (its packets are the scenario tests');
#   tests/golden/check/edge-single-ip-nat-ok.lync (behind NAT): one static
#     NAT for the three services (nft, ASA).
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
site="$SRCDIR/tests/lb/edge-single-ip-hlb.lync"
dns="$SRCDIR/tests/scenarios/edge-single-ip/site.lync"

"$LYNCC" ir "$site" -o "$tmp/ir.json" 2>"$tmp/err" || { cat "$tmp/err"; bad "lyncc ir"; exit 1; }
"$LYNCC" check "$site" >"$tmp/out" 2>&1 || { cat "$tmp/out"; bad "lyncc check"; }
[ "$(grep -c "warning: .*LYNC-W009" "$tmp/out")" = 1 ] || bad "want one LYNC-W009 for the shared address"
grep -q "error" "$tmp/out" && bad "lyncc check reports an error"

# ---- F5 tmsh -----------------------------------------------------------------
"$LYNCC" "$site" -t f5 --device hlb-ext --no-header -o "$tmp/ext.tmsh" 2>/dev/null ||
    bad "-t f5 hlb-ext"
dests=$(grep -oE 'destination /lyncc_single-hlb/203\.0\.113\.10:[0-9]+' "$tmp/ext.tmsh" |
    sed 's/.*://' | sort -n | tr '\n' ' ')
[ "$dests" = "443 444 3478 5061 " ] || bad "f5: VIP ports are '$dests', want 443 444 3478 5061"
names=$(grep -c '^ltm virtual /' "$tmp/ext.tmsh")
uniq=$(grep '^ltm virtual /' "$tmp/ext.tmsh" | sort -u | wc -l)
[ "$names" = "$uniq" ] || bad "f5: virtual names collide"
grep -q 'access-sip-443' "$tmp/ext.tmsh" && bad "f5: a second Access virtual (443 moved onto 5061 is federation's)"
grep -q 'cite: site: port webconf 444; in edge pool edge1 (line 18)' "$tmp/ext.tmsh" ||
    bad "f5: the Web Conferencing virtual does not cite the site's port line"
grep -A12 'av-stun-udp-3478_mon\|tcp_443 {' "$tmp/ext.tmsh" >/dev/null
python3 "$SRCDIR/tests/lb/f5_reader.py" "$tmp/ir.json" hlb-ext "$tmp/ext.tmsh" || bad "f5_reader"
# forwarding virtuals: one per (node address, protocol, port), not per service
fw=$(grep -c '^ltm virtual /lyncc_single-hlb/edge1_gw_' "$tmp/ext.tmsh")
fwu=$(awk '/^ltm virtual .*_gw_/{g=1} g&&/destination|ip-protocol|source /{k=k" "$2} /^}/{if(g)print k; g=0; k=""}' \
    "$tmp/ext.tmsh" | sort -u | wc -l)
[ "$fw" = "$fwu" ] && [ "$fw" -gt 0 ] || bad "f5: $fw forwarding virtuals, $fwu distinct"

# ---- F5 AS3 ------------------------------------------------------------------
if python3 -c 'import jsonschema' 2>/dev/null; then
	"$LYNCC" "$site" -t f5-as3 --device hlb-ext --no-header -o "$tmp/ext.as3.json" 2>/dev/null ||
	    bad "-t f5-as3 hlb-ext"
	python3 "$SRCDIR/tests/lb/as3_check.py" "$tmp/ir.json" hlb-ext "$tmp/ext.as3.json" ||
	    bad "as3_check"
	ports=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))["declaration"]
app = [v for k, v in d.items() if isinstance(v, dict) and v.get("class") == "Tenant"][0]
app = [v for k, v in app.items() if isinstance(v, dict) and v.get("class") == "Application"][0]
print(" ".join(str(p) for p in sorted(v["virtualPort"] for v in app.values()
    if isinstance(v, dict) and v.get("class", "").startswith("Service_") and
    v.get("virtualAddresses") == ["203.0.113.10"])))' "$tmp/ext.as3.json")
	[ "$ports" = "443 444 3478 5061" ] || bad "as3: VIP ports '$ports'"
else
	echo "note: python3-jsonschema missing: AS3 not checked"
fi

# ---- HAProxy (TCP services; UDP 3478 is left out with LYNC-W008) -----------
if "$LYNCC" "$site" -t haproxy --device hlb-ext --no-header -o "$tmp/ext.haproxy.cfg" \
    2>"$tmp/err"; then
	b=$(grep -oE 'bind 203\.0\.113\.10:[0-9]+' "$tmp/ext.haproxy.cfg" | sed 's/.*://' | sort -n | tr '\n' ' ')
	[ "$b" = "443 444 5061 " ] || bad "haproxy: binds '$b', want 443 444 5061"
	if command -v haproxy >/dev/null; then
		haproxy -c -dW -f "$tmp/ext.haproxy.cfg" >"$tmp/hc" 2>&1 ||
		    { cat "$tmp/hc"; bad "haproxy -c"; }
	fi
	python3 "$SRCDIR/tests/lb/haproxy_reader.py" "$tmp/ir.json" hlb-ext "$tmp/ext.haproxy.cfg" ||
	    bad "haproxy_reader"
else
	cat "$tmp/err"
	bad "-t haproxy hlb-ext"
fi

# ---- firewalls ---------------------------------------------------------------
for s in "$site" "$dns"; do
	n=$(basename "$(dirname "$s")")-$(basename "$s" .lync)
	for d in fw-ext fw-int; do
		"$LYNCC" "$s" -t srx --device $d --no-header -o "$tmp/$n.$d.srx.xml" 2>/dev/null ||
		    bad "$n $d: -t srx"
		if command -v yanglint >/dev/null && command -v xsltproc >/dev/null; then
			sh "$SRCDIR/tests/validators/srx-validate.sh" "$tmp/$n.$d.srx.xml" >"$tmp/log" 2>&1 ||
			    { cat "$tmp/log"; bad "$n $d: yanglint"; }
		fi
		"$LYNCC" "$s" -t nft --device $d -o "$tmp/$n.$d.nft" 2>/dev/null || bad "$n $d: -t nft"
		if command -v nft >/dev/null && unshare -rn true 2>/dev/null; then
			unshare -rn nft -c -f "$tmp/$n.$d.nft" >"$tmp/log" 2>&1 ||
			    { cat "$tmp/log"; bad "$n $d: nft -c"; }
		fi
		"$LYNCC" "$s" -t asa --device $d -o "$tmp/$n.$d.asa" 2>/dev/null || bad "$n $d: -t asa"
	done
done
# HLB fw-ext, by hand from seed 000 t3 with the site's ports: to the VIP
# TCP 5061 (Access), 444 (Web Conferencing), 443 (A/V), UDP 3478; not 443
# to the Access VIP role, and the A/V nodes keep 443 and 3478 (t1 r9-10).
nf="$tmp/lb-edge-single-ip-hlb.fw-ext.nft"
grep -q 'ip daddr @v4_edge1_access_vip tcp dport 5061 .*edge.ext-vip.access-sip-tls-443' "$nf" ||
    bad "nft: client SIP to the Access VIP is not on 5061"
grep -q 'ip daddr @v4_edge1_webconf_vip tcp dport 444 ' "$nf" || bad "nft: PSOM to the VIP not on 444"
grep -q 'ip daddr @v4_edge1_av_vip tcp dport 443 ' "$nf" || bad "nft: A/V TCP to the VIP not on 443"
grep -q 'ip daddr @v4_edge1_access_vip tcp dport 443 ' "$nf" && bad "nft: TCP 443 to the Access VIP role"
grep -q 'ip daddr @v4_edge1_av tcp dport 443 ' "$nf" || bad "nft: A/V nodes lost TCP 443"
# the citations: the seed row, then the site's port line (DNS site, ASA)
a="$tmp/edge-single-ip-site.fw-ext.asa"
grep -q '^! edge.ext.access-sip-tls-443 cite: JJ205394 t1 r5$' "$a" ||
    bad "asa: client SIP does not cite JJ205394 t1 r5"
grep -q '^! edge.ext.access-sip-tls-443 cite: site: port access 5061; in edge pool edge1ip (line 22)$' "$a" ||
    bad "asa: client SIP does not cite the site's port line"
# behind static NAT: the three services' one translation, written once
nat="$SRCDIR/tests/golden/check/edge-single-ip-nat-ok.lync"
"$LYNCC" "$nat" -t nft --device fw-ext -o "$tmp/nat.nft" 2>/dev/null || bad "nat: -t nft"
[ "$(grep -c 'dnat ip to 172.16.0.11' "$tmp/nat.nft")" = 1 ] || bad "nat: want one dnat"
[ "$(grep -c 'snat ip to 203.0.113.11' "$tmp/nat.nft")" = 1 ] || bad "nat: want one snat"
"$LYNCC" "$nat" -t asa --device fw-ext -o "$tmp/nat.asa" 2>/dev/null || bad "nat: -t asa"
[ "$(grep -c '^ nat (dmz-ext,internet) static 203.0.113.11' "$tmp/nat.asa")" = 1 ] ||
    bad "nat: want one ASA static NAT"
[ $fail = 0 ] && echo "ok: single public address on every target"
exit $fail
