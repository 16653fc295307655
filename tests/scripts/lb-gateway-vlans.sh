#!/bin/bash
# lb-gateway-vlans.sh - the HLB's forwarding virtuals for what the edge
# nodes originate (review R5) take only what arrives on the nodes' VLAN.
#
# Expected, by hand from examples/edge-hlb.lync: pool edge01's external
# side is zone dmz-ext, served by hlb-ext; the nodes' external addresses
# are 203.0.113.21/.22/.23 (node 1) and .31/.32/.33 (node 2); Access
# (.21, .31) and A/V (.23, .33) originate traffic (DNS, CRL, federation
# from the Access VIP 203.0.113.10, media).  A load balancer has no
# `interface`, so the VLAN is /Common/dmz-ext (docs/lb-backends.md).
#   -t f5: every `ltm virtual` with ip-forward has `vlans { /Common/dmz-ext }`
#     and `vlans-enabled`, its source one of the six node addresses; Access
#     and A/V of both nodes each have one; an untranslated one (type none)
#     says "any port" in its description;
#   -t f5-as3: every Service_Forwarding has allowVlans
#     [{"bigip": "/Common/dmz-ext"}] and no rejectVlans;
#   the zone renamed (dmz-ext -> perim.a) gives /Common/perim.a;
#   self-check: the f5 output without vlans-enabled, or with another VLAN,
#   must fail the check.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
site="$SRCDIR/examples/edge-hlb.lync"

# check_tmsh FILE VLAN: 0 when every ip-forward virtual is right
check_tmsh() {
	python3 - "$1" "$2" <<'EOF'
import re, sys
text, vlan = open(sys.argv[1]).read(), sys.argv[2]
nodes = {"203.0.113.21", "203.0.113.22", "203.0.113.23",
         "203.0.113.31", "203.0.113.32", "203.0.113.33"}
bad, srcs = [], set()
for m in re.finditer(r"^ltm virtual (\S+) \{\n(.*?)^\}", text, re.M | re.S):
    name, body = m.group(1), m.group(2)
    if "\n    ip-forward\n" not in "\n" + body:
        continue
    v = re.search(r"^    vlans \{\n((?:        \S+\n)*)    \}\n", body, re.M)
    if v is None or v.group(1).split() != [vlan]:
        bad.append(f"{name}: vlans is not {{ {vlan} }}")
    if not re.search(r"^    vlans-enabled$", body, re.M):
        bad.append(f"{name}: no vlans-enabled")
    s = re.search(r"^    source (\S+)/32$", body, re.M)
    if s is None or s.group(1) not in nodes:
        bad.append(f"{name}: source is not one node address")
    else:
        srcs.add(s.group(1))
    if "type none" in body and "any port" not in body.split("\n")[0]:
        bad.append(f"{name}: untranslated, its description does not say any port")
for a in ("203.0.113.21", "203.0.113.31", "203.0.113.23", "203.0.113.33"):
    if a not in srcs:
        bad.append(f"no forwarding virtual from {a}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

"$LYNCC" "$site" -t f5 --device hlb-ext -o "$tmp/ext.tmsh" 2>"$tmp/err" ||
	bad "-t f5 failed: $(cat "$tmp/err")"
check_tmsh "$tmp/ext.tmsh" /Common/dmz-ext || bad "-t f5: forwarding virtuals"

"$LYNCC" "$site" -t f5-as3 --device hlb-ext -o "$tmp/ext.json" 2>"$tmp/err" ||
	bad "-t f5-as3 failed: $(cat "$tmp/err")"
python3 - "$tmp/ext.json" <<'EOF' || bad "-t f5-as3: forwarding services"
import json, sys
d = json.load(open(sys.argv[1]))["declaration"]
n, bad = 0, []
for t in d.values():
    if not isinstance(t, dict) or t.get("class") != "Tenant":
        continue
    for app in t.values():
        if not isinstance(app, dict) or app.get("class") != "Application":
            continue
        for k, o in app.items():
            if isinstance(o, dict) and o.get("class") == "Service_Forwarding":
                n += 1
                if o.get("allowVlans") != [{"bigip": "/Common/dmz-ext"}] or "rejectVlans" in o:
                    bad.append(f"{k}: allowVlans {o.get('allowVlans')}")
if n < 4:
    bad.append(f"{n} Service_Forwarding, want one per Access and A/V node address at least")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

sed 's/dmz-ext/perim.a/g' "$site" >"$tmp/renamed.lync"
"$LYNCC" "$tmp/renamed.lync" -t f5 --device hlb-ext -o "$tmp/ren.tmsh" 2>"$tmp/err" ||
	bad "renamed zone: -t f5 failed: $(cat "$tmp/err")"
check_tmsh "$tmp/ren.tmsh" /Common/perim.a >/dev/null || bad "renamed zone: VLAN is not /Common/perim.a"

# self-check: the check must catch a missing vlans-enabled or a wrong VLAN
grep -v '^    vlans-enabled$' "$tmp/ext.tmsh" >"$tmp/mut1.tmsh"
check_tmsh "$tmp/mut1.tmsh" /Common/dmz-ext >/dev/null && bad "self-check: no vlans-enabled not caught"
sed 's#^        /Common/dmz-ext$#        /Common/external#' "$tmp/ext.tmsh" >"$tmp/mut2.tmsh"
check_tmsh "$tmp/mut2.tmsh" /Common/dmz-ext >/dev/null && bad "self-check: wrong VLAN not caught"

[ $fail = 0 ] && echo "ok: HLB forwarding virtuals enabled on /Common/dmz-ext only (f5, f5-as3)"
exit $fail
