#!/bin/bash
# Typical user mistakes on examples/edge-hlb.lync: each gives exactly one
# error, at the line of the mistake (file:line:col), with the source line
# and a caret, exit 1, and no output file.  Each case: a text replaced and
# the text whose line the error must be on, or @LINE (written by hand).
# The cases that still give more than one error are in FINDINGS.md (R2).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
base="$SRCDIR/examples/edge-hlb.lync"
fail=0
n=0
case_() {   # NAME OLD NEW MARK
    local name=$1 old=$2 new=$3 mark=$4 f="$tmp/$1.lync" line out
    n=$((n + 1))
    python3 - "$base" "$f" "$old" "$new" <<'PY' || { echo "FAIL $name: edit does not apply"; fail=1; return; }
import sys
s = open(sys.argv[1]).read()
if sys.argv[3] not in s:
    sys.exit(1)
open(sys.argv[2], "w").write(s.replace(sys.argv[3], sys.argv[4], 1))
PY
    case $mark in
    @*) line=${mark#@} ;;       # a line number, counted by hand
    *) line=$(grep -nF -- "$mark" "$f" | head -1 | cut -d: -f1) ;;
    esac
    rm -rf "$tmp/out"; mkdir "$tmp/out"
    out=$("$LYNCC" "$f" -t asa -o "$tmp/out/" --color=never 2>&1); rc=$?
    if [ $rc != 1 ]; then echo "FAIL $name: exit $rc, want 1"; fail=1; fi
    if [ "$(grep -c ': error:' <<<"$out")" != 1 ]; then
        echo "FAIL $name: want exactly one error:"; echo "$out"; fail=1; return
    fi
    if ! grep -qE "^$f:$line:[0-9]+: error:" <<<"$out"; then
        echo "FAIL $name: the error is not at line $line:"; echo "$out"; fail=1
    fi
    if ! grep -qE '^ +\| +.*\^' <<<"$out"; then echo "FAIL $name: no caret"; echo "$out"; fail=1; fi
    if [ -n "$(ls -A "$tmp/out")" ]; then echo "FAIL $name: wrote $(ls "$tmp/out")"; fail=1; fi
}
case_ typo-zone "zone dmz-int;" "zone dmz-nit;" "zone dmz-nit;"
case_ missing-semi $'nodes 2;\n  lb hlb;' $'nodes 2\n  lb hlb;' "nodes 2"
case_ wrong-vendor "between internet dmz-ext; >" "between internet dmz-ext; vendor cisco; >" "vendor cisco"
case_ unknown-feature "public-im;" "public-imm;" "public-imm"
case_ vip-outside-zone "vip 10.10.1.10;" "vip 172.16.20.99;" "vip 172.16.20.99"
case_ dup-addr "node 2 172.16.20.12;" "node 2 172.16.20.11;" "node 2 172.16.20.11"
case_ dup-zone "zone internet external;" $'zone internet external;\nzone internet external;' "@12"
case_ dup-firewall "firewall fw-int < between dmz-int corp; >" $'firewall fw-int < between dmz-int corp; >\nfirewall fw-int < between dmz-int corp; >' "@46"
case_ hlb-edge-nat "av 203.0.113.23;" "av 203.0.113.23 nat 198.51.100.23;" "nat 198.51.100.23"
case_ av-snat "snat access webconf;" "snat access webconf av;" "snat access webconf av"
case_ bad-address "vip access 203.0.113.10;" "vip access 203.0.113.300;" "203.0.113.300"
case_ bad-prefix "networks 10.10.0.0/16;" "networks 10.10.0.0/33;" "10.10.0.0/33"
case_ unknown-pool-property "snat access webconf;" "snat access webconf; nat;" "snat access webconf; nat;"
case_ node-count "nodes 2;" "nodes 3;" "@27"
case_ network-address-vip "vip 172.16.20.10;" "vip 172.16.20.0;" "vip 172.16.20.0"
case_ fw-unknown-zone "between dmz-int corp;" "between dmz-int corporate;" "corporate"
case_ lb-unknown-pool "serves edge01.external;" "serves edge02.external;" "serves edge02"
case_ party-unknown-zone "address 198.51.100.0/24; >" "address 198.51.100.0/24; zone nowhere; >" "zone nowhere"
case_ unknown-include "domain contoso.com;" $'domain contoso.com;\ninclude "nothere.lync";' "nothere.lync"
case_ unknown-feature-far "public-im; >" "public-im; xmpp; >" "xmpp;"
case_ no-site "site contoso-edge-hlb;" "" "# Scaled consolidated"
case_ missing-close $'  snat access webconf;\n>' "  snat access webconf;" "loadbalancer hlb-int"
case_ lb-typo $'nodes 2;\n  lb hlb;' $'nodes 2;\n  lb hlbb;' "lb hlbb"
case_ zone-kind-typo "zone corp internal" "zone corp inside" "zone corp inside"
case_ between-one-zone "firewall fw-ext < between internet dmz-ext; >" "firewall fw-ext < between internet; >" "between internet;"
case_ unterminated-string "domain contoso.com;" "domain \"contoso.com;" "domain \"contoso.com;"
[ $fail = 0 ] && echo "ok: $n mistakes, one error each"
exit $fail
