#!/bin/bash
# fw-roundtrip.sh: for every example and every tests/fw/sites/*.lync, every
# firewall's ASA and SRX configs permit exactly the flows that cross it
# (tests/fw/roundtrip.py, with the strict readers asa_reader.py and
# srx_reader.py), and the static NATs the site declares.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for site in "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/fw/sites/*.lync; do
	[ -f "$site" ] || continue
	name=$(basename "$site" .lync)
	out="$tmp/$name"
	if ! sh "$SRCDIR/tests/fw/compile-fw.sh" "$LYNCC" "$site" "$out" >/dev/null; then
		echo "FAIL $name: lyncc failed"
		fail=1
		continue
	fi
	if python3 "$SRCDIR/tests/fw/roundtrip.py" "$out/ir.json" "$out" >"$tmp/log" 2>&1; then
		echo "ok   $name: $(grep -c ': ok' "$tmp/log") firewalls"
	else
		echo "FAIL $name"
		sed 's/^/     /' "$tmp/log"
		fail=1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no sites found"; exit 1; }
exit $fail
