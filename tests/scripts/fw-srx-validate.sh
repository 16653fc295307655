#!/bin/bash
# fw-srx-validate.sh: every SRX document lyncc writes for the examples and
# tests/fw/sites validates against Juniper's junos-es YANG models
# (tests/validators/srx-validate.sh: yanglint + xsltproc).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
for tool in yanglint xsltproc; do
	command -v $tool >/dev/null || { echo "$tool not installed (apt-get install libyang2-tools xsltproc)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for site in "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/fw/sites/*.lync; do
	[ -f "$site" ] || continue
	name=$(basename "$site" .lync)
	if ! sh "$SRCDIR/tests/fw/compile-fw.sh" "$LYNCC" "$site" "$tmp/$name" >/dev/null; then
		echo "FAIL $name: lyncc failed"
		fail=1
		continue
	fi
	for f in "$tmp/$name"/*.srx.xml; do
		n=$((n + 1))
		if ! sh "$SRCDIR/tests/validators/srx-validate.sh" "$f" >"$tmp/log" 2>&1; then
			echo "FAIL $name/$(basename "$f")"
			cat "$tmp/log"
			fail=1
		fi
	done
done
echo "$n SRX documents checked"
[ "$n" -gt 0 ] || exit 1
exit $fail
