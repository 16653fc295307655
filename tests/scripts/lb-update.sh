#!/bin/bash
# lb-update.sh - the update path of the LB targets (issue 12, item 5):
# version 1 of a site, then version 2 (a VIP moved, a pool member
# renumbered), and the device must end with exactly version 2.
#
# HAProxy (tests/lb/update-fe-v1.lync, -v2.lync; loopback):
#   both configs pass `haproxy -c -dW`; HAProxy runs v1 in master-worker
#   mode; the file is replaced by v2 and the master reloaded (SIGUSR2, as
#   `systemctl reload haproxy` does); then, by hand from the two sites:
#   the new VIP 127.0.31.20 reaches exactly 127.0.31.11, .13 and .14 on
#   4443, the old VIP 127.0.31.10 no longer answers, and the removed member
#   127.0.31.12 gets nothing.  Needs root (ports below 1024 are not used,
#   but binding 127.0.31.x as source needs nothing special; HAProxy's
#   stdlib VIP ports include 135 and 444): without root, SKIP of this part.
# F5 tmsh (tests/lb/update-v1.lync, -v2.lync, every load balancer):
#   a simulated BIG-IP (tests/lb/f5_device.py) holding unrelated objects in
#   /Common and another partition runs the first-apply commands of v1's
#   header, then the update commands of v2's header (read from the files:
#   what the operator would paste), and must then hold exactly v2's
#   objects in /lyncc_upd, v1's VIPs and member gone (checked by hand:
#   203.0.113.10 and 127.0.31.10/.12 nowhere, 203.0.113.40, 127.0.31.20
#   and .14 present), and the unrelated objects untouched; rollback (the
#   update commands with v1's file) gives v1's objects back.
# AS3: both declarations valid (as3_check.py); the tenant of v2 holds the
#   new VIPs and not the old ones (AS3 replaces a tenant's content).
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
tmp=$(mktemp -d)
pids=""
cleanup() {
	local p
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
lb="$SRCDIR/tests/lb"
dev="$lb/f5_device.py"

# ---- F5 tmsh: simulated device ------------------------------------------
for v in 1 2; do
	shift_net "$lb/update-v$v.lync" >"$tmp/update-v$v.lync"
	"$LYNCC" "$tmp/update-v$v.lync" -t f5 -o "$tmp/f5v$v/" 2>"$tmp/err" ||
	    { cat "$tmp/err"; bad "-t f5 v$v failed"; }
	"$LYNCC" ir "$tmp/update-v$v.lync" -o "$tmp/ir$v.json" 2>/dev/null
done
# the commands of a header section: lines "#   tmsh ..." after TITLE up to
# the next "# " title line
section() {	# FILE TITLE
	awk -v t="$2" '/^# [A-Z]/ { on = (index($0, "# " t) == 1); next }
	    on && /^#   tmsh / { sub(/^#   /, ""); print }' "$1"
}
for d in hlb-ext hlb-int; do
	st="$tmp/$d.state.json"
	python3 "$dev" "$st" "tmsh create auth partition other"
	python3 "$dev" "$st" --add "ltm pool" /other/app_pool monitor=/Common/tcp
	python3 "$dev" "$st" --add "ltm pool" /Common/other_pool monitor=/Common/tcp
	python3 "$dev" "$st" --add "ltm virtual-address" /Common/192.0.2.80
	python3 "$dev" "$st" --add "ltm virtual" /Common/other_vs pool=/Common/other_pool \
	    destination=/Common/192.0.2.80:80
	python3 "$dev" "$st" --add "ltm node" /Common/192.0.2.81
	f1="$tmp/f5v1/$d.f5.tmsh"
	f2="$tmp/f5v2/$d.f5.tmsh"
	path=$(section "$f1" "First apply" | sed -n 's/.* file \([^ ]*\).*/\1/p' | head -1)
	[ -n "$path" ] || { bad "$d: no file path in v1's first-apply commands"; continue; }
	for step in "First apply:$f1" "Update:$f2"; do
		title=${step%%:*}
		file=${step#*:}
		cmds=$(section "$file" "$title")
		[ -n "$cmds" ] || bad "$d: no '$title' commands in $(basename "$file")"
		while read -r c; do
			python3 "$dev" "$st" "$c" "$path=$file" || bad "$d: '$title' step failed: $c"
		done <<<"$cmds"
	done
	python3 "$dev" "$st" --dump >"$tmp/$d.after"
	# exactly v2's objects in the partition: the objects of the v2 file,
	# plus what the device creates itself (wildcard virtual address of the
	# forwarding virtuals, snat translations)
	st2="$tmp/$d.fresh.json"
	echo '{"partitions": ["Common", "lyncc_upd"], "objects": []}' >"$st2"
	python3 "$dev" "$st2" "tmsh load sys config merge file $path" "$path=$f2" ||
	    bad "$d: v2 does not load on an empty partition"
	python3 "$dev" "$st2" --dump >"$tmp/$d.fresh"
	grep ' /lyncc_upd/' "$tmp/$d.after" >"$tmp/$d.part"
	diff -u "$tmp/$d.fresh" "$tmp/$d.part" || bad "$d: after the update the partition is not exactly v2"
	for o in "ltm pool /Common/other_pool" "ltm virtual /Common/other_vs" \
	    "ltm virtual-address /Common/192.0.2.80" "ltm node /Common/192.0.2.81" \
	    "ltm pool /other/app_pool"; do
		grep -qxF "$o" "$tmp/$d.after" || bad "$d: unrelated object '$o' did not survive"
	done
	[ "$(grep -vc ' /lyncc_upd/' "$tmp/$d.after")" = 5 ] || bad "$d: objects outside the partition changed"
	# rollback: the update steps with v1's file
	while read -r c; do
		python3 "$dev" "$st" "$c" "$path=$f1" || bad "$d: rollback step failed: $c"
	done <<<"$(section "$f2" "Update")"
	echo '{"partitions": ["Common", "lyncc_upd"], "objects": []}' >"$st2"
	python3 "$dev" "$st2" "tmsh load sys config merge file $path" "$path=$f1"
	python3 "$dev" "$st2" --dump >"$tmp/$d.fresh1"
	python3 "$dev" "$st" --dump | grep ' /lyncc_upd/' >"$tmp/$d.back"
	diff -u "$tmp/$d.fresh1" "$tmp/$d.back" || bad "$d: rollback does not give v1 back"
done
# by hand: what moved (update-v1.lync -> update-v2.lync)
grep -qx 'ltm virtual-address /lyncc_upd/203.0.113.40' "$tmp/hlb-ext.fresh" ||
    bad "hlb-ext v2: no virtual-address 203.0.113.40"
grep -q '203\.0\.113\.10\b' "$tmp/f5v2/hlb-ext.f5.tmsh" && bad "hlb-ext v2 still names 203.0.113.10"
grep -q 'members {' "$tmp/f5v2/hlb-ext.f5.tmsh" &&
    grep -q '^        /lyncc_upd/203.0.113.40$' "$tmp/f5v2/hlb-ext.f5.tmsh" ||
    bad "hlb-ext v2: the Access snatpool is not the new VIP 203.0.113.40"
grep -qx 'ltm virtual-address /lyncc_upd/127.0.31.20' "$tmp/hlb-int.fresh" ||
    bad "hlb-int v2: no virtual-address 127.0.31.20"
grep -q '^ltm node /lyncc_upd/127.0.31.14$' "$tmp/hlb-int.part" || bad "hlb-int v2: no node 127.0.31.14"
grep -qE '127\.0\.31\.(10|12)\b' "$tmp/hlb-int.part" && bad "hlb-int after the update: v1's VIP or member remains"
for d in hlb-ext hlb-int; do
	python3 "$lb/f5_reader.py" "$tmp/ir2.json" "$d" "$tmp/f5v2/$d.f5.tmsh" || bad "$d v2: f5_reader"
done

# ---- AS3 ----------------------------------------------------------------
args=()
for v in 1 2; do
	"$LYNCC" "$tmp/update-v$v.lync" -t f5-as3 -o "$tmp/as3v$v/" 2>"$tmp/err" ||
	    { cat "$tmp/err"; bad "-t f5-as3 v$v failed"; }
	for d in hlb-ext hlb-int; do
		args+=("$tmp/ir$v.json" "$d" "$tmp/as3v$v/$d.as3.json")
	done
done
python3 "$lb/as3_check.py" "${args[@]}" || bad "as3_check"
grep -q '"203.0.113.10"' "$tmp/as3v2/hlb-ext.as3.json" && bad "AS3 v2 still names 203.0.113.10"
grep -q '"203.0.113.40"' "$tmp/as3v2/hlb-ext.as3.json" || bad "AS3 v2 lacks 203.0.113.40"
grep -qE '"127\.0\.31\.(10|12)"' "$tmp/as3v2/hlb-int.as3.json" && bad "AS3 v2 still names v1's VIP or member"

# ---- HAProxy: a real reload on loopback ---------------------------------
command -v haproxy >/dev/null || { echo "FAIL: haproxy not installed"; exit 1; }
for v in 1 2; do
	shift_net "$lb/update-fe-v$v.lync" >"$tmp/update-fe-v$v.lync"
	"$LYNCC" "$tmp/update-fe-v$v.lync" -t haproxy --no-header -o "$tmp/h$v.cfg" ||
	    bad "-t haproxy v$v failed"
	haproxy -c -dW -f "$tmp/h$v.cfg" >"$tmp/hc" 2>&1 || { cat "$tmp/hc"; bad "haproxy -c -dW rejects v$v"; }
done
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the HAProxy reload needs root (the stdlib's VIP ports 135 and 444)"
	[ $fail = 0 ] && echo "ok: F5 and AS3 update paths"
	exit $fail
fi
tool="$lb/live_tool.py"
for n in 127.0.31.11 127.0.31.12 127.0.31.13 127.0.31.14; do
	python3 "$tool" serve "$n" 4443 5061 >"$tmp/srv.$n" 2>&1 &
	pids="$pids $!"
done
for n in 127.0.31.11 127.0.31.12 127.0.31.13 127.0.31.14; do
	for _ in $(seq 50); do grep -q ready "$tmp/srv.$n" 2>/dev/null && break; sleep 0.1; done
	grep -q ready "$tmp/srv.$n" || { cat "$tmp/srv.$n"; bad "backend $n did not start"; exit 1; }
done
cp "$tmp/h1.cfg" "$tmp/run.cfg"
haproxy -W -db -f "$tmp/run.cfg" -p "$tmp/haproxy.pid" >"$tmp/haproxy.log" 2>&1 &
master=$!
pids="$pids $master"
# until every member answers through VIP:4443 (health checks up), 20 s
reach() {	# VIP N
	timeout 30 python3 "$tool" connect "$1" 4443 127.0.32.1 "$2" | sort -u | tr '\n' ' '
}
until_seen() {	# VIP WANT
	local got
	for _ in $(seq 100); do
		got=$(reach "$1" 12)
		[ "$got" = "$2" ] && return 0
		sleep 0.2
	done
	echo "  $1:4443 reached '$got', want '$2'"
	return 1
}
until_seen 127.0.31.10 "127.0.31.11 127.0.31.12 127.0.31.13 " || { cat "$tmp/haproxy.log"; bad "v1 never served"; }
cp "$tmp/h2.cfg" "$tmp/run.cfg"
kill -USR2 "$master"
until_seen 127.0.31.20 "127.0.31.11 127.0.31.13 127.0.31.14 " || { cat "$tmp/haproxy.log"; bad "v2 not served after the reload"; }
old=$(timeout 20 python3 "$tool" connect 127.0.31.10 4443 127.0.32.2 3 | sort -u | tr '\n' ' ')
[ "$old" = "ERR " ] || bad "the old VIP 127.0.31.10 still answers after the reload: $old"
got=$(reach 127.0.31.20 30)
case $got in *127.0.31.12*) bad "the removed member 127.0.31.12 still gets traffic" ;; esac
kill -0 "$master" 2>/dev/null || bad "the HAProxy master died on reload"
[ $fail = 0 ] && echo "ok: F5 partition update/rollback, AS3 and a HAProxy reload leave exactly v2"
exit $fail
