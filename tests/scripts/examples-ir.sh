#!/bin/sh
# examples-ir.sh - every example parses, resolves and checks, and its IR
# (lyncc ir) and flow list (lyncc flows --format csv) match the goldens in
# tests/golden-examples/.  LYNCC_UPDATE_GOLDEN=1 rewrites them.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
cd "$SRCDIR" || exit 1
gold=tests/golden-examples
mkdir -p "$gold"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in examples/*.lync; do
	name=$(basename "$f" .lync)
	if ! "$LYNCC" check "$f" >"$tmp/check" 2>&1; then
		echo "FAIL: lyncc check $f"; cat "$tmp/check"; fail=1; continue
	fi
	if [ -s "$tmp/check" ]; then
		echo "FAIL: lyncc check $f is not silent:"; cat "$tmp/check"; fail=1
	fi
	"$LYNCC" ir "$f" >"$tmp/$name.ir.json" || { echo "FAIL: lyncc ir $f"; fail=1; }
	"$LYNCC" flows "$f" --format csv >"$tmp/$name.flows.csv" ||
		{ echo "FAIL: lyncc flows $f"; fail=1; }
	for out in "$name.ir.json" "$name.flows.csv"; do
		if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$tmp/$out" "$gold/$out"
		elif ! diff -u "$gold/$out" "$tmp/$out"; then
			echo "FAIL: $gold/$out differs"; fail=1
		fi
	done
done
# the IR carries each firewall leg's interface options as the site wrote
# them (tests/golden/check/target-nft-ifname-ok.lync, lines 20-22)
"$LYNCC" ir "$SRCDIR/tests/golden/check/target-nft-ifname-ok.lync" |
	python3 -c '
import json, sys
d = json.load(sys.stdin)
fw1 = [v for v in d["devices"] if v["name"] == "fw1"][0]
got = [(i["zone"], i["ifname"], i["nft_ifname"], i["level"]) for i in fw1["interfaces"]]
want = [("internet", "GigabitEthernet0/0", "eth0", 0), ("dmz", "ge-0/0/1.0", None, None),
        ("corp", "bond0.16", None, 100)]
if got != want:
    print("FAIL: lyncc ir interfaces of fw1: %r, expected %r" % (got, want))
    sys.exit(1)
' || fail=1
[ $fail -eq 0 ] && echo "examples: all parse, check silently and match their goldens"
exit $fail
