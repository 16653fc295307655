#!/bin/bash
# fw-goldens.sh: the ASA and SRX configs of every firewall of every example
# and tests/fw/sites/*.lync (with --no-header) equal
# tests/golden/fw/SITE/DEVICE.asa.cfg and .srx.xml.
# LYNCC_UPDATE_GOLDEN=1 rewrites them instead.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gold="$SRCDIR/tests/golden/fw"
fail=0
. "$SRCDIR/tests/scripts/lib/golden-dir.sh"
for site in "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/fw/sites/*.lync; do
	[ -f "$site" ] || continue
	name=$(basename "$site" .lync)
	out="$tmp/$name"
	if ! sh "$SRCDIR/tests/fw/compile-fw.sh" "$LYNCC" "$site" "$out" --no-header >/dev/null; then
		echo "FAIL $name: lyncc failed"
		fail=1
		continue
	fi
	rm -f "$out/ir.json"
	golden_dir "$name" "$out" "$gold"
done
exit $fail
