#!/bin/sh
# examples-ir.sh - every example parses, resolves and checks, and its IR
# (lyncc ir) and flow list (lyncc flows --format csv) match the goldens in
# tests/golden-examples/.  LYNCC_UPDATE_GOLDEN=1 rewrites them.
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
cd "$SRCDIR" || exit 1
gold=tests/golden-examples
mkdir -p "$gold"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for f in examples/*.lync; do
	name=$(basename "$f" .lync)
	if ! "$LYNCC" check "$f" >"$tmp/check" 2>&1; then
		echo "FAIL: lyncc check $f"; cat "$tmp/check"; fail=1; continue
	fi
	if [ -s "$tmp/check" ]; then
		echo "FAIL: lyncc check $f is not silent:"; cat "$tmp/check"; fail=1
	fi
	"$LYNCC" ir "$f" >"$tmp/$name.ir.json" || { echo "FAIL: lyncc ir $f"; fail=1; }
	"$LYNCC" flows "$f" --format csv >"$tmp/$name.flows.csv" ||
		{ echo "FAIL: lyncc flows $f"; fail=1; }
	for out in "$name.ir.json" "$name.flows.csv"; do
		if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$tmp/$out" "$gold/$out"
		elif ! diff -u "$gold/$out" "$tmp/$out"; then
			echo "FAIL: $gold/$out differs"; fail=1
		fi
	done
done
[ $fail -eq 0 ] && echo "examples: all parse, check silently and match their goldens"
exit $fail
