#!/bin/bash
# lb-live.sh - the HAProxy backend's config, live, on loopback (issue 6).
#
# Compiles tests/lb/live-site.lync (a front-end pool: VIP 127.0.10.10, nodes
# 127.0.10.11-13) with -t haproxy, starts real TCP backends on the nodes
# (tests/lb/live_tool.py: each answers with its own address) and haproxy with
# the generated config (plus a stats socket), then checks:
#   1. connections to VIP:443, VIP:4443 and VIP:5061 reach the members
#      (4443 has no persistence: every member gets some);
#   2. source persistence (443): each client address stays on one member;
#   3. when node 2's 5061 stops answering (the health check of every
#      service is TCP 5061), traffic goes only to nodes 1 and 3.
# Needs root (the VIP ports are below 1024); without it prints SKIP and
# exits 0.  Every wait is bounded; a trap stops every process it started.
set -u
# Every loopback address 127.0.NN.x (NN 10-99) of this script and its site
# moves to 127.R.NN.x, R random per run, so that parallel runs (other
# checkouts testing on the same machine) never share a VIP: two HAProxies
# on one VIP:port (SO_REUSEPORT) would split the connections between them.
if [ -z "${LB_NET:-}" ]; then
	export LB_NET=$(( RANDOM % 200 + 20 ))
	me=$(mktemp)
	sed "s/127\.0\.\([1-9][0-9]\)\./127.$LB_NET.\1./g" "$0" >"$me"
	bash "$me"
	rc=$?
	rm -f "$me"
	exit $rc
fi
shift_net() {	# FILE: the file with the addresses moved, on stdout
	sed "s/127\.0\.\([1-9][0-9]\)\./127.$LB_NET.\1./g" "$1"
}
: "${LYNCC:?LYNCC not set}" "${SRCDIR:?SRCDIR not set}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (HAProxy binds the stdlib's VIP ports, 135-5080)"
	exit 0
fi
command -v haproxy >/dev/null || { echo "FAIL: haproxy not installed"; exit 1; }
tool="$SRCDIR/tests/lb/live_tool.py"
vip=127.0.10.10
nodes="127.0.10.11 127.0.10.12 127.0.10.13"
tmp=$(mktemp -d)
pids=""
cleanup() {
	local p
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

# the config, with a stats socket for the test to read server states
shift_net "$SRCDIR/tests/lb/live-site.lync" >"$tmp/live-site.lync"
"$LYNCC" "$tmp/live-site.lync" -t haproxy --no-header \
    -o "$tmp/live.cfg" || { echo "FAIL: lyncc -t haproxy failed"; exit 1; }
haproxy -c -dW -f "$tmp/live.cfg" >/dev/null || { echo "FAIL: haproxy -c"; exit 1; }
sed "/^global\$/a\\	stats socket $tmp/stats.sock mode 600 level admin" \
    "$tmp/live.cfg" >"$tmp/run.cfg"

# the backend that serves VIP:PORT, from the generated config
backend_of() {
	awk -v b="$vip:$1" '$1 == "frontend" { f = 0 } $1 == "bind" && $2 == b { f = 1 }
	    f && $1 == "default_backend" { print $2; exit }' "$tmp/run.cfg"
}
be443=$(backend_of 443)
be4443=$(backend_of 4443)
be5061=$(backend_of 5061)
[ -n "$be443" ] && [ -n "$be4443" ] && [ -n "$be5061" ] ||
    { echo "FAIL: the config lacks a VIP on 443, 4443 or 5061"; exit 1; }

# TCP backends: data ports in one process, the health port 5061 in another
for n in $nodes; do
	python3 "$tool" serve "$n" 443 4443 >"$tmp/data.$n" 2>&1 &
	pids="$pids $!"
	python3 "$tool" serve "$n" 5061 >"$tmp/health.$n" 2>&1 &
	pids="$pids $!"
	eval "health_pid_${n//./_}=$!"
done
for n in $nodes; do
	for f in "$tmp/data.$n" "$tmp/health.$n"; do
		for _ in $(seq 50); do
			grep -q ready "$f" 2>/dev/null && break
			sleep 0.1
		done
		grep -q ready "$f" || { cat "$f"; echo "FAIL: backend $n did not start"; exit 1; }
	done
done

haproxy -db -f "$tmp/run.cfg" >"$tmp/haproxy.log" 2>&1 &
pids="$pids $!"

# wait (at most 20 s) until SERVER of BACKEND reports STATE
wait_state() {
	local st
	for _ in $(seq 100); do
		st=$(timeout 5 python3 "$tool" stat "$tmp/stats.sock" "$1" "$2" 2>/dev/null)
		case $st in "$3"*) return 0 ;; esac
		sleep 0.2
	done
	echo "  $1/$2 is '$st', want $3"
	return 1
}
for k in 1 2 3; do
	wait_state "$be4443" "fe01-n$k" UP || { cat "$tmp/haproxy.log"; bad "server fe01-n$k never UP"; exit 1; }
done

conn() {	# PORT SRC N
	timeout 60 python3 "$tool" connect "$vip" "$1" "$2" "$3"
}

# 1. every VIP:port tested reaches the members
for port in 443 4443 5061; do
	out=$(conn "$port" 127.0.20.1 9)
	for a in $out; do
		case " $nodes " in *" $a "*) ;; *) bad "VIP:$port answered '$a'" ;; esac
	done
done
seen=$(conn 4443 127.0.20.2 12 | sort -u | tr '\n' ' ')
[ "$seen" = "127.0.10.11 127.0.10.12 127.0.10.13 " ] ||
    bad "4443 (no persistence) reached only: $seen"

# 2. source persistence on 443: one member per client, several in all
all=""
for c in 1 2 3 4 5 6 7 8; do
	got=$(conn 443 "127.0.21.$c" 6 | sort -u)
	[ "$(echo "$got" | wc -l)" = 1 ] && [ "$got" != ERR ] ||
	    bad "client 127.0.21.$c moved between members on 443: $(echo $got)"
	all="$all $got"
done
[ "$(echo $all | tr ' ' '\n' | sort -u | wc -l)" -ge 2 ] ||
    bad "every client of 443 went to one member: $all"

# 3. node 2's health port goes away: it is marked DOWN, traffic avoids it
n2=127.0.10.12
v=health_pid_${n2//./_}
hp=${!v}
kill "$hp"
wait "$hp" 2>/dev/null
wait_state "$be4443" fe01-n2 DOWN || bad "fe01-n2 not marked DOWN after its 5061 stopped"
wait_state "$be443" fe01-n2 DOWN || bad "fe01-n2 not DOWN on 443"
out=$(conn 4443 127.0.20.3 12; for c in 1 2 3 4 5 6; do conn 443 "127.0.22.$c" 2; done)
case $out in *127.0.10.12*) bad "traffic still reaches node 2 after its health check failed" ;; esac
case $out in *ERR*) bad "connections failed after node 2 went down" ;; esac
seen=$(echo "$out" | sort -u | tr '\n' ' ')
[ "$seen" = "127.0.10.11 127.0.10.13 " ] || bad "with node 2 down, traffic reached: $seen"

[ $fail = 0 ] && echo "ok: reach, source persistence and health-check failover on $vip"
exit $fail
