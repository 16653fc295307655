#!/bin/sh
# repo-sources.sh - every citation the stdlib prints can be looked up:
# each TechNet ID and doc key that `lyncc flows --all` and `--services` print
# is listed in docs/sources.md, and no citation names a seed file (a file a
# user's clone does not have).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$LYNCC" flows --all --format csv >"$tmp/f.csv" || exit 1
"$LYNCC" flows --all --services >"$tmp/l.csv" || exit 1
fail=0
if grep -E '[0-9]{3}_[0-9a-f]{16}\.txt' "$tmp/f.csv" "$tmp/l.csv" >/dev/null; then
	echo "FAIL: a citation names a seed file instead of its TechNet ID"
	fail=1
fi
# TechNet IDs (Gg398739 t1 r9) and doc keys (MS-HLBREQ: text)
ids=$(cat "$tmp/f.csv" "$tmp/l.csv" | grep -oE '\b(Gg|JJ)[0-9]{6}\b|\b[A-Z0-9]+-[A-Z0-9-]+:' |
	tr -d : | sort -u)
[ -n "$ids" ] || { echo "FAIL: no citations found"; exit 1; }
for id in $ids; do
	grep -q "^| $id |" "$SRCDIR/docs/sources.md" || {
		echo "FAIL: $id is cited but not listed in docs/sources.md"
		fail=1
	}
done
[ $fail = 0 ] && echo "ok: $(echo "$ids" | wc -l) sources, all listed"
exit $fail
