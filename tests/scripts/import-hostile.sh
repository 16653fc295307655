#!/bin/bash
# import-hostile.sh - lyncc import on hostile and broken topologies (issue
# 17 item 4, docs/import.md "Limits and safety"):
#   - malformed XML, an unknown namespace, a missing CentralSite, a cluster
#     without ClusterId, a service on an unknown cluster, a bad address:
#     exit 1, "FILE:LINE: error: <Element>: ..." on stderr with the right
#     line, nothing on stdout, an existing -o file left as it was;
#   - a billion-laughs document and an external-entity document are
#     refused at their DOCTYPE (no DTD is read, no entity expanded: the
#     run is fast and /etc/passwd never appears);
#   - a document over 16 MiB and one nested 5000 deep are refused;
#   - names and texts that try to inject statements (newlines, ';', '<')
#     come out as one sanitized name or one comment line: the output
#     declares exactly the statements of the topology;
#   - a UTF-16 document (PowerShell's Out-File) reads as its UTF-8 twin;
#   - cut or corrupted at many places, a topology gives exit 0 or 1 with
#     a FILE:LINE diagnostic, never a crash.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "import-hostile: $*"; fail=1; }
h=$SRCDIR/tests/import/hostile
cd "$tmp" || exit 1

# expect FILE PATTERN: exit 1, PATTERN on stderr, nothing written
expect() {
	local f=$1 pat=$2
	echo "last week's site" >prev.lync
	timeout 20 "$LYNCC" import "$f" -o prev.lync >out 2>err
	rc=$?
	[ $rc = 1 ] || bad "$(basename "$f"): exit $rc, expected 1"
	grep -q -- "$pat" err || { bad "$(basename "$f"): stderr lacks '$pat'"; cat err; }
	[ "$(cat prev.lync)" = "last week's site" ] || bad "$(basename "$f"): -o file changed"
	[ -s out ] && bad "$(basename "$f"): wrote to stdout"
	ls -a | grep -q '\.tmp' && bad "$(basename "$f"): left a temporary file"
}

expect "$h/malformed.xml" "^$h/malformed.xml:5:3: error: not well-formed XML: Opening and ending tag mismatch: CentralSite line 4 and Sites"
expect "$h/unknown-namespace.xml" "unknown-namespace.xml:2:1: error: <Topology>: namespace 'urn:example:not-lync': not a topology"
expect "$h/no-site.xml" "no-site.xml:2:1: error: <Topology>: no <CentralSite> element"
expect "$h/missing-cluster.xml" "missing-cluster.xml:5:5: error: <Cluster>: no <ClusterId"
grep -q "missing-cluster.xml:10:5: error: <Service>: the EdgeServer service is installed on no cluster" err ||
    bad "missing-cluster: the unknown InstalledOn is not reported"
expect "$h/bad-address.xml" "bad-address.xml:7:103: error: <NetInterface>: '10.0.0.1; firewall' is not an IPv4 or IPv6 address"

# the whole diagnostic, as the compiler's: FILE:LINE:COL: error: <Element>:
# message, the XML's line, a caret under the element (or the attribute's
# value), a hint; one error per mistake.  NAME.stderr is written by hand
# from NAME.xml (run from its directory, so FILE is the bare name).
for g in "$h"/*.stderr; do
	n=$(basename "$g" .stderr)
	(cd "$h" && "$LYNCC" import "$n.xml" >/dev/null 2>"$tmp/$n.err")
	diff -u "$g" "$tmp/$n.err" || bad "$n: diagnostics differ from $n.stderr"
done
# control characters of the document are escaped in the quoted line
printf '<?xml version="1.0"?>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"><Sites><CentralSite SiteId="1"><Name>a\033[2Jb</Name></CentralSite></Sites><Clusters><Cluster Fqdn="f.example"><ClusterId SiteId="1" Number="1"/><Machine><NetInterface InterfaceSide="Primary" IPAddress="1.2.3.4\033]0;x\007"/></Machine></Cluster></Clusters><Services><Service><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service></Services></Topology>\n' >ctl.xml
"$LYNCC" import ctl.xml >/dev/null 2>ctl.err
grep -q "$(printf '\033')" ctl.err && bad "ctl.xml: a control character reaches the terminal"
grep -q '^ctl.xml:2:114: error: not well-formed XML: PCDATA invalid Char value 27$' ctl.err ||
    { bad "ctl.xml: the control character is not reported"; cat ctl.err; }
grep -q '<Name>a\\x1b\[2Jb</Name>' ctl.err || { bad "ctl.xml: the quoted line does not escape ESC"; cat ctl.err; }

# one error per mistake: a single-address edge's bad external address is
# used for three services and reported once, at the attribute
sed 's/IPAddress="203.0.113.50"/IPAddress="203.0.113.500"/' "$SRCDIR/tests/import/single-address-edge.xml" >once.xml
"$LYNCC" import once.xml >/dev/null 2>once.err
[ "$(grep -c ': error: ' once.err)" = 1 ] || { bad "once.xml: not exactly one error"; cat once.err; }
grep -q "^once.xml:18:79: error: <NetInterface>: '203.0.113.500' is not an IPv4" once.err ||
    { bad "once.xml: wrong place"; cat once.err; }

# entities: refused at the DOCTYPE, fast, nothing read from the file system
start=$(date +%s)
expect "$h/billion-laughs.xml" "billion-laughs.xml:2:1: error: <!DOCTYPE>: a topology has no document type declaration"
expect "$h/external-entity.xml" "external-entity.xml:2:1: error: <!DOCTYPE>"
# ... and in UTF-16 too (read as UTF-8 first)
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$h/billion-laughs.xml"; } >bl16.xml
expect bl16.xml "^bl16.xml:2:1: error: <!DOCTYPE>: a topology has no document type declaration"
grep -q 'root:' out err && bad "external-entity: /etc/passwd was read"
[ $(( $(date +%s) - start )) -lt 10 ] || bad "entity documents took too long"

# size and depth
{
	printf '<?xml version="1.0"?>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">\n<!-- '
	head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' x
	printf ' -->\n</Topology>\n'
} >huge.xml
expect huge.xml "huge.xml:1:1: error: the document is larger than 16 MiB"
cat >huge.want <<'WANT'
huge.xml:1:1: error: the document is larger than 16 MiB (16777216 bytes), the most lyncc import reads
    1 | <?xml version="1.0"?>
      | ^
  hint: a topology is far smaller; is this the file Topology Builder saved (.tbxml) or Get-CsTopology -AsXml wrote?
1 error generated.
lyncc import: 1 error; nothing was written
WANT
diff -u huge.want err || bad "huge.xml: diagnostic differs"
# UTF-16 with a lone surrogate (after two good lines): where the fault is
{ printf '\377\376'; printf '<?xml version="1.0"?>\n<Topology>\n' | iconv -f UTF-8 -t UTF-16LE; printf '\000\330A\000'; } >bad16.xml
expect bad16.xml "^bad16.xml:3:1: error: not valid UTF-16 here (a lone surrogate, a NUL or an odd byte at the end)$"
{
	printf '<?xml version="1.0"?>\n<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">\n'
	for i in $(seq 1 5000); do printf '<a>'; done
	for i in $(seq 1 5000); do printf '</a>'; done
	printf '</Topology>\n'
} >deep.xml
expect deep.xml "deep.xml:3:769: error: elements nested deeper than 256 levels"
"$LYNCC" import "$tmp" >/dev/null 2>err
[ $? = 2 ] && grep -q 'not a regular file' err || bad "a directory as input is not a usage error"

# -o naming the input topology (or a link to it) is refused, the topology unchanged
cp "$SRCDIR/tests/import/se-edge.xml" self.xml
ln -s self.xml self-link.xml
for out in self.xml self-link.xml; do
	"$LYNCC" import self.xml -o "$out" >/dev/null 2>err
	[ $? = 2 ] && grep -q 'it is the input topology' err || bad "-o $out (the input) not refused"
	cmp -s self.xml "$SRCDIR/tests/import/se-edge.xml" || bad "-o $out changed the topology"
done

# injection: the statements are exactly site, domain, zone, pool and its
# properties; every name is a valid .lync name; the output compiles
"$LYNCC" import "$h/injection.xml" -o inj.lync || bad "injection.xml: import failed"
stmts=$(grep -v '^ *#' inj.lync | grep -v '^ *$' | sed 's/^ *//' | awk '{ print $1 }' | tr '\n' ' ')
[ "$stmts" = "site domain zone frontend description nodes zone node > " ] ||
    bad "injection.xml: unexpected statements: $stmts"
grep -q '^site hq-firewall-evil-between-internet-corp;$' inj.lync || bad "injection.xml: site name"
grep -q '^frontend pool fe-firewall-x-between-a-b <$' inj.lync || bad "injection.xml: pool name"
grep -q '^  description "imported: fe?firewall x < between a b; >??.evil.example cluster 1";$' inj.lync ||
    bad "injection.xml: description not sanitized"
"$LYNCC" check inj.lync >/dev/null 2>err || { bad "injection.xml: output does not check"; cat err; }

# every prefix of a valid topology (one cut every 317 bytes) and every
# one-byte corruption ('<', '"', NUL) at those places: exit 0 or 1, never
# a crash or a hang
src=$SRCDIR/tests/import/ee-hlb-director.tbxml
size=$(wc -c <"$src")
for ((off = 1; off < size; off += 317)); do
	head -c "$off" "$src" >cut.xml
	for c in '' '<' '"' '\000'; do
		if [ -n "$c" ]; then
			{ head -c "$off" "$src"; printf "$c"; tail -c +$((off + 2)) "$src"; } >cut.xml
		fi
		timeout 10 "$LYNCC" import cut.xml >/dev/null 2>cut.err
		rc=$?
		if [ $rc != 0 ] && [ $rc != 1 ]; then
			bad "ee-hlb-director cut/corrupted at $off ('$c'): exit $rc"; head -3 cut.err
		elif [ $rc = 1 ] && ! grep -q '^cut.xml:[0-9]*:[0-9]*: error: ' cut.err; then
			bad "ee-hlb-director cut at $off: no 'FILE:LINE:COL: error:'"; head -3 cut.err
		fi
	done
done

# UTF-16 with a byte order mark
{ printf '\377\376'; sed 's/encoding="utf-8"/encoding="UTF-16"/' "$SRCDIR/tests/import/se-edge.xml" |
    iconv -f UTF-8 -t UTF-16LE; } >se16.xml
"$LYNCC" import se16.xml | sed 1d >a.lync
sed 1d "$SRCDIR/tests/import/se-edge.expected" >b.lync
cmp -s a.lync b.lync || bad "UTF-16 topology differs from its UTF-8 twin"
exit $fail
