#!/bin/bash
# fw-keywords.sh: names that are ASA or SRX keywords or predefined names
# (pools 'any', 'any4', 'global', 'interface', firewalls 'junos-host',
# 'any-ipv4': tests/fw/hostile/keywords.lync) never reach a config where
# a keyword is read: every object, group, ACL, address, address-set,
# application, policy and configuration-group name lyncc writes starts
# with lync-, and the readers see no rule wider than the flows
# (roundtrip.py).  A zone named like a keyword is an error.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
site="$SRCDIR/tests/fw/hostile/keywords.lync"
sh "$SRCDIR/tests/fw/compile-fw.sh" "$LYNCC" "$site" "$tmp/out" >/dev/null || { echo "FAIL: lyncc"; exit 1; }
for f in "$tmp"/out/*.asa.cfg; do
	# names in the positions the ASA reads a name
	bad=$(grep -v '^!' "$f" | grep -oE '^(object network|object-group network|object-group service|access-list|access-group) [^ ]+|network-object object [^ ]+|object-group [^ ]+ (any[46]?|object-group [^ ]+)' |
		grep -oE '(network|service|access-list|access-group|object) [^ ]+$|object-group [^ ]+' |
		awk '{print $NF}' | grep -vE '^(lync-|any$|any4$|any6$|network$|service$)' | sort -u)
	[ -z "$bad" ] || no "$(basename "$f"): names without the lync- prefix: $bad"
done
for f in "$tmp"/out/*.srx.xml; do
	bad=$(grep -oE '<(source-address|destination-address|application)>[^<]*<' "$f" |
		sed 's/.*>\(.*\)</\1/' | grep -vE '^(lync-|any$)' | sort -u)
	[ -z "$bad" ] || no "$(basename "$f"): references without the lync- prefix: $bad"
	bad=$(python3 - "$f" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
g = root.find("groups")
names = [g.findtext("name")]
for tag in ("address", "address-set", "application", "application-set", "rule-set", "rule"):
    names += [e.findtext("name") for e in g.iter(tag) if e.find("name") is not None and len(e) > 1]
names += [p.findtext("name") for p in g.iter("policy") if p.find("match") is not None]
print(" ".join(sorted(set(n for n in names if n and not n.startswith("lync-")))))
PY
)
	[ -z "$bad" ] || no "$(basename "$f"): names without the lync- prefix: $bad"
done
python3 "$SRCDIR/tests/fw/roundtrip.py" "$tmp/out/ir.json" "$tmp/out" >"$tmp/log" 2>&1 ||
	no "roundtrip: $(cat "$tmp/log")"
# a zone named like a keyword: an error at the firewall's leg
for z in any junos-host global any4; do
	sed "s/\bcorp\b/$z/g" "$SRCDIR/examples/edge-hlb.lync" >"$tmp/z.lync"
	for t in asa srx; do
		"$LYNCC" "$tmp/z.lync" -t $t --device fw-int -o "$tmp/z.out" 2>"$tmp/err"
		rc=$?
		[ $rc = 1 ] && grep -q "zone '$z' cannot be a zone of the $t config" "$tmp/err" ||
			no "zone $z, -t $t: exit $rc: $(head -3 "$tmp/err")"
	done
done
exit $fail
