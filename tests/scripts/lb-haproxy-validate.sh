#!/bin/bash
# lb-haproxy-validate.sh - the LB backends on every example with a load
# balancer (issue 6).
#
# For each examples/*.lync and each of its load balancers (from `lyncc ir`):
#   -t haproxy --device LB: the config must pass `haproxy -c -dW -f`
#       (warnings are fatal) and carry every TCP service; a device that
#       also carries UDP services gets the clear warning (LYNC-W008: HAProxy
#       cannot load-balance UDP, each service named, the ways out given),
#       fails with -Werror, and its config lists them as NOT CARRIED;
#   -t f5 --device LB: must succeed and pass tests/lb/f5_reader.py, which
#       checks every virtual, pool, member, monitor, persistence and SNAT
#       setting against the IR (and that no A/V virtual has SNAT);
#   both are compared with goldens (--no-header) in tests/golden/lb/:
#       <example>/<device>.haproxy.cfg and <example>/<device>.f5.tmsh
#   (the UDP warning is checked by content, not by golden: which devices a
#   check reports on is the driver's business)
#   for the embedded stdlib, and test-stdlib/<example>/... for the small test
#   stdlib in tests/lb/stdlib (so the backends are exercised whatever the
#   real stdlib holds).
# LYNCC_UPDATE_GOLDEN=1 rewrites the goldens instead of comparing.
# Needs LYNCC and SRCDIR (ctest sets them), haproxy and python3.
set -u
: "${LYNCC:?LYNCC not set}" "${SRCDIR:?SRCDIR not set}"
command -v haproxy >/dev/null || { echo "FAIL: haproxy not installed (apt-get install haproxy)"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
checked=0
reader="$SRCDIR/tests/lb/f5_reader.py"
hacheck="$SRCDIR/tests/lb/haproxy_reader.py"

bad() {
	echo "FAIL: $*"
	fail=1
}

golden() {	# golden-file actual-file
	if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$(dirname "$1")"
		cp "$2" "$1"
		return
	fi
	if [ ! -f "$1" ]; then
		bad "missing golden $1 (run with LYNCC_UPDATE_GOLDEN=1 and read it)"
		return
	fi
	diff -u "$1" "$2" >"$tmp/diff" || { cat "$tmp/diff"; bad "golden mismatch: $1"; }
}

run_set() {	# golden-dir [--stdlib DIR]
	local gdir=$1 site ex dev udp
	shift
	for site in "$SRCDIR"/examples/*.lync; do
		ex=$(basename "$site" .lync)
		if ! "$LYNCC" ir "$site" "$@" -o "$tmp/ir.json" 2>"$tmp/ir.err"; then
			cat "$tmp/ir.err"
			bad "$ex: lyncc ir failed"
			continue
		fi
		# one line per load balancer: NAME UDP-SERVICE-IDS (comma list, - or
		# "empty" when the IR gives it no LB service at all)
		python3 - "$tmp/ir.json" >"$tmp/lbs" <<'EOF'
import json, sys
ir = json.load(open(sys.argv[1]))
for d in ir["devices"]:
    if d["kind"] != "loadbalancer":
        continue
    udp = [s["id"] for s in ir["lb_services"]
           if s["device"] == d["name"] and s["protocol"] == "udp"]
    n = sum(1 for s in ir["lb_services"] if s["device"] == d["name"])
    print(d["name"], "empty" if n == 0 else ",".join(udp) or "-")
EOF
		while read -r dev udp; do
			checked=$((checked + 1))
			cd "$SRCDIR/examples" || exit 1
			if [ "$udp" = empty ]; then
				# nothing to balance: both targets must refuse, clearly
				echo "note: $ex/$dev: the IR gives it no LB service"
				for t in haproxy f5; do
					"$LYNCC" "$ex.lync" "$@" -t $t --device "$dev" --no-header \
					    -o "$tmp/empty" >"$tmp/out" 2>"$tmp/err"
					rc=$?
					[ $rc = 1 ] && grep -q "carries no LB service" "$tmp/err" ||
					    bad "$ex/$dev: -t $t on a device without services: exit $rc"
					[ ! -e "$tmp/empty" ] || bad "$ex/$dev: -t $t wrote an empty config"
				done
				continue
			fi
			# HAProxy
			"$LYNCC" "$ex.lync" "$@" -t haproxy --device "$dev" --no-header \
			    -o "$tmp/$dev.haproxy.cfg" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ "$udp" != - ]; then
				grep -q "warning: HAProxy cannot load-balance UDP: load balancer '$dev' leaves" "$tmp/err" ||
				    bad "$ex/$dev: no 'HAProxy cannot load-balance UDP' warning for $dev"
				grep -q "lb dns" "$tmp/err" && grep -q -- "-t f5" "$tmp/err" ||
				    bad "$ex/$dev: the UDP warning does not give the ways out (lb dns, -t f5)"
				for id in ${udp//,/ }; do
					grep -q -- "$id" "$tmp/err" || bad "$ex/$dev: UDP service $id not named"
				done
				"$LYNCC" "$ex.lync" "$@" -t haproxy --device "$dev" --no-header -Werror \
				    -o "$tmp/werror.cfg" >/dev/null 2>&1
				[ $? = 1 ] || bad "$ex/$dev: -Werror does not fail on the UDP warning"
				[ ! -e "$tmp/werror.cfg" ] || bad "$ex/$dev: -Werror wrote a config"
			fi
			if [ $rc != 0 ]; then
				cat "$tmp/err"
				bad "$ex/$dev: -t haproxy exited $rc"
			else
				if ! haproxy -c -dW -f "$tmp/$dev.haproxy.cfg" >"$tmp/hc" 2>&1; then
					cat "$tmp/hc"
					bad "$ex/$dev: haproxy -c -dW rejects the config"
				fi
				python3 "$hacheck" "$tmp/ir.json" "$dev" "$tmp/$dev.haproxy.cfg" ||
				    bad "$ex/$dev: haproxy config does not match the IR"
				golden "$gdir/$ex/$dev.haproxy.cfg" "$tmp/$dev.haproxy.cfg"
			fi
			# F5
			if "$LYNCC" "$ex.lync" "$@" -t f5 --device "$dev" --no-header \
			    -o "$tmp/$dev.f5.tmsh" >"$tmp/out" 2>"$tmp/err"; then
				python3 "$reader" "$tmp/ir.json" "$dev" "$tmp/$dev.f5.tmsh" ||
				    bad "$ex/$dev: f5 config does not match the IR"
				golden "$gdir/$ex/$dev.f5.tmsh" "$tmp/$dev.f5.tmsh"
			else
				cat "$tmp/err"
				bad "$ex/$dev: -t f5 failed"
			fi
			rm -f "$tmp/$dev.haproxy.cfg" "$tmp/$dev.f5.tmsh"
		done <"$tmp/lbs"
	done
}

run_set "$SRCDIR/tests/golden/lb"
run_set "$SRCDIR/tests/golden/lb/test-stdlib" --stdlib "$SRCDIR/tests/lb/stdlib"
[ $checked -gt 0 ] || bad "no example has a load balancer"
[ $fail = 0 ] && echo "ok: $checked load balancer configs checked"
exit $fail
