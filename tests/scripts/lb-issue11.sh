#!/bin/bash
# lb-issue11.sh - issue 11's load-balancer items in every LB target, with
# expectations written by hand from tests/lb/issue11-site.lync:
#   - health monitor port: fe01 sets `monitor-port 5063`, so every fe01
#     service is monitored on TCP 5063 and nothing on 5061 (the default,
#     Gg398833 / [MS-HLBREQ] port-monitoring table, when the site does not
#     set it);
#   - stand-alone Mediation pool behind the HLB: a service on the Mediation
#     VIP 10.20.2.10 TCP 5070 with members 10.20.2.11 and .12 on 5070,
#     monitored on 5070 (seed 001 t2 r15, English original: the Mediation
#     Server load balancer);
#   - HAProxy: haproxy -c -dW accepts the file; F5 tmsh: f5_reader.py;
#     AS3: as3_check.py (schema and IR).
# (The edge nodes' default gateway and cookie persistence are pinned by
# lb-haproxy-validate/lb-as3-validate goldens, the readers' gateway checks
# and lb-hostile.sh.)
set -u
. "$SRCDIR/tests/lb/lib.sh"
site="$SRCDIR/tests/lb/issue11-site.lync"
lb="$SRCDIR/tests/lb"
"$LYNCC" ir "$site" -o "$tmp/ir.json" || { echo "FAIL: lyncc ir"; exit 1; }
for t in haproxy f5 f5-as3; do
	"$LYNCC" "$site" -t $t -o "$tmp/out.$t" || bad "-t $t failed"
done

# HAProxy
h="$tmp/out.haproxy"
haproxy -c -dW -f "$h" >"$tmp/hc" 2>&1 || { cat "$tmp/hc"; bad "haproxy -c -dW rejects it"; }
python3 "$lb/haproxy_reader.py" "$tmp/ir.json" hlb01 "$h" || bad "haproxy_reader"
n=$(grep -c $'^\tserver fe01-n[12] 10\\.20\\.1\\.1[12]:[0-9]* check port 5063$' "$h")
total=$(grep -c $'^\tserver fe01-' "$h")
[ "$n" -gt 0 ] && [ "$n" = "$total" ] || bad "haproxy: $n of $total fe01 servers checked on 5063"
grep -q 'check port 5061' "$h" && bad "haproxy: a check on 5061 although the site says 5063"
grep -qx $'\tbind 10.20.2.10:5070' "$h" || bad "haproxy: no frontend on the Mediation VIP 10.20.2.10:5070"
grep -qx $'\tserver med01-n1 10.20.2.11:5070 check port 5070' "$h" &&
    grep -qx $'\tserver med01-n2 10.20.2.12:5070 check port 5070' "$h" ||
    bad "haproxy: Mediation members 10.20.2.11/.12:5070 with check port 5070 missing"

# F5 tmsh
f="$tmp/out.f5"
python3 "$lb/f5_reader.py" "$tmp/ir.json" hlb01 "$f" || bad "f5_reader"
grep -q '^    destination \*:5063$' "$f" || bad "f5: no monitor on 5063"
grep -q '^    destination \*:5070$' "$f" || bad "f5: no monitor on 5070"
grep -q '^    destination \*:5061$' "$f" && bad "f5: a monitor on 5061 although the site says 5063"
grep -q '^    destination /lyncc_mon/10.20.2.10:5070$' "$f" || bad "f5: no virtual on 10.20.2.10:5070"
grep -q '^        /lyncc_mon/10.20.2.11:5070 {$' "$f" && grep -q '^        /lyncc_mon/10.20.2.12:5070 {$' "$f" ||
    bad "f5: Mediation pool members missing"

# AS3
python3 "$lb/as3_check.py" "$tmp/ir.json" hlb01 "$tmp/out.f5-as3" || bad "as3_check"
python3 - "$tmp/out.f5-as3" <<'PY' || bad "as3: monitor ports or the Mediation service wrong"
import json, sys
app = json.load(open(sys.argv[1]))["declaration"]["lyncc_mon"]["hlb01"]
mons = sorted(o["targetPort"] for o in app.values() if isinstance(o, dict) and o.get("class") == "Monitor")
assert mons == [5063, 5070], mons
med = [o for o in app.values() if isinstance(o, dict) and o.get("class") == "Service_TCP"
       and o["virtualAddresses"] == ["10.20.2.10"]]
assert len(med) == 1 and med[0]["virtualPort"] == 5070, med
pool = app[med[0]["pool"]]
assert pool["members"] == [{"serverAddresses": ["10.20.2.11", "10.20.2.12"], "servicePort": 5070}], pool
assert pool["monitors"] == [{"use": "mon_tcp_5070"}], pool
PY
[ $fail = 0 ] && echo "ok: monitor port 5063 and the Mediation 5070 service in haproxy, f5, f5-as3"
exit $fail
