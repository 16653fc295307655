#!/bin/bash
# fw-reader-selftest.sh: the round-trip check is only as good as its
# readers, so break a correct ASA and SRX config in known ways and make
# sure tests/fw/roundtrip.py notices each one.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
site="$SRCDIR/tests/fw/sites/fw-nat-v6.lync"
out="$tmp/out"
sh "$SRCDIR/tests/fw/compile-fw.sh" "$LYNCC" "$site" "$out" >/dev/null || { echo "lyncc failed"; exit 1; }
fw=fw1
rt() { python3 "$SRCDIR/tests/fw/roundtrip.py" "$out/ir.json" "$out" >"$tmp/log" 2>&1; }
rt || { echo "the unbroken configs fail:"; cat "$tmp/log"; exit 1; }
fail=0
# each mutation: file suffix, sed expression, what it breaks
while IFS='|' read -r ext expr what; do
	[ -n "$ext" ] || continue
	f="$out/$fw.$ext"
	cp "$f" "$tmp/orig"
	sed -i -e "$expr" "$f"
	if cmp -s "$f" "$tmp/orig"; then
		echo "FAIL mutation did not apply: $what"
		fail=1
	elif rt; then
		echo "FAIL not detected: $what"
		fail=1
	else
		echo "ok   detected: $what"
	fi
	cp "$tmp/orig" "$f"
done <<'MUTATIONS'
asa.cfg|0,/extended permit/{/extended permit/d}|a missing ACE
asa.cfg|0,/destination eq /s/destination eq \([0-9]*\)/destination eq 1\1/|a wrong port
asa.cfg|0,/ range /s/ range \([0-9]*\) / range 1 /|a wider range
asa.cfg|0,/ any4 /s/ any4 / any6 /|any6 instead of any4
asa.cfg|0,/extended permit object-group [^ ]* object-group/s/extended permit object-group \([^ ]*\) object-group [^ ]*/extended permit object-group \1 any4/|a source group widened to any
asa.cfg|0,/network-object object/{/network-object object/d}|an address missing from a group
asa.cfg|0,/extended deny object-group/{/extended deny object-group/d}|an ACE to any reaching the firewall's other zones (its deny removed)
asa.cfg|0,/access-group /{/access-group /d}|an interface left unbound
asa.cfg|0,/ host /s/ host [0-9.]*$/ host 10.0.0.300/|a bad IPv4 address
asa.cfg|0,/ subnet /s/ 255\./ 254./|a bad mask
asa.cfg|0,/^access-list [^ ]* extended/s/^access-list \([^ ]*\) extended/access-list \1 remark what?\naccess-list \1 extended/|a '?' in a remark
asa.cfg|0,/^access-group/{/^access-group/d}|an ACL not applied
asa.cfg|0,/ nat (/s/static \(.*\)\.\([0-9]*\)$/static \1.7/|a wrong NAT address
asa.cfg|s/service-object tcp destination eq 443$/service-object tcp-udp destination eq 443/|tcp widened to tcp-udp
srx.xml|0,/<destination-port>/s/<destination-port>\([0-9]*\)/<destination-port>1\1/|a wrong port
srx.xml|0,/<source-address>[^a]/{/<source-address>[^a]/d}|a policy without a source
srx.xml|0,/[0-9]\/32</s/\/32</\/24</|a prefix with host bits
srx.xml|0,/<source-address>[^a]/s/<source-address>[^<]*</<source-address>undefined-set</|an undefined address-set
srx.xml|0,/<application>lync-tcp/s/<application>lync-tcp[^<]*</<application>junos-http</|an undefined application
srx.xml|0,/<protocol>tcp/s/<protocol>tcp/<protocol>udp/|a wrong protocol
srx.xml|0,/<dst-addr>/s/\.[0-9]*\/32</.7\/32</|a wrong NAT address
srx.xml|0,/<address>/{/<address>/,/<\/address>/d}|a missing address object
MUTATIONS
exit $fail
