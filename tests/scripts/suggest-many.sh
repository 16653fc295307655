#!/bin/sh
# suggest-many.sh - "did you mean" among thousands of names (issue 14: it
# measured every name once per unknown one, M x N; now an index of
# one-letter deletions finds a one-edit misspelling among the few names
# that share a deletion with it, and farther ones measure every name within
# a budget of DIAG_WORDS_WORK = 2,000,000 distances per list).
# Expected by hand, from the site below (pools fe1 .. fe5000, declared in
# that order; a suggestion is the closest name, the first declared of
# equally close ones, at most len/3 + 1 edits and 3 away):
# - 'ef3': fe3 with its first two letters swapped (1 edit)     -> 'fe3'
# - 'fe4x': one letter more than fe4 (1 edit); fe40 .. fe49 are 1 edit
#   away too (x -> a digit), fe4 is declared first             -> 'fe4'
# - 'e4321': fe4321 without its 'f' (1 edit; no other name is one letter
#   from it: putting a letter back gives 'fe4321' only)       -> 'fe4321'
# - 'fe1ab': 2 edits from fe1 (and from fe10 .. fe19, fe100 .. fe199),
#   none 1 edit away, fe1 declared first                       -> 'fe1'
# - 'zone corp' misspelt 'crop' among 3 zones                  -> 'corp'
# Then 500 names 4+ edits from every pool ('qqqqNNN', 7 letters: at most
# 3 edits, so no suggestion, and the names of 4 to 10 letters, nearly all
# 5000, measured for each): 2,500,000 distances, past the budget of
# 2,000,000, so the far misspelling 'fe2ab' after them (2 edits from fe2)
# gets no suggestion and no list of names (its error is still there), while
# the one-edit 'ef5' after them still gets 'fe5' from the index.
# With --max-errors 0 every error is shown: 5 + 500 + 2 = 507.
set -u
: "${LYNCC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
site=$tmp/many.lync
awk 'BEGIN {
	print "site many;"
	print "zone corp internal;"
	print "zone lab internal;"
	print "zone dmz perimeter;"
	for (i = 1; i <= 5000; i++)
		printf "frontend pool fe%d < nodes 1; zone corp; addresses from 10.%d.%d.%d/28; >\n",
		    i, int(i / 4096), int(i / 16) % 256, (i % 16) * 16
	print "frontend pool lone < nodes 1; zone crop; addresses from 172.16.0.0/28; >"
	print "loadbalancer lb1 < serves ef3; serves fe4x; serves e4321; serves fe1ab; >"
	printf "loadbalancer lb2 <"
	for (i = 100; i < 600; i++)
		printf " serves qqqq%d;", i
	print " serves fe2ab; serves ef5; >"
}' >"$site"
"$LYNCC" check "$site" --max-errors 0 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: exit $rc, want 1"; fail=1; }
want() {	# want TEXT: one line of the output is exactly TEXT's message part
	grep -qF -- "$1" "$tmp/out" || { echo "FAIL: no '$1'"; fail=1; }
}
want "error: unknown pool 'ef3'; did you mean 'fe3'?"
want "error: unknown pool 'fe4x'; did you mean 'fe4'?"
want "error: unknown pool 'e4321'; did you mean 'fe4321'?"
want "error: unknown pool 'fe1ab'; did you mean 'fe1'?"
want "error: unknown zone 'crop'; did you mean 'corp'?"
want "error: unknown pool 'ef5'; did you mean 'fe5'?"
# past the budget: the error, alone
line=$(grep -n "error: unknown pool 'fe2ab'" "$tmp/out" | cut -d: -f1)
if [ -z "$line" ]; then
	echo "FAIL: no error for 'fe2ab'"; fail=1
else
	sed -n "${line}p" "$tmp/out" | grep -q "did you mean" &&
		{ echo "FAIL: 'fe2ab' got a suggestion past the budget"; fail=1; }
	sed -n "$((line + 3))p" "$tmp/out" | grep -q "hint: the site's pools" &&
		{ echo "FAIL: 'fe2ab' got the list of names past the budget"; fail=1; }
fi
# the first far names, within the budget, list the pools (no close match)
grep -A3 "error: unknown pool 'qqqq100'" "$tmp/out" | grep -q "hint: the site's pools: 'fe1', 'fe2'" ||
	{ echo "FAIL: 'qqqq100' has no list of the pools"; fail=1; }
n=$(grep -c ': error: ' "$tmp/out")
[ "$n" -eq 507 ] || { echo "FAIL: $n errors, want 507"; fail=1; }
[ $fail -eq 0 ] && echo "suggest-many: 507 errors, one-edit suggestions from the index, far ones within the budget"
exit $fail
