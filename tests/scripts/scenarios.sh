#!/bin/bash
# scenarios.sh: every tests/scenarios/SCENARIO/site.lync compiled for each
# firewall with -t asa and -t srx; every packet of its expect.txt (written
# by hand from the seed pages) evaluated on the generated text with device
# semantics (tests/scenarios/eval.py, itself checked first on hand-written
# configs by tests/scenarios/selftest.py).  A difference fails unless
# tests/scenarios/KNOWN-FAILURES lists it; a listed entry that now holds
# fails too (delete it: the list only shrinks).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
python3 "$SRCDIR/tests/scenarios/selftest.py" || exit 1
exec python3 "$SRCDIR/tests/scenarios/eval.py" --lyncc "$LYNCC" \
	--dir "$SRCDIR/tests/scenarios"
