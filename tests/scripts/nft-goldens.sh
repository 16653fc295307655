#!/bin/bash
# nft-goldens.sh: the -t nft ruleset of every firewall of every example and
# tests/nft/sites/*.lync (with --no-header) equals
# tests/golden/nft/SITE/DEVICE.nft.  LYNCC_UPDATE_GOLDEN=1 rewrites them
# instead (read the diff before committing: what the rulesets permit is
# proven by nft-packets.sh and nft-scenarios.sh, not by these files).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gold="$SRCDIR/tests/golden/nft"
fail=0
. "$SRCDIR/tests/scripts/lib/golden-dir.sh"
GOLDEN_DIR_OK=1
for site in "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/nft/sites/*.lync; do
	name=$(basename "$site" .lync)
	out="$tmp/$name"
	mkdir -p "$out"
	"$LYNCC" ir "$site" -o "$tmp/ir.json" || { echo "FAIL $name: lyncc ir"; fail=1; continue; }
	for d in $(python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["kind"] == "firewall": print(d["name"])' "$tmp/ir.json"); do
		"$LYNCC" "$site" -t nft --device "$d" --no-header -o "$out/$d.nft" ||
			{ echo "FAIL $name $d: lyncc failed"; fail=1; }
	done
	golden_dir "$name" "$out" "$gold"
done
exit $fail
