#!/bin/bash
# lb-rproxy.sh - an HLB in front of the reverse proxy (issue 11, Roles:
# reverse proxy), in every LB target, with expectations written by hand
# from tests/scenarios/rproxy-hlb/site.lync and [MS-RPPORTS] / [MS-HLBREQ]
# (/work/shared/design/lync-lb-requirements.md sections 2.3, 2.4):
#   - hlb-rp: the listener VIP 192.0.2.10 on TCP 443 and TCP 80
#     ([MS-RPPORTS]: any -> reverse proxy listener 443, 80 optional), each
#     to the nodes 192.0.2.11 and .12 on the same port, no persistence
#     ([MS-HLBREQ]: external web services FQDN, no affinity), and nothing
#     else (no 4443/8080 on the outside);
#   - hlb-fe: the external web services VIP 10.60.1.9 on 443 -> 4443 and
#     80 -> 8080 ([MS-HLBREQ] port monitoring table), which the firewall
#     side of the same site lets the reverse proxy reach (the scenario);
#   - HAProxy: haproxy -c -dW accepts both files; F5 tmsh: f5_reader.py;
#     AS3: as3_check.py (schema and IR).
set -u
. "$SRCDIR/tests/lb/lib.sh"
site="$SRCDIR/tests/scenarios/rproxy-hlb/site.lync"
lb="$SRCDIR/tests/lb"
P=lyncc_scen-rproxy-hlb
"$LYNCC" ir "$site" -o "$tmp/ir.json" || { echo "FAIL: lyncc ir"; exit 1; }
for d in hlb-rp hlb-fe; do
	for t in haproxy f5 f5-as3; do
		"$LYNCC" "$site" -t $t --device $d -o "$tmp/$d.$t" || bad "-t $t --device $d failed"
	done
	haproxy -c -dW -f "$tmp/$d.haproxy" >"$tmp/hc" 2>&1 || { cat "$tmp/hc"; bad "haproxy -c -dW rejects $d"; }
	python3 "$lb/haproxy_reader.py" "$tmp/ir.json" $d "$tmp/$d.haproxy" || bad "haproxy_reader $d"
	python3 "$lb/f5_reader.py" "$tmp/ir.json" $d "$tmp/$d.f5" || bad "f5_reader $d"
	python3 "$lb/as3_check.py" "$tmp/ir.json" $d "$tmp/$d.f5-as3" || bad "as3_check $d"
done

# HAProxy: exactly two listeners on the reverse proxy VIP, members on the same ports
h="$tmp/hlb-rp.haproxy"
[ "$(grep -c $'^\tbind ' "$h")" = 2 ] || bad "haproxy: hlb-rp has $(grep -c $'^\tbind ' "$h") listeners, want 2"
for p in 443 80; do
	grep -qx $'\tbind 192.0.2.10:'$p "$h" || bad "haproxy: no listener 192.0.2.10:$p"
	grep -qx $'\tserver rp-n1 192.0.2.11:'$p' check port 443' "$h" &&
	    grep -qx $'\tserver rp-n2 192.0.2.12:'$p' check port 443' "$h" || bad "haproxy: members of $p"
done
grep -q 'stick\|cookie' "$h" && bad "haproxy: persistence on the reverse proxy VIP"
grep -qx $'\tbind 10.60.1.9:443' "$tmp/hlb-fe.haproxy" && grep -qx $'\tbind 10.60.1.9:80' "$tmp/hlb-fe.haproxy" ||
    bad "haproxy: no external web services VIP 10.60.1.9:443/80"
grep -q $'^\tserver fe1-n1 10.60.1.11:4443 ' "$tmp/hlb-fe.haproxy" || bad "haproxy: 443 -> 4443 missing"

# F5 tmsh
f="$tmp/hlb-rp.f5"
for p in 443 80; do
	grep -q "^    destination /$P/192.0.2.10:$p\$" "$f" || bad "f5: no virtual on 192.0.2.10:$p"
	grep -q "^        /$P/192.0.2.11:$p {\$" "$f" && grep -q "^        /$P/192.0.2.12:$p {\$" "$f" ||
	    bad "f5: members of $p"
done
[ "$(grep -c '^ltm virtual /' "$f")" = 2 ] || bad "f5: hlb-rp has $(grep -c '^ltm virtual /' "$f") virtuals, want 2"
grep -v '^#' "$f" | grep -q 'persist' && bad "f5: persistence on the reverse proxy VIP"

# AS3
python3 - "$tmp/hlb-rp.f5-as3" <<'PY' || bad "as3: the reverse proxy services wrong"
import json, sys
app = json.load(open(sys.argv[1]))["declaration"]["lyncc_scen-rproxy-hlb"]["hlb-rp"]
vs = sorted((o["virtualPort"], o["pool"]) for o in app.values()
            if isinstance(o, dict) and o.get("class") == "Service_TCP")
assert [p for p, _ in vs] == [80, 443], vs
for port, pool in vs:
    svc = [o for o in app.values() if isinstance(o, dict) and o.get("pool") == pool][0]
    assert svc["virtualAddresses"] == ["192.0.2.10"], svc
    assert svc["persistenceMethods"] == [], svc
    assert app[pool]["members"] == [{"serverAddresses": ["192.0.2.11", "192.0.2.12"],
                                     "servicePort": port}], app[pool]
PY
# Allocation: with `addresses from 192.0.2.32/28;` the VIP comes first
# (.33, docs/language.md: VIPs first, then each node), the nodes .34, .35;
# the internet reaches 443 and 80 on the VIP and no node.
sed 's|lb hlb; vip 192.0.2.10; node 1 192.0.2.11; node 2 192.0.2.12;|lb hlb; addresses from 192.0.2.32/28;|' \
    "$site" >"$tmp/alloc.lync"
grep -q 'addresses from 192.0.2.32/28' "$tmp/alloc.lync" || bad "alloc site not made"
"$LYNCC" flows "$tmp/alloc.lync" --format csv >"$tmp/alloc.csv" || bad "flows of the allocated site"
for p in 443 80; do
	grep -q "^rp\.ext-vip-[a-z]*-$p,tcp,$p,internet,rp.external-vip,any,192.0.2.33,fw-ext," "$tmp/alloc.csv" ||
	    bad "allocated VIP 192.0.2.33 does not get $p from the internet"
done
grep -q '^rp\.ext-http' "$tmp/alloc.csv" && bad "the nodes get a rule from the internet although an HLB fronts them"
"$LYNCC" ir "$tmp/alloc.lync" | grep -q '"192.0.2.34"' || bad "node 1 is not 192.0.2.34"
[ $fail = 0 ] && echo "ok: the reverse proxy VIP 443/80 and the external web services VIP in haproxy, f5, f5-as3"
exit $fail
