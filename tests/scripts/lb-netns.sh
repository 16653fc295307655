#!/bin/bash
# lb-netns.sh - the HAProxy config of the HLB edge example
# (examples/edge-hlb.lync, load balancer hlb-ext) run for real in network
# namespaces: does each member see the client's address where the config
# keeps it (A/V, no SNAT: `source 0.0.0.0 usesrc clientip`) and HAProxy's
# address where it SNATs (Access, Web Conferencing)?
#
#   client ns  c0 192.0.2.50/24 --veth-- lbc 192.0.2.1/24  HAProxy ns
#                                        VIPs 203.0.113.10-12/32 on lo
#   backend ns b0 203.0.113.21-23, .31-33 --veth-- lbb 203.0.113.1/24
#              default route via 203.0.113.1 (the HLB is the edge
#              servers' default gateway, Gg398739 HLB requirements)
#
# In the HAProxy namespace, TPROXY's return path as docs/deploy.md gives it:
# an nft `socket transparent 1` rule marks the members' replies, `ip rule
# fwmark 1 lookup 100` + `ip route add local 0.0.0.0/0 dev lo table 100`
# deliver them to HAProxy's sockets.
#
# Expectations, by hand from the site file (VIPs access .10, webconf .11,
# av .12; node 1 .21/.22/.23, node 2 .31/.32/.33; `snat access webconf;`)
# and the seed (Gg398739, HLB requirements: no SNAT for A/V):
#   203.0.113.10 TCP 443, 5061  -> .21 or .31, seen from 203.0.113.1 (SNAT)
#   203.0.113.11 TCP 443        -> .22 or .32, seen from 203.0.113.1 (SNAT)
#   203.0.113.12 TCP 443        -> .23 or .33, seen from 192.0.2.50 (client)
#   203.0.113.12 UDP 3478       -> no answer: HAProxy does not carry it
#                                  (LYNC-W008, NOT CARRIED in the config)
# Self-check: the same config without its `usesrc clientip` line must make
# the A/V member see HAProxy's address (so the test can fail).
#
# Needs root, network namespaces, ip, nft, python3 and HAProxy built with
# TPROXY: SKIP (exit 0) with the reason otherwise.  Bounded: every command
# has a timeout and the whole script stops after 90 s; a trap kills the
# processes it started and removes its namespaces.
set -u
: "${LYNCC:?LYNCC not set}" "${SRCDIR:?SRCDIR not set}"
if [ -z "${LB_NETNS_BOUNDED:-}" ]; then
	LB_NETNS_BOUNDED=1 exec timeout -k 5 90 bash "$0" "$@"
fi
skip() { echo "SKIP: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (ip netns, veth pairs, TPROXY)"
for c in ip nft python3 haproxy; do
	command -v $c >/dev/null || skip "$c not installed"
done
haproxy -vv 2>/dev/null | grep -q -- '+TPROXY' || skip "haproxy is built without TPROXY"

P="lbn$$"
tmp=$(mktemp -d)
pids=""
fail=0
bad() { echo "FAIL: $*"; fail=1; }
cleanup() {
	local p ns
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	for ns in c lb b; do ip netns del "$P-$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 3' TERM INT

ip netns add "$P-c" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$P-lb" && ip netns add "$P-b" || { bad "ip netns add"; exit 1; }
C="ip netns exec $P-c"
L="ip netns exec $P-lb"
B="ip netns exec $P-b"

# --- the config, as a user would generate it ------------------------------
"$LYNCC" "$SRCDIR/examples/edge-hlb.lync" -t haproxy --device hlb-ext \
    -o "$tmp/hlb-ext.cfg" 2>"$tmp/lyncc.err" || { cat "$tmp/lyncc.err"; bad "lyncc -t haproxy failed"; exit 1; }
grep -q "leaves 1 UDP service out of its config: lb.edge.ext.av-stun-udp-3478" "$tmp/lyncc.err" ||
    bad "no LYNC-W008 warning for UDP 3478"
grep -q "^#   lb.edge.ext.av-stun-udp-3478: .*VIP 203.0.113.12 UDP 3478 -> " "$tmp/hlb-ext.cfg" ||
    bad "the config does not list UDP 3478 as NOT CARRIED"
# what the config says: exactly the A/V TCP 443 backend is transparent
tp=$(awk '/^backend /{b=$2} /^\tsource .* usesrc clientip$/{print b}' "$tmp/hlb-ext.cfg")
[ "$tp" = "pool_contoso-edge-hlb_edge01_lb.edge.ext.av-turn-tcp-443" ] ||
    bad "transparent backends: '$tp', want only the A/V TCP 443 one"

# --- the network -----------------------------------------------------------
net() {
	ip -n "$P-lb" link add lbc type veth peer name c0 netns "$P-c" &&
	ip -n "$P-lb" link add lbb type veth peer name b0 netns "$P-b" &&
	for ns in c lb b; do ip -n "$P-$ns" link set lo up || return 1; done &&
	ip -n "$P-c" addr add 192.0.2.50/24 dev c0 &&
	ip -n "$P-c" link set c0 up &&
	ip -n "$P-c" route add default via 192.0.2.1 &&
	ip -n "$P-lb" addr add 192.0.2.1/24 dev lbc &&
	ip -n "$P-lb" addr add 203.0.113.1/24 dev lbb &&
	for v in 10 11 12; do ip -n "$P-lb" addr add 203.0.113.$v/32 dev lo || return 1; done &&
	ip -n "$P-lb" link set lbc up && ip -n "$P-lb" link set lbb up &&
	for m in 21 22 23 31 32 33; do ip -n "$P-b" addr add 203.0.113.$m/24 dev b0 || return 1; done &&
	ip -n "$P-b" link set b0 up &&
	ip -n "$P-b" route add default via 203.0.113.1 &&
	$L sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lbb.rp_filter=0 \
	    net.ipv4.conf.lbc.rp_filter=0 &&
	# TPROXY's return path (docs/deploy.md, HAProxy)
	ip -n "$P-lb" rule add fwmark 1 lookup 100 &&
	ip -n "$P-lb" route add local 0.0.0.0/0 dev lo table 100
}
net || { bad "could not build the namespaces"; exit 1; }
$L nft -f - <<'EOF' 2>"$tmp/nft.err" || skip "the kernel has no nft socket match (nft_socket): $(cat "$tmp/nft.err")"
table ip lyncc_tproxy {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		meta l4proto tcp socket transparent 1 meta mark set 1 accept
	}
}
EOF

# members: every member address and port of the config, UDP 3478 too
$B timeout 80 python3 "$SRCDIR/tests/lb/netns_tool.py" serve "$tmp/ready" \
    203.0.113.21:443 203.0.113.21:5061 203.0.113.31:443 203.0.113.31:5061 \
    203.0.113.22:443 203.0.113.32:443 203.0.113.23:443 203.0.113.33:443 &
pids="$pids $!"
for _ in $(seq 50); do [ -e "$tmp/ready" ] && break; sleep 0.1; done
[ -e "$tmp/ready" ] || { bad "the member listeners did not start"; exit 1; }

start_haproxy() {	# CONFIG
	$L timeout 80 haproxy -db -f "$1" >"$tmp/haproxy.log" 2>&1 &
	hpid=$!
	pids="$pids $hpid"
	for _ in $(seq 50); do
		$L ss -Hltn 'sport = :443' 2>/dev/null | grep -q 203.0.113.12 && return 0
		sleep 0.1
	done
	cat "$tmp/haproxy.log"
	bad "haproxy did not start listening"
	return 1
}
stop_haproxy() {
	kill "$hpid" 2>/dev/null
	wait "$hpid" 2>/dev/null
}

ask() {	# PROTO VIP PORT -> "MEMBER SEEN" or ERR/NONE
	$C timeout 10 python3 "$SRCDIR/tests/lb/netns_tool.py" "$1" 192.0.2.50 "$2" "$3"
}
expect() {	# VIP PORT "MEMBERS" SEEN-ADDRESS WHAT
	local got member seen
	got=$(ask tcp "$1" "$2")
	member=${got%% *}
	seen=${got#* }
	case " $3 " in
	*" $member "*) ;;
	*) bad "$5: $1:$2 answered '$got', want one of: $3"; return ;;
	esac
	if [ "$seen" = "$4" ]; then
		echo "ok: $5: $1:$2 -> $member, which sees $seen"
	else
		bad "$5: $1:$2 -> $member sees $seen, want $4"
	fi
}

start_haproxy "$tmp/hlb-ext.cfg" || exit 1
expect 203.0.113.10 443 "203.0.113.21 203.0.113.31" 203.0.113.1 "Access SIP/TLS 443 (SNAT)"
expect 203.0.113.10 5061 "203.0.113.21 203.0.113.31" 203.0.113.1 "Access SIP 5061 (SNAT)"
expect 203.0.113.11 443 "203.0.113.22 203.0.113.32" 203.0.113.1 "Web Conferencing PSOM 443 (SNAT)"
expect 203.0.113.12 443 "203.0.113.23 203.0.113.33" 192.0.2.50 "A/V TCP 443 (transparent, no SNAT)"
got=$(ask udp 203.0.113.12 3478)
case $got in
NONE*) echo "ok: A/V UDP 3478 on the VIP: no answer (not carried by HAProxy, LYNC-W008)" ;;
*) bad "A/V UDP 3478 on the VIP answered '$got': something carries it" ;;
esac
stop_haproxy

# self-check: without usesrc the A/V member sees HAProxy, and the test says so
grep -v "usesrc clientip" "$tmp/hlb-ext.cfg" >"$tmp/snat.cfg"
if start_haproxy "$tmp/snat.cfg"; then
	got=$(ask tcp 203.0.113.12 443)
	[ "${got#* }" = 203.0.113.1 ] && echo "ok: self-check: without usesrc the A/V member sees 203.0.113.1" ||
	    bad "self-check: without usesrc the A/V member answered '$got', want it to see 203.0.113.1"
	stop_haproxy
fi
[ $fail = 0 ] && echo "ok: HAProxy in namespaces keeps the client's address exactly where the config says"
exit $fail
