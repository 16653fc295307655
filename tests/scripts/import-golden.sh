#!/bin/bash
# import-golden.sh - lyncc import (issue 17, docs/import.md) on the
# hand-written topologies of tests/import/:
#   - each import is byte-identical to its golden (NAME.expected, or for a
#     topology of several central sites NAME.d/SITE.lync with -o DIR/), and
#     identical on a second run;
#   - the imported site, completed with what a topology does not hold
#     (NAME.sed fills the TODO- placeholders, NAME.complete adds the
#     firewalls and load balancers), compiles for every target, except
#     the target/check pairs NAME.expect-fail lists (e.g. "haproxy
#     LYNC-E017" for a load balancer HAProxy cannot carry at all);
#   - several central sites without -o DIR/ are a usage error.
# LYNCC_UPDATE_GOLDEN=1 rewrites the goldens (read the diff before
# committing it).  Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "import-golden: $*"; fail=1; }
dir=$SRCDIR/tests/import
targets="asa srx f5 f5-as3 haproxy nft"

# complete SITE.lync BASE OUT: fill the placeholders and add the devices
complete() {
	local in=$1 base=$2 out=$3
	if [ -f "$base.sed" ]; then sed -f "$base.sed" "$in" >"$out"; else cp "$in" "$out"; fi
	[ -f "$base.complete" ] && cat "$base.complete" >>"$out"
	if grep -n 'TODO-' "$out" | grep -v '^[0-9]*: *#' >/dev/null; then
		bad "$(basename "$base"): the completion leaves a TODO- placeholder"
	fi
}

# Language features a fixture needs (NAME.needs, one a line): until lyncc
# has one, the completed site's compile is skipped with a note, so that the
# test switches itself on when the feature lands.  edge-ports: `port access
# N;` in an edge pool's external block (a single-address edge).
printf 'site p;\nzone i external;\nzone d perimeter;\nzone n perimeter;\nzone c internal;\nfrontend pool fe < zone c; nodes 1; node 1 10.0.0.1; >\nedge pool e < nodes 1; external < zone d; port access 5061; port webconf 444; node 1 < access 203.0.113.1; webconf 203.0.113.1; av 203.0.113.1; > > internal < zone n; node 1 172.16.0.1; > >\nfirewall f < between i d; >\nfirewall g < between n c; >\n' >"$tmp/probe-edge-ports.lync"
# yes when the probe site checks; no when lyncc does not know the `port`
# statement; anything else is a broken probe (a failure, not a skip)
have_feature() {
	case $1 in
	edge-ports)
		"$LYNCC" check "$tmp/probe-edge-ports.lync" >/dev/null 2>"$tmp/probe.err" && return 0
		grep -q "unknown side property 'port'" "$tmp/probe.err" && return 1
		bad "the edge-ports probe fails for another reason:"; cat "$tmp/probe.err"
		return 0 ;;
	*) bad "unknown feature '$1' in a .needs file"; return 0 ;;
	esac
}

# compile OUT BASE: every target compiles, or fails with the listed check
compile_all() {
	local site=$1 base=$2 t want log need
	if [ -f "$base.needs" ]; then
		for need in $(grep -v '^#' "$base.needs"); do
			if ! have_feature "$need"; then
				echo "import-golden: $(basename "$base"): compile skipped: lyncc lacks '$need' (see $(basename "$base").needs)"
				return
			fi
		done
	fi
	for t in $targets; do
		want=$( [ -f "$base.expect-fail" ] && awk -v t="$t" '$1 == t { print $2 }' "$base.expect-fail")
		log=$tmp/log.$$
		rm -rf "$tmp/out"
		"$LYNCC" "$site" -t "$t" -o "$tmp/out/" >"$log" 2>&1
		rc=$?
		# a target for a kind of device the site has none of: nothing to do
		if [ $rc = 1 ] && grep -q 'the site has no loadbalancer, so there is nothing' "$log" &&
		    ! grep -q '^loadbalancer ' "$site"; then
			continue
		fi
		if [ -n "$want" ]; then
			[ $rc = 1 ] && grep -q "\[$want\]" "$log" ||
			    { bad "$(basename "$base") -t $t: expected $want (rc $rc)"; cat "$log"; }
		elif [ $rc != 0 ]; then
			bad "$(basename "$base") -t $t: rc $rc"; cat "$log"
		elif [ -z "$(ls "$tmp/out")" ]; then
			bad "$(basename "$base") -t $t: no file written"
		fi
	done
}

for f in "$dir"/*.xml "$dir"/*.tbxml; do
	[ -f "$f" ] || continue
	base=${f%.*}
	name=$(basename "$base")
	if [ -d "$base.d" ]; then
		"$LYNCC" import "$f" -o "$tmp/$name/" || { bad "$name: import failed"; continue; }
		"$LYNCC" import "$f" -o "$tmp/$name.again/" || bad "$name: second import failed"
		diff -r "$tmp/$name" "$tmp/$name.again" >/dev/null || bad "$name: not deterministic"
		if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$tmp/$name"/*.lync "$base.d/"
		fi
		for g in "$base.d"/*.lync; do
			s=$(basename "$g")
			diff -u "$g" "$tmp/$name/$s" || bad "$name: $s differs from its golden"
		done
		[ "$(ls "$tmp/$name" | wc -l)" = "$(ls "$base.d"/*.lync | wc -l)" ] ||
		    bad "$name: wrote $(ls "$tmp/$name" | wc -l) sites"
		for g in "$base.d"/*.lync; do
			s=${g%.lync}
			complete "$tmp/$name/$(basename "$g")" "$s" "$tmp/$name.$(basename "$g")"
			compile_all "$tmp/$name.$(basename "$g")" "$s"
		done
		# several sites need -o DIR/
		"$LYNCC" import "$f" >/dev/null 2>"$tmp/err"
		[ $? = 2 ] && grep -q 'central sites' "$tmp/err" ||
		    bad "$name: several sites to stdout not refused"
		continue
	fi
	"$LYNCC" import "$f" -o "$tmp/$name.lync" || { bad "$name: import failed"; continue; }
	"$LYNCC" import "$f" >"$tmp/$name.again" || bad "$name: import to stdout failed"
	cmp -s "$tmp/$name.lync" "$tmp/$name.again" || bad "$name: stdout and -o differ, or not deterministic"
	if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/$name.lync" "$base.expected"
	fi
	diff -u "$base.expected" "$tmp/$name.lync" || bad "$name: differs from $name.expected"
	complete "$tmp/$name.lync" "$base" "$tmp/$name.done.lync"
	compile_all "$tmp/$name.done.lync" "$base"
done
exit $fail
