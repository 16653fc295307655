#!/bin/bash
# stdlib-cite-page.sh - `cite PAGE "TABLE" ROW;` names a seed page by its
# TechNet ID; the file name the page was received as still names the same
# page and prints the same citation; anything else is one error at the
# word.  The stdlib itself cites by TechNet ID only.
# Env: LYNCC, SRCDIR.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "stdlib-cite-page: $*"; fail=1; }

if grep -nE '^[[:space:]]*cite [0-9]{3}_[0-9a-f]{16}\.txt' "$SRCDIR"/stdlib/*.lync; then
	bad "the stdlib cites a seed file name instead of its TechNet ID"
fi
# edge.lync's first flow: Gg398739 "external interface nodes" 1
variant() {	# DIR REPLACEMENT
	mkdir "$1" && cp "$SRCDIR"/stdlib/*.lync "$1"/ &&
	    sed -i "0,/cite Gg398739 /s//cite $2 /" "$1/edge.lync"
}
"$LYNCC" flows --all --format csv --stdlib "$SRCDIR/stdlib" >"$tmp/ref.csv" || bad "stdlib flows failed"
variant "$tmp/file" 000_08d20a57cb8296cc.txt
"$LYNCC" flows --all --format csv --stdlib "$tmp/file" >"$tmp/file.csv" ||
    bad "a cite by seed file name is refused"
cmp -s "$tmp/ref.csv" "$tmp/file.csv" || bad "a cite by file name prints another citation"
grep -q '^edge.ext.access-crl-http-80,.*Gg398739 t1 r1' "$tmp/file.csv" ||
    bad "edge.ext.access-crl-http-80 does not cite Gg398739 t1 r1"

variant "$tmp/typo" Gg39873
"$LYNCC" flows --all --stdlib "$tmp/typo" >/dev/null 2>"$tmp/typo.err"
[ $? = 1 ] || bad "a misspelt page does not fail with exit 1"
grep -q "error: unknown seed page 'Gg39873'; did you mean 'Gg398739'?" "$tmp/typo.err" ||
    { bad "no 'did you mean' for a misspelt page:"; cat "$tmp/typo.err"; }
[ "$(grep -c 'error:' "$tmp/typo.err")" = 1 ] || bad "a misspelt page gives more than one error"

variant "$tmp/key" MS-HLBREQ
"$LYNCC" flows --all --stdlib "$tmp/key" >/dev/null 2>"$tmp/key.err"
[ $? = 1 ] || bad "a document key in cite does not fail"
grep -q "error: 'MS-HLBREQ' is a document key, not a seed page" "$tmp/key.err" ||
    { bad "a document key in cite is not explained:"; cat "$tmp/key.err"; }
[ $fail = 0 ] && echo "ok: cite by TechNet ID, by seed file name, refused otherwise"
exit $fail
