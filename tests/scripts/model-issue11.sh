#!/bin/sh
# model-issue11.sh - the endpoint model and the issue-11 rows, pinned by
# hand from the seed text (TechNet IDs: Gg398739 = seed 000, Gg398833 =
# 001, JJ205394 = 002, JJ204648 = 003, JJ618373 = 004) on small sites
# written here, and checked on what lyncc emits (`lyncc ir`, and `lyncc
# query -t asa|srx`, which evaluates the generated firewall text).  The
# expectations are not read from the stdlib.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A site users build: clients in two zones, servers in a third, an HLB
# edge, a reverse proxy, a stand-alone Mediation pool behind an HLB and a
# PSTN gateway.
cat >"$tmp/site.lync" <<'EOF'
site model-issue11;
domain contoso.com;
features < sip-federation; >
zone internet external;
zone dmz-ext perimeter < networks 203.0.113.0/24; >
zone dmz-int perimeter < networks 172.16.20.0/24; >
zone servers internal < networks 10.10.1.0/24; >
zone users internal < networks 10.10.64.0/18; >
zone med internal < networks 10.10.40.0/24; >
zone voice internal < networks 10.10.16.0/20; >
zone pstn internal < networks 10.10.200.0/24; >
edge pool edge01 <
  nodes 2;
  lb hlb;
  external < zone dmz-ext; vip access 203.0.113.10; vip webconf 203.0.113.11; vip av 203.0.113.12;
    node 1 < access 203.0.113.21; webconf 203.0.113.22; av 203.0.113.23; >
    node 2 < access 203.0.113.31; webconf 203.0.113.32; av 203.0.113.33; > >
  internal < zone dmz-int; vip 172.16.20.10; node 1 172.16.20.11; node 2 172.16.20.12; >
>
rproxy pool rp < nodes 1; external < zone dmz-ext; node 1 203.0.113.40; >
  internal < zone dmz-int; node 1 172.16.20.40; > >
frontend pool fe01 < nodes 2; lb hlb; zone servers; vip 10.10.1.10;
  node 1 10.10.1.11; node 2 10.10.1.12; cms; monitor-port 5060; >
mediation pool med01 < nodes 2; lb hlb; zone med; vip 10.10.40.50;
  node 1 10.10.40.51; node 2 10.10.40.52; next-hop fe01; >
party internal-clients < zone users voice; >
party pstn-gateways < address 10.10.200.10; zone pstn; sip-port 5067; >
firewall fw-ext < between internet dmz-ext; >
firewall fw-int < between dmz-int servers users voice med pstn; >
loadbalancer hlb-ext < serves edge01.external; >
loadbalancer hlb-int < serves edge01.internal fe01 med01; >
lbservice site.cookie-8443 < vip frontend.vip; members frontend; proto tcp; port 8443; persist cookie; >
EOF

fail=0
# pass|deny FROM TO PROTO PORT -- why (seed row)
check() {
	want=$1 from=$2 to=$3 proto=$4 port=$5
	shift 5
	for t in asa srx; do
		"$LYNCC" query "$tmp/site.lync" --from "$from" --to "$to" --proto "$proto" \
		    --port "$port" -t $t >"$tmp/q" 2>&1
		rc=$?
		case "$want:$rc" in
		pass:0|deny:1) ;;
		*) echo "FAIL [$t] $want $from -> $to $proto $port $*: exit $rc"
		   sed -n 1,12p "$tmp/q"; fail=1 ;;
		esac
	done
}

# issue 10: "any internal" is every internal zone, clients and servers alike
check pass 10.10.70.5 10.10.1.11 tcp 5061 "-- Gg398833 t1 r3 from zone users"
check pass 10.10.17.5 10.10.1.11 tcp 5061 "-- Gg398833 t1 r3 from zone voice"
check pass 10.10.70.5 172.16.20.11 udp 3478 "-- Gg398739 t2 r4 clients media to the edge"
check pass 10.10.1.11 172.16.20.11 tcp 8057 "-- Gg398739 t2 r3 front end to the edge"
# clients of two zones talk peer to peer, bounded to the zones' networks
check pass 10.10.70.5 10.10.17.5 udp 20000 "-- Gg398833 t4 r8 users -> voice"
check deny 10.10.70.5 10.10.1.11 udp 20000 "-- the servers zone is not a client zone"
# issue 11, wrong rows
check pass 10.10.1.11 10.10.40.51 tcp 445 "-- Gg398833 t1 r37 the CMS pushes to the servers"
check deny 10.10.70.5 10.10.1.11 tcp 445 "-- Gg398833 t1 r37 not from clients to the CMS"
# endpoints the seeds name
check pass 10.10.70.5 10.10.1.10 tcp 8080 "-- Gg398833 t2 r5 root certificates at the FE VIP"
check pass 172.16.20.40 10.10.1.11 tcp 4443 "-- Gg398833 t2 r7 / JJ204648 prose: reverse proxy to each FE"
check pass 172.16.20.40 10.10.1.11 tcp 8080 "-- JJ204648 prose: reverse proxy to each FE on 8080"
check pass 172.16.20.40 10.10.1.10 tcp 4443 "-- JJ204648 prose: reverse proxy to the FE pool VIP"
check deny 10.10.70.5 10.10.1.11 tcp 4443 "-- Gg398833 t2 r7: 4443 is from the reverse proxy"
check pass 198.18.0.7 203.0.113.40 tcp 443 "-- reverse proxy listener ([MS-RPPORTS])"
check deny 198.18.0.7 203.0.113.40 tcp 4443 "-- the bridged port is internal only"
# HLB edge nodes originate SIP to the front end (Gg398739 prose; JJ204648 prose)
check pass 172.16.20.11 10.10.1.11 tcp 5061 "-- edge node 1 -> FE"
check pass 172.16.20.12 10.10.1.12 tcp 5061 "-- edge node 2 -> FE"
# Mediation behind an HLB and the PSTN gateway
check pass 10.10.1.11 10.10.40.50 tcp 5070 "-- Gg398833 t2 r15 (English original): Mediation LB"
check pass 10.10.1.11 10.10.40.51 tcp 5070 "-- Gg398833 t1 r46: FE -> Mediation"
check deny 10.10.70.5 10.10.40.51 tcp 5070 "-- clients do not signal to the Mediation Server"
check pass 10.10.200.10 10.10.40.51 tcp 5067 "-- Gg398833 t1 r47: gateway -> Mediation (TLS)"
check pass 10.10.40.51 10.10.200.10 tcp 5067 "-- the site's gateway SIP port (sip-port 5067)"
check deny 10.10.40.51 10.10.200.10 tcp 5060 "-- the site gave 5067, not the default 5060"
check pass 10.10.200.10 10.10.40.51 udp 49152 "-- Gg398833 t1 r39: gateway media to Mediation"

# the IR carries what the backends need
"$LYNCC" ir "$tmp/site.lync" >"$tmp/ir.json" || { echo "FAIL: lyncc ir"; exit 1; }
python3 - "$tmp/ir.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
bad = 0
def want(ok, what):
    global bad
    if not ok:
        print("FAIL:", what); bad = 1
flows = {}
for f in d["flows"]:
    flows.setdefault(f["id"], []).append(f)
# PR 6011: A/V Edge media to federation partners leaves from 50000-59999
f = flows["edge.ext.av-rtp-tcp-50000-out"][0]
want((f["port_low"], f["source_port_low"], f["source_port_high"]) == (443, 50000, 59999),
     "Gg398739 t1 r4 as PR 6011: source 50000-59999 to TCP 443, got %r" % f)
# a party with several zones: one flow per zone
zones = sorted(x["source"]["zone"] for x in flows["fe.sip-tls-5061"])
want({"users", "voice", "pstn"} <= set(zones), "any internal in every internal zone: %r" % zones)
p = [y for y in d["parties"] if y["name"] == "internal-clients"][0]
want(p["zones"] == ["users", "voice"], "party internal-clients zones %r" % p["zones"])
# monitor port from the site, cookie persistence always named
for l in d["lb_services"]:
    if l["pool"] == "fe01":
        want(l["monitor_tcp_port"] == 5060, "%s monitor %r" % (l["id"], l["monitor_tcp_port"]))
    if l["persistence"] == "cookie":
        want(l["cookie"] == "MS-WSMAN", "%s cookie %r" % (l["id"], l["cookie"]))
    want(l["persistence"] == "cookie" or l["cookie"] is None, "%s cookie without persistence" % l["id"])
# the HLB edge as the nodes' gateway (Gg398739 HLB requirements 2, 5, 9):
# VIP-sourced Access flows are translated to the Access VIP, A/V keeps real addresses
fw = {x["flow"]: x for x in d["lb_forwards"]}
x = fw.get("fed.sip-vip.mtls-5061-out")
want(x is not None and x["snat_to"] == ["203.0.113.10"] and
     x["sources"] == ["203.0.113.21", "203.0.113.31"] and x["device"] == "hlb-ext",
     "Access VIP 5061 out forwarded with SNAT to the VIP: %r" % x)
x = fw.get("edge.ext.av-turn-tcp-443-out")
want(x is not None and x["snat_to"] == [] and x["service"] == "av",
     "A/V out forwarded with the real addresses: %r" % x)
sys.exit(bad)
PY

# default-on features: the seed rows are there unless the site turns them off
sed 's/^features < sip-federation; >/features < sip-federation; centralized-logging off; >/' \
    "$tmp/site.lync" >"$tmp/off.lync"
"$LYNCC" flows "$tmp/site.lync" --format csv | grep -q '^edge.int.cls-mtls-50001,' ||
	{ echo "FAIL: Gg398739 t2 r6 (CLS 50001) is unconditional in the seed"; fail=1; }
"$LYNCC" flows "$tmp/off.lync" --format csv | grep -q '^edge.int.cls-mtls-50001,' &&
	{ echo "FAIL: 'centralized-logging off;' keeps CLS 50001"; fail=1; }
# outbound A/V UDP 3478 to any is conditional (Gg398739 t1 r8, JJ205394 t1 r13)
"$LYNCC" flows "$tmp/site.lync" --format csv | grep -q '^edge.ext.av-stun-udp-3478-out,' &&
	{ echo "FAIL: Gg398739 t1 r8 applies only with edge-stun-outbound"; fail=1; }
[ $fail = 0 ] && echo "ok: endpoint model and issue-11 rows"
exit $fail
