#!/bin/bash
# cli-explain.sh - `lyncc explain` of stdlib definitions, against the seed
# pages (expectations written from the pages, not from lyncc):
#  - Gg398739 table 1 ("external interface nodes") row 9 is A/V STUN/MSTURN
#    UDP 3478 from any to the A/V Edge service's public address; JJ205394
#    table 1 row 14 is the same row on the DNS-LB page, which prints the
#    English text beside the Japanese;
#  - every flow and lbservice of `lyncc flows --all` explains (exit 0) with
#    each of its citations, and no explain output names a seed file or a
#    developer's path;
#  - an unknown ID fails with exit 2 and suggests the closest ID.
# Env: LYNCC.
set -u
: "${LYNCC:?}"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad() { echo "cli-explain: $*"; fail=1; }
has() {	# FILE TEXT
	grep -qF -- "$2" "$1" || bad "'$2' missing from: $(head -1 "$1")"
}

"$LYNCC" explain edge.ext.av-stun-udp-3478-in >"$tmp/f" || bad "explain of a flow failed"
for t in "from:        any internet" "to:          edge.av" "protocol:    udp" \
    "port:        3478" "source port: any" "applies:     always" \
    "Gg398739 t1 r9" "table 1 (external interface nodes), row 9" \
    "Port summary - Scaled consolidated edge with hardware load balancers in Lync Server 2013" \
    "https://technet.microsoft.com/en-us/library/Gg398739(v=OCS.15)" \
    "JJ205394 t1 r14" "https://technet.microsoft.com/en-us/library/JJ205394(v=OCS.15)" \
    "JJ205394 t1 r14 prints its English text beside the Japanese"; do
	has "$tmp/f" "$t"
done

# every definition explains, with its citations
"$LYNCC" flows --all --format csv >"$tmp/flows.csv" || bad "flows --all failed"
"$LYNCC" flows --all --services >"$tmp/lb.csv" || bad "flows --all --services failed"
n=0
python3 - "$tmp/flows.csv" "$tmp/lb.csv" >"$tmp/ids" <<'PY'
import csv, sys
for path, col in ((sys.argv[1], "citations"), (sys.argv[2], "citations")):
    for r in csv.DictReader(open(path)):
        print(r["id"] + "\t" + r[col])
PY
while IFS=$'\t' read -r id cites; do
	n=$((n + 1))
	"$LYNCC" explain "$id" >"$tmp/e" 2>&1 || { bad "explain $id failed"; continue; }
	IFS=';' read -ra cs <<<"$cites"
	for c in "${cs[@]}"; do
		c=${c# }
		# (a cite-doc text may hold "; " itself: a piece, not a line)
		grep -qF -- "$c" "$tmp/e" || bad "explain $id lacks its citation '$c'"
	done
	if grep -qE '_[0-9a-f]{16}\.txt|/work/' "$tmp/e"; then
		bad "explain $id names a seed file or a local path"
	fi
done <"$tmp/ids"
[ "$n" -gt 150 ] || bad "only $n definitions listed"

# unknown IDs
"$LYNCC" explain edge.ext.av-stun-udp-3478-inn >"$tmp/u" 2>&1
[ $? = 2 ] || bad "an unknown ID did not exit 2"
has "$tmp/u" "did you mean 'edge.ext.av-stun-udp-3478-in'?"
[ $fail = 0 ] && echo "ok: explain of $n stdlib definitions"
exit $fail
