#!/bin/bash
# scenarios.sh: every tests/scenarios/SCENARIO/site.lync compiled for each
# firewall with -t asa and -t srx; every packet of its expect.txt (written
# by hand from the seed pages) evaluated on the generated text with device
# semantics (tests/scenarios/eval.py, itself checked first on hand-written
# configs by tests/scenarios/selftest.py; check_citations.py checks, where
# the seed pages are, that each must-pass packet's cited row names it).
# A difference fails unless tests/scenarios/KNOWN-FAILURES lists it; a
# listed entry that now holds fails too (delete it: the list only shrinks).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
python3 "$SRCDIR/tests/scenarios/selftest.py" || exit 1
# each example has its scenario, a copy of the example as it is now: an
# example that changed needs its copy refreshed and expect.txt re-read
stale=0
for ex in "$SRCDIR"/examples/*.lync; do
	name=$(basename "$ex" .lync)
	copy="$SRCDIR/tests/scenarios/ex-$name/site.lync"
	if ! cmp -s "$ex" "$copy"; then
		echo "FAIL examples/$name.lync differs from tests/scenarios/ex-$name/site.lync" \
			"(or has no scenario): copy it and re-check ex-$name/expect.txt against the seeds"
		stale=1
	fi
done
[ "$stale" = 0 ] || exit 1
# the cited seed rows hold each must-pass packet (where the seed pages are)
python3 "$SRCDIR/tests/scenarios/check_citations.py" || exit 1
exec python3 "$SRCDIR/tests/scenarios/eval.py" --lyncc "$LYNCC" \
	--dir "$SRCDIR/tests/scenarios"
