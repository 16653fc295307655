#!/bin/bash
# nft-validate.sh: every nftables file lyncc writes (-t nft, every firewall
# of every example, tests/fw/sites/*.lync and tests/nft/sites/*.lync) is
# accepted by the real nft parser and kernel (`nft -c -f`, in a fresh user
# and network namespace: `unshare -rn`), is the same bytes twice, and
# replaces only its own table:
#   - the file names exactly one table, inet lyncc_SITE, and starts with
#     `table X` / `delete table X` / `table X {` (one transaction);
#   - loaded into an empty namespace holding an unrelated table, applied
#     twice (v1 again), then a v2 (the site with xmpp-federation turned
#     off): the unrelated table is unchanged, the site's table holds v2
#     only (no XMPP rule left from v1), and nothing else appeared.
# tests/fw/sites/fw-nat-v6.lync names ASA-style interfaces
# (GigabitEthernet0/0), which no Linux interface can be called: lyncc must
# warn once per such name, use the zone's name instead (and fail with
# -Werror); the file is then checked like the others (its Linux twin is
# tests/nft/sites/nft-v6.lync).
# SKIPs (exit 0) only when nft is missing or no namespace can be made.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
command -v nft >/dev/null || { echo "SKIP: nft not installed (apt-get install nftables)"; exit 0; }
if unshare -rn true 2>/dev/null; then
	NS="unshare -rn"
elif [ "$(id -u)" = 0 ]; then
	NS=""		# root without user namespaces: nft -c needs no changes
else
	echo "SKIP: no user/network namespace (unshare -rn) and not root: nft -c needs netlink"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
bad() { echo "FAIL: $*"; fail=1; }

firewalls() {	# SITE: the firewall names, from lyncc ir
	"$LYNCC" ir "$1" -o "$tmp/ir.json" && python3 -c 'import json,sys
for d in json.load(open(sys.argv[1]))["devices"]:
    if d["kind"] == "firewall": print(d["name"])' "$tmp/ir.json"
}

for site in "$SRCDIR"/examples/*.lync "$SRCDIR"/tests/fw/sites/*.lync \
    "$SRCDIR"/tests/nft/sites/*.lync; do
	name=$(basename "$site" .lync)
	if [ "$name" = fw-nat-v6 ]; then
		if ! "$LYNCC" "$site" -t nft --device fw1 -o "$tmp/x.nft" 2>"$tmp/err"; then
			bad "$name: -t nft failed on ASA interface names:"
			cat "$tmp/err"
		elif [ "$(grep -c "warning: interface name '.*' of zone .* is not a Linux interface name; the nft target uses '.*' (the zone's name) instead" "$tmp/err")" != 2 ] ||
		    ! grep -q "'GigabitEthernet0/1.16'" "$tmp/err"; then
			bad "$name: expected two interface-name warnings:"
			cat "$tmp/err"
		elif grep -q '"GigabitEthernet' "$tmp/x.nft"; then
			bad "$name: an ASA interface name in the nft rules"
		else
			echo "ok   $name: ASA interface names replaced by the zones' names, with warnings"
		fi
		rm -f "$tmp/x.nft"
		"$LYNCC" "$site" -t nft --device fw1 -Werror -o "$tmp/x.nft" 2>/dev/null &&
		    bad "$name: -Werror accepted the interface-name warnings"
		[ -e "$tmp/x.nft" ] && bad "$name: -Werror wrote a file"
	fi
	fws=$(firewalls "$site") || { bad "$name: lyncc ir failed"; continue; }
	for d in $fws; do
		f="$tmp/$name.$d.nft"
		if ! "$LYNCC" "$site" -t nft --device "$d" -o "$f"; then
			bad "$name $d: lyncc failed"
			continue
		fi
		"$LYNCC" "$site" -t nft --device "$d" -o "$f.again"
		cmp -s "$f" "$f.again" || bad "$name $d: two runs differ"
		if ! $NS nft -c -f "$f" >"$tmp/log" 2>&1; then
			bad "$name $d: nft -c rejects it:"
			sed 's/^/     /' "$tmp/log" | head -20
			continue
		fi
		# one table, replaced in one transaction
		tables=$(grep -oE '^(delete )?table [a-z0-9]+ [A-Za-z0-9_]+' "$f" |
		    awk '{print $(NF-1), $NF}' | sort -u)
		t=$(echo "$tables" | awk '{print $2}')
		[ "$(echo "$tables" | wc -l)" = 1 ] && [ "${tables%% *}" = inet ] ||
			bad "$name $d: names other tables: $tables"
		[ "$(grep -vE '^(#|$)' "$f" | head -3 | tr '\n' '|')" = \
		    "table inet $t|delete table inet $t|table inet $t {|" ] ||
			bad "$name $d: does not start with table/delete table/table {"
		grep -qE 'flush ruleset|^flush|^delete (chain|set|rule)' "$f" &&
			bad "$name $d: flushes or deletes beyond its table"
		grep -q 'policy drop;' "$f" || bad "$name $d: no policy drop"
		n=$((n + 1))
	done
	[ "$fail" = 0 ] && echo "ok   $name: $(echo "$fws" | wc -w) firewalls"
done
[ "$n" -gt 0 ] || bad "no nft files checked"

# v1, v1 again, v2 over an unrelated table, in one fresh namespace
site="$SRCDIR/examples/edge-dns.lync"
sed 's/xmpp-federation; //' "$site" >"$tmp/v2.lync"
grep -q xmpp-federation "$tmp/v2.lync" && bad "v2: sed did not turn xmpp off"
"$LYNCC" "$site" -t nft --device fw-edge-ext -o "$tmp/v1.nft"
"$LYNCC" "$tmp/v2.lync" -t nft --device fw-edge-ext -o "$tmp/v2.nft"
grep -q 'xmpp' "$tmp/v1.nft" || bad "v1 has no XMPP rule (the test proves nothing)"
cat >"$tmp/other.nft" <<'EOF'
table inet other {
	chain other_forward {
		type filter hook forward priority 10; policy accept;
		tcp dport 22 counter accept comment "not lync"
	}
}
table ip lyncc_other_site {
	chain other_chain {
		type filter hook forward priority 0; policy accept;
	}
}
EOF
cat >"$tmp/apply.sh" <<EOF
set -e
nft -f "$tmp/other.nft"
nft list table inet other >"$tmp/other.before"
nft -f "$tmp/v1.nft"
nft -f "$tmp/v1.nft"
nft list table inet lyncc_fabrikam_edge_dns >"$tmp/v1.loaded"
nft -f "$tmp/v2.nft"
nft list table inet lyncc_fabrikam_edge_dns >"$tmp/v2.loaded"
nft list table inet other >"$tmp/other.after"
nft list tables >"$tmp/tables"
EOF
APPLY=$NS
[ -z "$APPLY" ] && unshare -n true 2>/dev/null && APPLY="unshare -n"
if [ -n "$APPLY" ]; then
	if ! $APPLY bash "$tmp/apply.sh" >"$tmp/log" 2>&1; then
		bad "applying v1, v1, v2 failed:"
		cat "$tmp/log"
	else
		cmp -s "$tmp/other.before" "$tmp/other.after" ||
			bad "applying the site's file changed an unrelated table"
		[ "$(sort "$tmp/tables" | tr '\n' ' ')" = \
		    "table inet lyncc_fabrikam_edge_dns table inet other table ip lyncc_other_site " ] ||
			bad "tables after v2: $(tr '\n' ' ' <"$tmp/tables")"
		grep -q xmpp "$tmp/v1.loaded" || bad "v1 loaded without its XMPP rule"
		grep -q xmpp "$tmp/v2.loaded" && bad "v2 over v1 left v1's XMPP rule"
		[ "$(grep -c 'policy drop' "$tmp/v2.loaded")" = 1 ] ||
			bad "v2 loaded: expected one forward chain with policy drop"
		[ "$fail" = 0 ] && echo "ok   apply: v1, v1 again, v2: only table inet lyncc_fabrikam_edge_dns changed"
	fi
else
	echo "SKIP: apply test (cannot make a network namespace)"
fi
exit $fail
