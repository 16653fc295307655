#!/bin/bash
# v1 -> v2 with a pool renamed, a feature and its party removed, a static
# NAT's real or public address moved: the simulated ASA and SRX end with
# exactly v2 (tests/review/update_more.py).
set -eu
: "${LYNCC:?}" "${SRCDIR:?}"
python3 "$SRCDIR/tests/review/update_more.py" "$LYNCC" "$SRCDIR"
