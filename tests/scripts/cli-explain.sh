#!/bin/bash
# cli-explain.sh - `lyncc explain` of stdlib definitions, against the seed
# pages (expectations written from the pages, not from lyncc):
#  - Gg398739 table 1 ("external interface nodes") row 9 is A/V STUN/MSTURN
#    UDP 3478 from any to the A/V Edge service's public address; JJ205394
#    table 1 row 14 is the same row on the DNS-LB page, which prints the
#    English text beside the Japanese;
#  - each cited seed row is quoted: in English for JJ205394 (the page prints
#    both), else its cells as on the page (Japanese) with the stdlib's note
#    as an English gloss, labelled so: rows copied by hand from the pages
#    (Gg398739 t1 r1 and r9, JJ205394 t1 r2 and r14, JJ204648 t1 r1);
#  - every flow and lbservice of `lyncc flows --all` explains (exit 0) with
#    each of its citations, and no explain output names a seed file or a
#    developer's path;
#  - IDs are read in any case (lync-e006, FE.CMS-REPLICATOR-445);
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
    "    row, Japanese as on the page: 音声ビデオ/STUN、MSTURN/UDP/3478 | 任意 | エッジ サーバー音声ビデオ エッジ サービスのパブリック IP アドレス | STUN/UDP による候補の TURN ネゴシエーション/3478" \
    "    gloss in English (the stdlib's note, not the page's words): STUN/TURN negotiation of candidates over UDP 3478" \
    "    row, English as on the page: A/V/STUN,MSTURN/UDP/3478 | Any | Edge Server A/V Edge service public IP address | STUN/TURN negotiation of candidates over UDP/3478"; do
	has "$tmp/f" "$t"
done
# the English row of JJ205394 has no gloss; each Japanese row has one
awk '/^  JJ205394 t1 r14/ { j = 1; next } /^  [A-Z]/ { j = 0 } j && /gloss/' "$tmp/f" |
    grep -q . && bad "JJ205394 t1 r14 (English on the page) got a gloss"
[ "$(grep -c '^    row, Japanese' "$tmp/f")" = "$(grep -c '^    gloss in English' "$tmp/f")" ] ||
    bad "a Japanese row without its gloss (or a gloss without a row)"

"$LYNCC" explain edge.ext.access-crl-http-80 >"$tmp/crl" || bad "explain of the CRL flow failed"
for t in "  Gg398739 t1 r1" \
    "    row, Japanese as on the page: アクセス/HTTP/TCP/80 | エッジ サーバー アクセス エッジ サービスのパブリック IP アドレス | 任意 | 証明書の失効/CRL のチェックおよび取得" \
    "  JJ205394 t1 r2" \
    "    row, English as on the page: Access/HTTP/TCP/80 | Edge Server Access Edge service public IP address | Any | Certificate revocation/CRL check and retrieval"; do
	has "$tmp/crl" "$t"
done
"$LYNCC" explain dir.rp-http-8080 >"$tmp/dir" || bad "explain of dir.rp-http-8080 failed"
for t in "  JJ204648 t1 r1" \
    "    row, Japanese as on the page: HTTP/TCP 8080 | リバース プロキシの内部インターフェイス | ディレクター | まずリバース プロキシの外部で受信された通信は、ディレクター Web サービスおよび フロント エンド サーバー Web サービスに送信されます。" \
    "    gloss in English (the stdlib's note, not the page's words): HTTP from the reverse proxy's internal interface"; do
	has "$tmp/dir" "$t"
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
	# every cited table row is quoted (row text right below its citation)
	[ "$(grep -cE '^  (Gg|JJ)[0-9]{6} t[0-9]+ r[0-9]+$' "$tmp/e")" = \
	    "$(grep -cE '^    row(, English|, Japanese|:)' "$tmp/e")" ] ||
	    bad "explain $id: a cited seed row without its text"
	if grep -qE '_[0-9a-f]{16}\.txt|/work/' "$tmp/e"; then
		bad "explain $id names a seed file or a local path"
	fi
done <"$tmp/ids"
[ "$n" -gt 150 ] || bad "only $n definitions listed"

# IDs in any case: a check ID in lower case, a flow ID in upper case
for pair in "LYNC-E006 lync-e006" "LYNC-W006 Lync-w006" \
    "fe.cms-replicator-445 FE.CMS-REPLICATOR-445"; do
	set -- $pair
	"$LYNCC" explain "$1" >"$tmp/c1" 2>&1 || bad "explain $1 failed"
	"$LYNCC" explain "$2" >"$tmp/c2" 2>&1 || bad "explain $2 failed"
	cmp -s "$tmp/c1" "$tmp/c2" || bad "explain $2 differs from explain $1"
done
head -1 "$tmp/c1" | grep -qx "flow fe.cms-replicator-445" || bad "explain FE.CMS-REPLICATOR-445: $(head -1 "$tmp/c2")"

# unknown IDs
"$LYNCC" explain edge.ext.av-stun-udp-3478-inn >"$tmp/u" 2>&1
[ $? = 2 ] || bad "an unknown ID did not exit 2"
has "$tmp/u" "did you mean 'edge.ext.av-stun-udp-3478-in'?"
[ $fail = 0 ] && echo "ok: explain of $n stdlib definitions"
exit $fail
