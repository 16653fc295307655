#!/bin/bash
# lb-reader-selftest.sh - the LB test-side checkers reject what they must
# (so that a passing lb-* test means something).  From examples/edge-hlb.lync
# (device hlb-ext: A/V without SNAT, the edge nodes' gateway):
#   f5_reader.py accepts the generated file, and rejects it after each of:
#     SNAT automap on the A/V TURN virtual; an extra (injected) virtual; an
#     object in /Common; the Access snatpool translating to another address;
#     a forwarding virtual removed; a gateway virtual translating A/V;
#   as3_check.py accepts the declaration, and rejects it after each of:
#     an unknown pool property (schema: Pool has no additional
#     properties); snat auto on an A/V service; a pool member removed; a
#     forwarding service removed; a monitor on 5061 turned into 5062.
set -u
. "$SRCDIR/tests/lb/lib.sh"
site="$SRCDIR/examples/edge-hlb.lync"
"$LYNCC" ir "$site" -o "$tmp/ir.json" || { echo "FAIL: lyncc ir"; exit 1; }
"$LYNCC" "$site" -t f5 --device hlb-ext -o "$tmp/ok.tmsh" || { echo "FAIL: -t f5"; exit 1; }
"$LYNCC" "$site" -t f5-as3 --device hlb-ext -o "$tmp/ok.json" || { echo "FAIL: -t f5-as3"; exit 1; }
r="$SRCDIR/tests/lb/f5_reader.py"
python3 "$r" "$tmp/ir.json" hlb-ext "$tmp/ok.tmsh" >/dev/null || bad "f5_reader rejects the generated file"
mutate() {	# NAME PYTHON-EXPRESSION-ON-s
	python3 -c "import sys; s = open(sys.argv[1]).read(); s2 = $2; assert s2 != s, 'no change'; open(sys.argv[2], 'w').write(s2)" \
	    "$tmp/ok.tmsh" "$tmp/m.tmsh" || { bad "mutation '$1' did not apply"; return; }
	python3 "$r" "$tmp/ir.json" hlb-ext "$tmp/m.tmsh" >/dev/null && bad "f5_reader accepts: $1"
}
av='ltm virtual /lyncc_contoso-edge-hlb/contoso-edge-hlb_edge01_lb.edge.ext.av-turn-tcp-443_vs {'
mutate "A/V SNAT" "s[:s.index('''$av''')] + s[s.index('''$av'''):].replace('type none', 'type automap', 1)"
mutate "injected virtual" "s + 'ltm virtual /lyncc_contoso-edge-hlb/evil {\n    destination /lyncc_contoso-edge-hlb/198.51.100.1:22\n    ip-protocol tcp\n    mask 255.255.255.255\n}\n'"
mutate "object in /Common" "s.replace('ltm node /lyncc_contoso-edge-hlb/203.0.113.21 {', 'ltm node /Common/203.0.113.21 {', 1)"
mutate "snatpool to another address" "s.replace('        /lyncc_contoso-edge-hlb/203.0.113.10\n    }', '        /lyncc_contoso-edge-hlb/203.0.113.11\n    }', 1)"
mutate "gateway virtual removed" "s[:s.index('ltm virtual /lyncc_contoso-edge-hlb/edge01_gw_n2_av_udp {')] + s[s.index('}\n', s.index('ltm virtual /lyncc_contoso-edge-hlb/edge01_gw_n2_av_udp {')) + 2:]"
mutate "A/V gateway translated" "s[:s.index('ltm virtual /lyncc_contoso-edge-hlb/edge01_gw_n1_av_udp {')] + s[s.index('ltm virtual /lyncc_contoso-edge-hlb/edge01_gw_n1_av_udp {'):].replace('        type none\n', '        pool /lyncc_contoso-edge-hlb/edge01_access_vip_snat\n        type snat\n', 1)"

a="$SRCDIR/tests/lb/as3_check.py"
python3 "$a" "$tmp/ir.json" hlb-ext "$tmp/ok.json" >/dev/null || bad "as3_check rejects the generated declaration"
amutate() {	# NAME PYTHON-STATEMENTS-ON-app
	python3 - "$tmp/ok.json" "$tmp/m.json" "$2" <<'PY' || { bad "AS3 mutation '$1' did not apply"; return; }
import json, sys
d = json.load(open(sys.argv[1]))
app = d["declaration"]["lyncc_contoso-edge-hlb"]["hlb-ext"]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
	python3 "$a" "$tmp/ir.json" hlb-ext "$tmp/m.json" >/dev/null && bad "as3_check accepts: $1"
}
avs='contoso-edge-hlb_edge01_lb.edge.ext.av-turn-tcp-443_vs'
amutate "unknown pool property (schema)" "app[app['$avs']['pool']]['bogus'] = 1"
amutate "A/V snat auto" "app['$avs']['snat'] = 'auto'"
amutate "member removed" "app[app['$avs']['pool']]['members'][0]['serverAddresses'].pop()"
amutate "forwarding service removed" "del app['edge01_gw_n1_av_udp']"
amutate "monitor port" "app['mon_tcp_5061']['targetPort'] = 5062"
[ $fail = 0 ] && echo "ok: the F5 and AS3 checkers reject every mutation"
exit $fail
