#!/bin/bash
# fw-update.sh: every example (and tests/fw/sites) compiled as v1 and as a
# hand-edited v2 (an address, a VIP and the flows changed), applied v1 then
# v2 to simulated ASA and SRX devices the way the files' headers say, on a
# dedicated and on a shared firewall with an unrelated rule of its own:
# the device ends with exactly v2 (tests/fw/update.py).
set -u
: "${LYNCC:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$SRCDIR/tests/fw/update.py" "$LYNCC" "$SRCDIR" "$tmp"
