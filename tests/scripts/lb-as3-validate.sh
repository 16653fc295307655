#!/bin/bash
# lb-as3-validate.sh - the f5-as3 backend on every example with a load
# balancer (issue 12).
#
# For each examples/*.lync and each load balancer the IR gives LB services
# (`lyncc ir`), with the embedded stdlib and with the small test stdlib in
# tests/lb/stdlib:
#   -t f5-as3 --device LB must succeed, write the same bytes twice
#   (deterministic), be pure ASCII, and match its golden
#   tests/golden/lb/[test-stdlib/]<example>/<device>.as3.json (--no-header);
#   then every declaration goes through tests/lb/as3_check.py: F5's AS3
#   schema (vendored in tests/lb/as3/, python3-jsonschema) and a check of
#   every service, pool, monitor, persistence, SNAT and gateway forwarding
#   service against the IR.
# LYNCC_UPDATE_GOLDEN=1 rewrites the goldens instead of comparing.
set -u
. "$SRCDIR/tests/lb/lib.sh"
python3 -c 'import jsonschema' 2>/dev/null ||
    { echo "FAIL: python3-jsonschema not installed (apt-get install python3-jsonschema)"; exit 1; }
n=0
args=()

run_set() {	# golden-dir tag [--stdlib DIR]
	local gdir=$1 tag=$2 site ex dev
	shift 2
	for site in "$SRCDIR"/examples/*.lync; do
		ex=$(basename "$site" .lync)
		"$LYNCC" ir "$site" "$@" -o "$tmp/$tag-$ex.ir.json" 2>"$tmp/err" ||
		    { cat "$tmp/err"; bad "$ex: lyncc ir failed"; continue; }
		python3 - "$tmp/$tag-$ex.ir.json" >"$tmp/lbs" <<'PY'
import json, sys
ir = json.load(open(sys.argv[1]))
for d in ir["devices"]:
    if d["kind"] == "loadbalancer" and any(s["device"] == d["name"] for s in ir["lb_services"]):
        print(d["name"])
PY
		while read -r dev; do
			out="$tmp/$tag-$ex-$dev.as3.json"
			(cd "$SRCDIR/examples" && "$LYNCC" "$ex.lync" "$@" -t f5-as3 --device "$dev" \
			    --no-header -o "$out") 2>"$tmp/err" ||
			    { cat "$tmp/err"; bad "$ex/$dev: -t f5-as3 failed"; continue; }
			(cd "$SRCDIR/examples" && "$LYNCC" "$ex.lync" "$@" -t f5-as3 --device "$dev" \
			    --no-header -o "$out.2") 2>/dev/null
			cmp -s "$out" "$out.2" || bad "$ex/$dev: two runs differ"
			LC_ALL=C grep -q '[^[:print:][:space:]]' "$out" && bad "$ex/$dev: not ASCII"
			if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
				mkdir -p "$gdir/$ex"
				cp "$out" "$gdir/$ex/$dev.as3.json"
			elif [ ! -f "$gdir/$ex/$dev.as3.json" ]; then
				bad "missing golden $gdir/$ex/$dev.as3.json (LYNCC_UPDATE_GOLDEN=1, then read it)"
			else
				diff -u "$gdir/$ex/$dev.as3.json" "$out" || bad "golden mismatch: $ex/$dev.as3.json"
			fi
			args+=("$tmp/$tag-$ex.ir.json" "$dev" "$out")
			n=$((n + 1))
		done <"$tmp/lbs"
	done
}

run_set "$SRCDIR/tests/golden/lb" real
run_set "$SRCDIR/tests/golden/lb/test-stdlib" test --stdlib "$SRCDIR/tests/lb/stdlib"
[ $n -gt 0 ] || bad "no example has a load balancer with LB services"
python3 "$SRCDIR/tests/lb/as3_check.py" "${args[@]}" || bad "as3_check.py"
[ $fail = 0 ] && echo "ok: $n AS3 declarations valid and as the IR says"
exit $fail
